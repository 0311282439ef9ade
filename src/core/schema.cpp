// Opening a database safely and keeping its schema current: WAL,
// synchronous=FULL, a long busy timeout, foreign keys, secure_delete, and
// migrations keyed on PRAGMA user_version that read the version inside
// BEGIN IMMEDIATE. docs/ARCHITECTURE.md gives the reason for each.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "core/migrations.hpp"
#include "core/schema_expected.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/wal_buffer.hpp"

namespace mend {
namespace {

static_assert(kMigrations.size() == kSchemaVersion, "one migration per schema version");

// Refuses (74) a file whose schema holds anything mend's migrations did not
// create (a planted trigger that keeps a copy of what `forget` erases, a view
// in place of a table, an altered table), naming it. The expected objects were
// listed at build time (src/tools/schema_gen.cpp), so this costs one pass over
// sqlite_schema, whose page SQLite has read anyway. An index of mend's that is
// missing is let go: it makes queries slower, not wrong.
void check_schema(SQLite::Database& db, const std::string& path) {
  constexpr std::size_t kCount = std::size(kExpectedSchema);
  std::array<bool, kCount> seen{};
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db.getHandle(), "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1,
                         &q, nullptr) != SQLITE_OK)
    throw SQLite::Exception(db.getHandle(), sqlite3_errcode(db.getHandle()));
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(q, sqlite3_finalize);
  const auto text = [&](int column) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, column));
    return t == nullptr ? "" : t;
  };
  const auto refuse = [&](const char* what) {
    const std::string type = text(0);
    fail(ErrorKind::io, path + " has " + (type == "index" ? "an " : "a ") + type + " \"" + text(1) +
                            "\" " + what +
                            "; someone may have planted it to copy or change data, so mend will "
                            "not use the file: restore it from a backup");
  };
  std::size_t next = 0;  // the rows usually come in the order they were created
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    const char* type = text(0);
    const char* name = text(1);
    // SQLite's own statistics tables, which ANALYZE and PRAGMA optimize add.
    if (std::strncmp(name, "sqlite_stat", 11) == 0 && name[11] >= '1' && name[11] <= '4' &&
        name[12] == '\0' && std::strcmp(type, "table") == 0)
      continue;
    std::size_t i = next < kCount && std::strcmp(kExpectedSchema[next].name, name) == 0 ? next : 0;
    while (i < kCount && std::strcmp(kExpectedSchema[i].name, name) != 0)
      ++i;
    if (i == kCount || seen[i]) refuse("that mend did not create");
    const SchemaObject& want = kExpectedSchema[i];
    const auto* sql = reinterpret_cast<const char*>(sqlite3_column_text(q, 3));
    const bool same_sql =
        (sql == nullptr && want.sql == nullptr) ||
        (sql != nullptr && want.sql != nullptr && std::strcmp(sql, want.sql) == 0);
    if (std::strcmp(type, want.type) != 0 || std::strcmp(text(2), want.table) != 0 || !same_sql)
      refuse("that differs from mend's");
    seen[i] = true;
    next = i + 1;
  }
  if (rc != SQLITE_DONE) throw SQLite::Exception(db.getHandle(), rc);
  for (std::size_t i = 0; i < kCount; ++i) {
    const SchemaObject& want = kExpectedSchema[i];
    if (seen[i] || (std::strcmp(want.type, "index") == 0 && want.sql != nullptr)) continue;
    fail(ErrorKind::io, path + " has no " + want.type + " \"" + want.name +
                            "\": the file is damaged or not mend's; restore it from a backup");
  }
}

// Creates each missing folder of `dir`, private to the user.
void make_folders(const std::string& dir) {
  if (dir.empty()) return;
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) fail(ErrorKind::cant_create, dir + " is not a folder");
    return;
  }
  const auto slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) make_folders(dir.substr(0, slash));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fail(ErrorKind::cant_create, "cannot create the folder " + dir + ": " + std::strerror(errno));
  }
}

std::string octal(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
  return text;
}

