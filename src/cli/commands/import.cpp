// mend import FILE|-: JSON Lines in the export shape, all or nothing.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

// One line may hold a case with a long timeline, but not without bound.
constexpr std::size_t kMaxLine = 64u << 20;

struct ImportOptions {
  std::string path;
  std::string files;
};

void run_import(Context& ctx, const ImportOptions& o) {
  const std::string& path = o.path;
  std::optional<std::string> files_dir;
  if (!o.files.empty()) {
    struct stat st {};
    if (::stat(o.files.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      fail(ErrorKind::not_found, "--files " + o.files + " is not a folder");
    files_dir = o.files;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  std::string source = "stdin";
  if (path != "-") {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      fail(ErrorKind::not_found, "cannot read " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) fail(ErrorKind::not_found, path + " is a folder, not a file");
    file.open(path, std::ios::binary);
    if (!file) fail(ErrorKind::not_found, "cannot read " + path + ": " + std::strerror(errno));
    in = &file;
    source = path;
  }
  std::int64_t line_no = 0;
  const LineReader read_line = [&](std::string& line) {
    if (!std::getline(*in, line)) {
      if (in->bad()) fail(ErrorKind::io, "cannot read " + source + ": " + std::strerror(errno));
      return false;
    }
    ++line_no;
    if (line.size() > kMaxLine)
      fail(ErrorKind::data, source + ":" + std::to_string(line_no) + ": the line is longer than " +
                                std::to_string(kMaxLine >> 20) + " MiB");
    return true;
  };
  Json reassigned = Json::array();
  std::int64_t moved = 0;
  // The store opened for import: its connection buffers the WAL (the store's
  // docs say how).
  Store& store = ctx.store(StoreUse::bulk_load);
  const auto summary = store.import_cases(
      read_line, source, ctx.now,
      [&](const Reassignment& r) {
        ++moved;
        if (ctx.json) {
          reassigned.push_back(Json{{"what", r.what}, {"from", r.from}, {"to", r.to}});
        } else {
          ctx.out.line(fmt::format("{} {} → {}", r.what, r.from, r.to));
        }
      },
      files_dir);
  if (ctx.json) {
    Json j;
    j["cases"] = summary.cases;
    j["customers"] = summary.customers;
    j["customers_created"] = summary.customers_created;
    j["customers_matched"] = summary.customers_matched;
    j["reassigned"] = std::move(reassigned);
    ctx.out.line(dump_json(j));
    return;
  }
  // The reassignment lines, when there are any, are the report (even with -q:
  // a script needs them); otherwise one summary line.
  if (moved > 0 || ctx.quiet) return;
  ctx.out.line(fmt::format("imported {} case{}, {} customer{}", summary.cases,
                           summary.cases == 1 ? "" : "s", summary.customers,
                           summary.customers == 1 ? "" : "s"));
}

}  // namespace

void add_import(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ImportOptions>();
  sub.add_option("FILE", o->path, "The JSON Lines file, or - for stdin")->required();
  sub.add_option("--files", o->files,
                 "Read the attachments' bytes from DIR (written by export --files DIR)")
      ->type_name("DIR");
  commands.push_back({&sub, [o](Context& ctx) { run_import(ctx, *o); }});
}

}  // namespace mend::cli
