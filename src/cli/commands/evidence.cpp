// mend evidence ID -o DIR: what a payment dispute, a small-claims court or an
// insurer asks for, in one private folder: every attached file, the case as
// one self-contained page, and SHA256SUMS for `sha256sum -c`.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/evidence_page.hpp"
#include "cli/private_file.hpp"
#include "core/digest.hpp"
#include "core/errors.hpp"
#include "core/evidence.hpp"

namespace mend::cli {
namespace {

struct EvidenceOptions {
  std::string id;
  std::string dir;
};

bool empty_folder(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  bool empty = true;
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") {
      empty = false;
      break;
    }
  }
  ::closedir(d);
  return empty;
}

// The pack's folder: created 0700, or an existing empty one of the user's.
// Undoes what it wrote unless kept, so a failed pack leaves nothing behind.
class PackFolder {
 public:
  PackFolder(const std::string& dir, const std::string& database) : dir_(dir), database_(database) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) == 0) {
      if (S_ISLNK(st.st_mode))
        fail(ErrorKind::cant_create, dir + " is a symbolic link; give a real folder");
      if (!S_ISDIR(st.st_mode)) fail(ErrorKind::cant_create, dir + " exists and is not a folder");
      if (!empty_folder(dir))
        fail(ErrorKind::cant_create, dir + " is not empty; give a new or empty folder");
      if (::chmod(dir.c_str(), 0700) != 0)
        fail(ErrorKind::cant_create, "cannot make " + dir + " private: " + std::strerror(errno));
    } else {
      if (::mkdir(dir.c_str(), 0700) != 0)
        fail(ErrorKind::cant_create, "cannot create " + dir + ": " + std::strerror(errno));
      created_ = true;
    }
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ < 0) fail(ErrorKind::cant_create, "cannot open " + dir + ": " + std::strerror(errno));
  }
  ~PackFolder() {
    if (!kept_) {
      for (const auto& n : written_)
        ::unlinkat(fd_, n.c_str(), 0);
      if (created_) ::rmdir(dir_.c_str());
    }
    if (fd_ >= 0) ::close(fd_);
  }
  PackFolder(const PackFolder&) = delete;
  PackFolder& operator=(const PackFolder&) = delete;

  // A new private file in the folder, never through a link or over a file.
  class File {
   public:
    File(PackFolder& folder, const std::string& name) : folder_(folder), name_(name) {
      refuse_database_target(folder.dir_ + "/" + name, folder.database_);
      fd_ = ::openat(folder.fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     0600);
      if (fd_ < 0)
        fail(ErrorKind::cant_create,
             "cannot create " + folder.dir_ + "/" + name + ": " + std::strerror(errno));
      folder.written_.push_back(name);
    }
    ~File() {
      if (fd_ >= 0) ::close(fd_);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    void write(std::string_view bytes) {
      hash_.add(bytes);
      while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(ErrorKind::io, "cannot write " + where() + ": " + std::strerror(errno));
        bytes.remove_prefix(static_cast<std::size_t>(n));
      }
    }
    // Syncs and closes; returns the SHA-256 of what was written.
    std::string finish() {
      if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
        fd_ = -1;
        fail(ErrorKind::io, "cannot write " + where() + ": " + std::strerror(errno));
      }
      fd_ = -1;
      return hash_.hex();
    }

   private:
    std::string where() const { return folder_.dir_ + "/" + name_; }
    PackFolder& folder_;
    std::string name_;
    int fd_ = -1;
    Sha256 hash_;
  };

  void keep() {
    ::fsync(fd_);
    kept_ = true;
  }

 private:
  std::string dir_;
  std::string database_;
  int fd_ = -1;
  bool created_ = false;
  bool kept_ = false;
  std::vector<std::string> written_;
};

void run_evidence(Context& ctx, const EvidenceOptions& o) {
  const auto id = parse_id(o.id);
  if (o.dir.empty()) fail(ErrorKind::usage, "give the folder for the pack: -o DIR");
  auto& store = ctx.store();
  const Case c = store.get_case(id);
  const auto history = store.customer_history(c.customer.id, c.id);

  PackFolder folder(o.dir, ctx.db_path);
  const std::string page_name = fmt::format("case-{}.html", c.id);
  std::set<std::string> taken = {page_name, "sha256sums"};
  std::vector<std::string> names;  // the file name of each attachment, in order
  std::string sums;
  for (const auto& a : c.attachments) {
    const std::string name = unique_file_name(safe_file_name(a.name), taken);
    names.push_back(name);
    PackFolder::File file(folder, name);
    store.read_blob(a.sha256, [&](std::string_view piece) { file.write(piece); });
    const std::string sha = file.finish();
    if (sha != a.sha256)
      fail(ErrorKind::io, fmt::format("the stored bytes of {} no longer match their SHA-256; the "
                                      "database is damaged: restore it from a backup",
                                      terminal_safe(a.name)));
    sums += sha + "  " + name + "\n";
  }
  {
    PackFolder::File page(folder, page_name);
    write_evidence_page(
        c, history, names, ctx.now, ctx.config.business_name,
        [&](std::string_view chunk) { page.write(chunk); },
        [&](const std::string& sha256, const std::function<void(std::string_view)>& sink) {
          store.read_blob(sha256, sink);
        });
    sums += page.finish() + "  " + page_name + "\n";
  }
  {
    PackFolder::File list(folder, "SHA256SUMS");
    list.write(sums);
    list.finish();
  }
  folder.keep();
  if (ctx.quiet) return;
  if (ctx.json) {
    Json j;
    j["dir"] = o.dir;
    j["case"] = c.id;
    j["files"] = names;
    j["page"] = page_name;
    ctx.out.line(dump_json(j));
    return;
  }
  ctx.out.line(fmt::format("Wrote the evidence for case #{} to {}: {}, {} file{} and SHA256SUMS.",
                           c.id, terminal_safe(o.dir), page_name, names.size(),
                           names.size() == 1 ? "" : "s"));
  ctx.out.line(
      fmt::format("Check it with: cd {} && sha256sum -c SHA256SUMS", terminal_safe(o.dir)));
}

}  // namespace

void add_evidence(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<EvidenceOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("-o,--output", o->dir,
                 "The folder for the pack: new or empty; created 0700, its files 0600")
      ->type_name("DIR")
      ->required();
  commands.push_back({&sub, [o](Context& ctx) { run_evidence(ctx, *o); }});
}

}  // namespace mend::cli
