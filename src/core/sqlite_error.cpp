#include "core/sqlite_error.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <string>

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

Error translate_sqlite_error(const SQLite::Exception& e, const std::string& db_path) {
  const int code = e.getErrorCode() & 0xff;
  const std::string where = db_path.empty() ? "the database" : db_path;
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorKind::busy, where + " stayed locked by another mend process for " +
                                        std::to_string(busy_timeout_ms() / 1000) +
                                        " s; nothing was changed, try again");
    case SQLITE_NOTADB:
      return Error(ErrorKind::io, where +
                                      " is not a mend database (not an SQLite file); "
                                      "point --db at your cases.db");
    case SQLITE_CORRUPT:
      return Error(ErrorKind::io, where + " is corrupt (" + e.what() +
                                      "); restore it from a backup (mend backup)");
    case SQLITE_FULL:
      return Error(ErrorKind::io, "the disk is full while writing " + where +
                                      "; nothing was changed, free some space and try again");
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