// SQLite opens `path`-wal and `path`-shm by name, following links and
// keeping what is there. In a folder others can write to (like /tmp) another
// user could plant them, to read what mend writes or to redirect it. Checked
// before opening, and again once SQLite has opened them (a file planted
// between the two checks is then caught before anything is written).
void check_side_files(const std::string& path) {
  struct stat db {};
  if (::stat(path.c_str(), &db) != 0) return;  // SQLite reports it
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = path + suffix;
    struct stat st {};
    if (::lstat(side.c_str(), &st) != 0) continue;
    const std::string remove = "; remove it (rm " + side + ") and try again";
    if (S_ISLNK(st.st_mode))
      fail(ErrorKind::io, side + " is a symbolic link, which mend never makes" + remove);
    if (!S_ISREG(st.st_mode)) fail(ErrorKind::io, side + " is not a regular file" + remove);
    // SQLite gives them the database's owner and mode, also when root runs it.
    const uid_t me = ::geteuid();
    if (st.st_uid != me && !(me == 0 && st.st_uid == db.st_uid)) {
      fail(ErrorKind::io,
           side + " belongs to another user, who may read or change the database" + remove);
    }
    if ((st.st_mode & 077 & ~db.st_mode) != 0) {
      fail(ErrorKind::io, side + " is open to other users (mode " + octal(st.st_mode & 0777) +
                              ", the database " + octal(db.st_mode & 0777) + ")" + remove);
    }
  }
}

std::string prepare(const std::string& path) {
  if (path == ":memory:") return path;
  if (path.empty() || path[0] != '/') fail(ErrorKind::internal, "database path is not absolute");
  const auto slash = path.find_last_of('/');
  make_folders(path.substr(0, slash));
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode))
      fail(ErrorKind::io, path + " is a symbolic link; mend opens only a real file there");
    if (S_ISDIR(st.st_mode)) fail(ErrorKind::io, path + " is a folder, not a database");
  } else {
    // Create it private whatever the umask; SQLite gives its -wal and -shm
    // files the same mode as the database.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
      fail(ErrorKind::cant_create, "cannot create " + path + ": " + std::strerror(errno));
    }
    if (fd >= 0) ::close(fd);
  }
  check_side_files(path);
  return path;
}

// Process-wide settings, made by the first store the process opens: SQLite
// takes them only before it initialises. Returns whether statement journals
// of this process stay in memory up to 1 MiB.
//
// No memory statistics: with them on, every allocation inside SQLite takes a
// global mutex (about 5% of an import's instructions).
// A bulk load's statement journals (the undo of one statement, or of one
// savepoint, inside a transaction) stay in memory up to 1 MiB instead of
// 64 KiB: once one spills to a temporary file, every later statement of the
// transaction writes its page copies there, two system calls a page (an
// import's multi-row statements made about two million). The spill is one
// write of that size, which SQLite's own VFS fails as if the disk were full
// (it takes less than 128 KiB a call) and the buffering VFS cuts into pieces
// (wal_buffer.hpp). So only a process that opens its first store for a bulk
// load (an import, mail over many messages) raises it, and every connection
// of such a process is opened on the buffering VFS.
bool process_settings(StoreUse first_use) {
  static const bool large_journals = [first_use] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return first_use == StoreUse::bulk_load &&
           sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20) == SQLITE_OK;
  }();
  return large_journals;
}

// The VFS of a connection: the buffering one for an import (and for every
// connection of a process whose statement journals need it), SQLite's own
// (nullptr) for everything else.
const char* connection_vfs(StoreUse use) {
  const bool large_journals = process_settings(use);
  if (use != StoreUse::bulk_load && !large_journals) return nullptr;
  if (install_wal_buffer_vfs()) return kWalBufferVfs;
  // Without it a bulk load runs unbuffered; a spill would then fail.
  if (large_journals)
    fail(ErrorKind::internal, "SQLite's VFS cannot carry the WAL buffer (version below 3)");
  return nullptr;
}

SQLite::Database open_database(const std::string& path, StoreUse use) {
  const char* vfs = connection_vfs(use);
  // NOMUTEX: one thread uses the connection, so SQLite need not lock around
  // every call (a quarter of export's instructions went there).
  // No SQLITE_OPEN_NOFOLLOW: it refuses a link anywhere in the path, and many
  // home and data folders are links. prepare() refuses a link at the file
  // itself and at its -wal and -shm.
  const int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const std::string& real = prepare(path);
  try {
    return guarded(path,
                   [&] { return SQLite::Database(real.c_str(), flags, busy_timeout_ms(), vfs); });
  } catch (const Error& e) {
    // An existing file that cannot be opened is unreadable (74), not uncreatable (73).
    if (e.kind() == ErrorKind::cant_create && ::access(path.c_str(), F_OK) == 0) {
      fail(ErrorKind::io,
           "cannot open " + path + ": " + std::strerror(EACCES) + "; check its permissions");
    }
    throw;
  }
}

std::int64_t pragma_int(SQLite::Database& db, const char* pragma) {
  return db.execAndGet(std::string("PRAGMA ") + pragma).getInt64();
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, StoreUse use)
    : Store(path), db_(open_database(path, use)) {
  guarded(path_, [&] {
    const auto version = configure();
    if (path_ != ":memory:") check_side_files(path_);
    migrate(version);
  });
}

