// mend backup FILE: a consistent copy through SQLite's online backup.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/private_file.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct BackupOptions {
  std::string file;
  bool force = false;
};

void run_backup(Context& ctx, const BackupOptions& o) {
  // SQLite reads "file:..." as a URI and relative paths depend on the cwd: always absolute.
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(o.file, ec);
  if (ec || o.file.empty()) fail(ErrorKind::cant_create, "cannot resolve the path " + o.file);
  const std::string dest = absolute.lexically_normal().string();
  auto& store = ctx.store();
  // Created empty, 0600, O_EXCL|O_NOFOLLOW here; SQLite then writes into it.
  PrivateFile file(dest, o.force, ctx.db_path);
  file.close_handle();
  store.backup_to(file.working_path(), dest);
  file.commit();
  if (ctx.quiet) return;
  if (ctx.json) {
    Json j;
    j["file"] = dest;
    j["integrity"] = "ok";
    ctx.out.line(dump_json(j));
    return;
  }
  ctx.out.line(fmt::format("Backed up {} to {} (integrity check: ok).", terminal_safe(store.path()),
                           terminal_safe(dest)));
}

}  // namespace

void add_backup(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<BackupOptions>();
  sub.add_option("FILE", o->file,
                 "Where the copy goes: created 0600, never through a symbolic link")
      ->required();
  sub.add_flag("--force", o->force, "Replace FILE if it exists (never a symbolic link)");
  commands.push_back({&sub, [o](Context& ctx) { run_backup(ctx, *o); }});
}

}  // namespace mend::cli
