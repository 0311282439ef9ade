#include "cli/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "core/errors.hpp"

namespace mend::cli {
namespace {

int create_exclusive(const std::string& path, const std::string& shown) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno == EEXIST) fail(ErrorKind::cant_create, shown + " exists; use --force to replace it");
  if (errno == ELOOP)
    fail(ErrorKind::cant_create, shown + " is a symbolic link; mend does not write through links");
  fail(ErrorKind::cant_create, "cannot create " + shown + ": " + std::strerror(errno));
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The real path of `path`'s folder joined with its last component, which is
// left as it is (it may not exist yet, or be a link that mend refuses).
std::string real_location(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(folder_of(path).c_str(), buffer) == nullptr) return path;
  std::string folder(buffer);
  if (folder != "/") folder += '/';
  return folder + base_of(path);
}

}  // namespace

void refuse_database_target(const std::string& target, const std::string& database) {
  if (database.empty() || database[0] != '/') return;  // :memory: has no files
  struct stat out {};
  const bool target_exists = ::stat(target.c_str(), &out) == 0;
  const std::string target_real = real_location(target);
  const std::string database_real = real_location(database);
  constexpr std::array<const char*, 4> kSuffixes = {"", "-wal", "-shm", "-journal"};
  for (const char* suffix : kSuffixes) {
    const std::string own = database + suffix;
    struct stat st {};
    const bool same_file = target_exists && ::stat(own.c_str(), &st) == 0 &&
                           st.st_dev == out.st_dev && st.st_ino == out.st_ino;
    if (same_file || target_real == database_real + suffix) {
      fail(ErrorKind::cant_create,
           target + " is " +
               (*suffix == '\0' ? std::string("the database itself")
                                : "the database's own " + std::string(suffix + 1) + " file") +
               "; write to another file");
    }
  }
}

PrivateFile::PrivateFile(std::string path, bool force, const std::string& database)
    : path_(std::move(path)), force_(force) {
  refuse_database_target(path_, database);
  struct stat st {};
  const bool there = ::lstat(path_.c_str(), &st) == 0;
  if (there && S_ISLNK(st.st_mode))
    fail(ErrorKind::cant_create, path_ + " is a symbolic link; mend does not write through links");
  if (there && S_ISDIR(st.st_mode)) fail(ErrorKind::cant_create, path_ + " is a folder");
  if (there && !force_) fail(ErrorKind::cant_create, path_ + " exists; use --force to replace it");
  if (!force_) {
    working_ = path_;
    fd_ = create_exclusive(working_, path_);
    return;
  }
  for (int attempt = 0;; ++attempt) {
    working_ = path_ + ".mend-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
    fd_ = ::open(working_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ >= 0) return;
    if ((errno != EEXIST && errno != ELOOP) || attempt >= 100)
      fail(ErrorKind::cant_create,
           "cannot create a file beside " + path_ + ": " + std::strerror(errno));
  }
}

PrivateFile::~PrivateFile() {
  if (committed_) return;
  if (stream_ != nullptr) {
    std::fclose(stream_);
  } else if (fd_ >= 0) {
    ::close(fd_);
  }
  ::unlink(working_.c_str());
}

void PrivateFile::write(std::string_view text) {
  if (stream_ == nullptr) {
    stream_ = ::fdopen(fd_, "w");
    if (stream_ == nullptr)
      fail(ErrorKind::io, "cannot write " + path_ + ": " + std::strerror(errno));
  }
  if (std::fwrite(text.data(), 1, text.size(), stream_) != text.size())
    fail(ErrorKind::io, "cannot write " + path_ + ": " + std::strerror(errno));
}

void PrivateFile::close_handle() {
  if (stream_ != nullptr) {
    std::fclose(stream_);
    stream_ = nullptr;
  } else if (fd_ >= 0) {
    ::close(fd_);
  }
  fd_ = -1;
}

void PrivateFile::commit() {
  if (stream_ != nullptr) {
    if (std::fflush(stream_) != 0 || ::fsync(fd_) != 0)
      fail(ErrorKind::io, "cannot write " + path_ + ": " + std::strerror(errno));
    const bool closed = std::fclose(stream_) == 0;
    stream_ = nullptr;
    fd_ = -1;
    if (!closed) fail(ErrorKind::io, "cannot write " + path_ + ": " + std::strerror(errno));
  } else if (fd_ >= 0) {
    ::fsync(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  if (force_ && ::rename(working_.c_str(), path_.c_str()) != 0)
    fail(ErrorKind::cant_create, "cannot replace " + path_ + ": " + std::strerror(errno));
  committed_ = true;
  // The new name is durable only once its folder is synced.
  const int dir = ::open(folder_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace mend::cli
