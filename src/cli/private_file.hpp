// A file mend writes for the user (an export, a backup): created private
// (0600) with O_EXCL|O_NOFOLLOW, so it never overwrites by accident and never
// writes through a planted symbolic link, and never lands on the open database
// or its -wal, -shm or -journal file. Until commit() it is removed again when
// something fails, so an error leaves nothing half-written.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace mend::cli {

// Error(cant_create) when writing `target` would write over the database at
// `database` (an absolute path) or its -wal, -shm or -journal file: compared
// by device and inode where the files exist, and by their real path where a
// file does not exist yet. Every command that writes a file calls it.
void refuse_database_target(const std::string& target, const std::string& database);

class PrivateFile {
 public:
  // Refuses (Error cant_create) a symbolic link at `path` always, the
  // database at `database` or one of its own files (by device and inode, so a
  // hard link or another spelling of the path is caught too), and an existing
  // file unless `force`. With `force` the data goes to a private temporary
  // file beside `path` that commit() renames over it, so the old file stays
  // whole until the new one is complete.
  PrivateFile(std::string path, bool force, const std::string& database);
  ~PrivateFile();
  PrivateFile(const PrivateFile&) = delete;
  PrivateFile& operator=(const PrivateFile&) = delete;

  // Where the data goes now (the temporary file with --force).
  const std::string& working_path() const { return working_; }
  const std::string& path() const { return path_; }

  // Appends to the file; Error(io) naming the file when the write fails.
  void write(std::string_view text);
  // Closes the descriptor without committing, for writers that reopen the
  // file by name (SQLite).
  void close_handle();
  // Flushes to disk and puts the file in place.
  void commit();

 private:
  std::string path_;
  std::string working_;
  bool force_ = false;
  int fd_ = -1;
  std::FILE* stream_ = nullptr;
  bool committed_ = false;
};

}  // namespace mend::cli
