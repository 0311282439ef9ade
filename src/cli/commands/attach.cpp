// mend attach ID FILE...: keep photos, receipts, labels and screenshots with a
// case, in the database itself, all of them or none.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "core/errors.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"

namespace mend::cli {
namespace {

struct AttachOptions {
  std::string id;
  std::vector<std::string> files;
  std::string name;
};

// Descriptors opened for the command, closed when it ends.
struct OpenFiles {
  std::vector<int> fds;
  OpenFiles() = default;
  OpenFiles(const OpenFiles&) = delete;
  OpenFiles& operator=(const OpenFiles&) = delete;
  ~OpenFiles() {
    for (int fd : fds)
      ::close(fd);
  }
};

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/')
    p.pop_back();
  const auto slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// Opens FILE for reading without blocking on a FIFO, and refuses anything
// but a regular file: a folder, a FIFO or a device has no end to wait for.
AttachmentSource open_regular(const std::string& path, OpenFiles& open_files) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) fail(ErrorKind::not_found, "no such file: " + path);
    fail(ErrorKind::not_found, "cannot read " + path + ": " + std::strerror(errno));
  }
  open_files.fds.push_back(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    fail(ErrorKind::not_found, "cannot read " + path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    fail(ErrorKind::not_found, path + " is a folder; attach the files in it");
  if (!S_ISREG(st.st_mode))
    fail(ErrorKind::not_found,
         path + " is not a regular file (a FIFO, socket or device); save it to a file first");
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return AttachmentSource{base_name(path), fd, static_cast<std::int64_t>(st.st_size)};
}

void check_name(const std::string& name, const std::string& given_as) {
  if (name.empty() || name == "." || name == "..")
    fail(ErrorKind::usage, "give the file a name with --name NAME (" + given_as + ")");
  if (name.size() > kMaxFileName)
    fail(ErrorKind::usage, fmt::format("the name of {} is longer than {} bytes; give a shorter "
                                       "one with --name",
                                       given_as, kMaxFileName));
  if (name.find('/') != std::string::npos)
    fail(ErrorKind::usage, "--name takes a file name without '/'");
}

void run_attach(Context& ctx, const AttachOptions& o) {
  const auto id = parse_id(o.id);
  const bool named = !o.name.empty();
  if (named && o.files.size() != 1)
    fail(ErrorKind::usage, "--name names one file; give one FILE with it");
  int stdin_count = 0;
  for (const auto& f : o.files)
    stdin_count += f == "-" ? 1 : 0;
  if (stdin_count > 1) fail(ErrorKind::usage, "'-' (stdin) can be given once");
  if (stdin_count == 1 && !named)
    fail(ErrorKind::usage, "name what comes on stdin: mend attach ID - --name photo.jpg");

  // Every file is checked and opened before the database is touched.
  const std::int64_t max_bytes = ctx.config.max_attachment;
  OpenFiles open_files;
  std::vector<AttachmentSource> sources;
  for (const auto& path : o.files) {
    AttachmentSource s;
    if (path == "-") {
      s = AttachmentSource{o.name, STDIN_FILENO, std::nullopt};
      struct stat st {};
      if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode))
        s.size = static_cast<std::int64_t>(st.st_size) - ::lseek(STDIN_FILENO, 0, SEEK_CUR);
    } else {
      s = open_regular(path, open_files);
      if (named) s.name = o.name;
    }
    check_name(s.name, path);
    if (s.size && *s.size > max_bytes)
      fail(ErrorKind::data,
           fmt::format("{} is {} bytes, larger than max_attachment ({} bytes); raise "
                       "max_attachment in the config file to keep it",
                       path, *s.size, max_bytes));
    sources.push_back(std::move(s));
  }

  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().attach_files(id, sources, max_bytes, ctx.now);
  std::vector<std::string> confirmation;
  {
    const auto& kept = c.attachments;
    const std::size_t first = kept.size() - sources.size();
    for (std::size_t i = first; i < kept.size(); ++i) {
      confirmation.push_back(fmt::format("Attached {} ({}, {}) to case {}.",
                                         terminal_safe(kept[i].name), terminal_safe(kept[i].type),
                                         human_size(kept[i].size),
                                         ctx.out.paint(fmt::format("#{}", c.id), Style::bold)));
    }
  }
  print_change(ctx, confirmation, before, c);
}

}  // namespace

void add_attach(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<AttachOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("FILE", o->files, "Files to keep with the case (- for stdin, with --name)")
      ->required();
  sub.add_option("--name", o->name, "The name to keep the file under (needed for stdin)")
      ->type_name("NAME");
  commands.push_back({&sub, [o](Context& ctx) { run_attach(ctx, *o); }});
}

}  // namespace mend::cli