std::int64_t SqliteStore::configure() {
  // The first read is where SQLite notices a file that is not a database. The
  // three reads share one read transaction, so a concurrent creator's commit
  // cannot fall between them. (Plain PRAGMAs: the pragma_*() table-valued
  // functions in one SELECT cost more to prepare than the rest of the check.)
  std::int64_t app_id = 0;
  std::int64_t version = 0;
  std::int64_t objects = 0;
  {
    SQLite::Transaction read(db_, SQLite::TransactionBehavior::DEFERRED);
    app_id = db_.execAndGet("PRAGMA application_id").getInt64();
    version = db_.execAndGet("PRAGMA user_version").getInt64();
    // Only a file with neither mark can be another program's database.
    if (app_id == 0 && version == 0)
      objects = db_.execAndGet("SELECT count(*) FROM sqlite_schema").getInt64();
    // A current file of mend's holds exactly the objects mend makes.
    if (app_id == kApplicationId && version == kSchemaVersion) check_schema(db_, path_);
    read.commit();
  }
  // mend writes its application_id and user_version together, in the
  // transaction that creates the tables: a file with one and not the other, or
  // a version mend never wrote, did not come from mend as it is.
  if ((app_id != 0 && app_id != kApplicationId) || (app_id == 0 && (version != 0 || objects > 0))) {
    fail(ErrorKind::io, path_ +
                            " is an SQLite database of another program, not mend's (user_version " +
                            std::to_string(version) + "); point --db at your cases.db");
  }
  if (app_id == kApplicationId && version <= 0) {
    fail(ErrorKind::io, path_ + " has user_version " + std::to_string(version) +
                            ", which mend never writes: another program changed it or the file "
                            "is damaged; restore it from a backup");
  }
  if (path_ != ":memory:" && db_.execAndGet("PRAGMA journal_mode").getString() != "wal") {
    // Several processes creating the same file at once can see "locked" here
    // despite the busy timeout; retrying the step makes it reliable.
    for (int attempt = 0;; ++attempt) {
      try {
        if (db_.execAndGet("PRAGMA journal_mode=WAL").getString() == "wal") break;
      } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_BUSY || attempt >= 200) throw;
      }
      if (attempt >= 200) fail(ErrorKind::busy, path_ + " could not be switched to WAL; try again");
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + attempt % 20));
    }
  }
  // trusted_schema=OFF: what the file's schema names (a view, a trigger, a
  // default value) may not call functions with side effects.
  db_.exec(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; "
      "PRAGMA trusted_schema=OFF;");
  return version;
}

void SqliteStore::require_writable() {
  if (sqlite3_db_readonly(db_.getHandle(), "main") == 1) {
    fail(ErrorKind::io, path_ + " is read-only; check its permissions and those of its folder");
  }
}

void SqliteStore::migrate(std::int64_t seen) {
  // Fast path: a current database needs no write lock.
  if (seen > kSchemaVersion) {
    fail(ErrorKind::io, path_ + " was written by a newer mend (schema " + std::to_string(seen) +
                            ", this mend knows " + std::to_string(kSchemaVersion) +
                            "); upgrade mend to use it");
  }
  if (seen == kSchemaVersion) return;
  if (seen < 0) fail(ErrorKind::internal, "negative user_version reached migrate()");
  require_writable();
  bool backed_up = seen == 0 || path_ == ":memory:";
  for (;;) {
    std::int64_t version = 0;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      version = pragma_int(db_, "user_version");
      if (version > kSchemaVersion) {
        fail(ErrorKind::io, path_ + " was written by a newer mend; upgrade mend to use it");
      }
      if (version == kSchemaVersion) return;  // another process migrated it meanwhile
      if (version < 0 || (version == 0 && pragma_int(db_, "application_id") != 0)) {
        fail(ErrorKind::io, path_ + " has user_version " + std::to_string(version) +
                                ", which mend never writes; restore it from a backup");
      }
      if (version == 0 || backed_up) {
        for (auto v = version; v < kSchemaVersion; ++v)
          db_.exec(kMigrations[static_cast<std::size_t>(v)]);
        db_.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
        db_.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
        check_schema(db_, path_);
        tx.commit();
        return;
      }
    }  // rolled back: VACUUM cannot run inside a transaction
    // Keep a copy of the old database beside it before changing its shape.
    const std::string copy = path_ + ".v" + std::to_string(version) + ".bak";
    ::unlink(copy.c_str());
    SQLite::Statement vacuum(db_, "VACUUM INTO ?");
    vacuum.bind(1, copy);
    vacuum.exec();
    backed_up = true;
  }
}

}  // namespace mend
