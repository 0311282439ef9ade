#include "core/sqlite_error.hpp"

#include <sqlite3.h>
#include <sys/statvfs.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace mend {

int busy_timeout_ms() {
  // Cron can wait: 30 s by default. MEND_BUSY_TIMEOUT_MS shortens it for tests.
  if (const char* env = std::getenv("MEND_BUSY_TIMEOUT_MS")) {
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && v >= 0 && v <= 3'600'000) return static_cast<int>(v);
  }
  return 30'000;
}

namespace {

// "30 s", or "300 ms" for a timeout that is not whole seconds.
std::string duration_text(int ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

// Bytes free for the user on the file system holding `folder`, or -1.
long long free_bytes(const std::string& folder) {
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) != 0) return -1;
  return static_cast<long long>(fs.f_bavail) * static_cast<long long>(fs.f_frsize);
}

// SQLITE_FULL means a full disk, a full temporary folder, or a limit inside
// the database (an AUTOINCREMENT id at the largest number): SQLite says
// "database or disk is full" for all of them. Which folder is nearly full, if
// any (SQLite leaves the space a failed transaction took in place).
std::optional<std::string> full_folder(const std::string& db_path) {
  constexpr long long kNearlyFull = 64LL << 20;
  std::vector<std::string> folders;
  const auto slash = db_path.find_last_of('/');
  if (slash != std::string::npos) folders.push_back(slash == 0 ? "/" : db_path.substr(0, slash));
  // Where SQLite puts its temporary files (unix_temp_file_dir()).
  for (const char* env : {"SQLITE_TMPDIR", "TMPDIR"}) {
    if (const char* dir = std::getenv(env); dir && *dir) folders.emplace_back(dir);
  }
  for (const char* dir : {"/var/tmp", "/usr/tmp", "/tmp"})
    folders.emplace_back(dir);
  for (const auto& folder : folders) {
    const auto free = free_bytes(folder);
    if (free >= 0 && free < kNearlyFull) return folder;
  }
  return std::nullopt;
}

}  // namespace

Error missing_customer(const std::string& db_path, std::int64_t case_id,
                       const std::string& consequence) {
  return Error(ErrorKind::io, db_path + " is damaged: the customer of case #" +
                                  std::to_string(case_id) + " is missing from it, so " +
                                  consequence + "; keep a copy of the file as it is (cp) and " +
                                  "your backups, then sqlite3 " + db_path +
                                  " 'PRAGMA foreign_key_check' lists every broken row");
}

Error translate_sqlite_error(const SQLite::Exception& e, const std::string& db_path) {
  const int code = e.getErrorCode() & 0xff;
  const std::string where = db_path.empty() ? "the database" : db_path;
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorKind::busy, where + " stayed locked by another mend process for " +
                                        duration_text(busy_timeout_ms()) +
                                        "; nothing was changed, try again");
    case SQLITE_NOTADB:
      return Error(ErrorKind::io, where +
                                      " is not a mend database (not an SQLite file); "
                                      "point --db at your cases.db");
    case SQLITE_CORRUPT:
      return Error(ErrorKind::io, where + " is corrupt (" + e.what() +
                                      "); restore it from a backup (mend backup)");
    case SQLITE_FULL:
      if (const auto folder = full_folder(db_path)) {
        return Error(ErrorKind::io, "the disk is full (" + *folder + ") while writing " + where +
                                        "; nothing was changed, free some space and try again");
      }
      return Error(ErrorKind::io, "cannot write " + where + ": SQLite says \"" + e.what() +
                                      "\", yet its disk and the temporary folder have room, so "
                                      "a limit inside the database was reached (such as a case "
                                      "id at the largest number); nothing was changed");
    case SQLITE_READONLY:
      return Error(ErrorKind::io,
                   where + " is read-only; check its permissions and those of its folder");
    case SQLITE_CANTOPEN:
      return Error(ErrorKind::cant_create, "cannot open or create " + where + " (" + e.what() +
                                               "); check the path and its folder's permissions");
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Error(ErrorKind::io, "cannot read or write " + where + " (" + e.what() + ")");
    case SQLITE_CONSTRAINT:
      return Error(ErrorKind::data,
                   std::string("the change breaks a rule of the database: ") + e.what());
    default:
      return Error(ErrorKind::internal,
                   std::string("unexpected SQLite error on ") + where + ": " + e.what());
  }
}

}  // namespace mend
