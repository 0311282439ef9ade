#include "core/wal_buffer.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

using namespace mend;

namespace {

struct Dir {
  std::string path;
  Dir() {
    char tmpl[] = "/tmp/mend-wal-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~Dir() { std::filesystem::remove_all(path); }
};

// A connection as mend opens one (WAL, synchronous=FULL), on the given VFS
// (by default the buffering one).
struct Connection {
  sqlite3* db = nullptr;
  Connection(const std::string& path, const char* vfs = kWalBufferVfs) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) ==
            SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
  }
  ~Connection() { sqlite3_close(db); }
  int exec(const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string one(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
};

// Rows in random key order with a page cache of 20 pages: pages go to the
// WAL, come back, change and go again (frames rewritten in place), while
// the import-style buffering is on.
void write_scattered(Connection& c, int rows) {
  REQUIRE(c.exec("PRAGMA cache_size=20; BEGIN IMMEDIATE") == SQLITE_OK);
  for (int i = 0; i < rows; ++i) {
    const int key = static_cast<int>((static_cast<long long>(i) * 7919) % rows);
    REQUIRE(c.exec("INSERT INTO t (k, v) VALUES (" + std::to_string(key) + ", printf('%0400d', " +
                   std::to_string(i) + "))") == SQLITE_OK);
  }
}

}  // namespace

TEST_CASE("the buffering VFS has its own name, is not the default, and buffers only on request") {
  REQUIRE(install_wal_buffer_vfs());
  REQUIRE(sqlite3_vfs_find(kWalBufferVfs) != nullptr);
  CHECK(std::string(sqlite3_vfs_find(kWalBufferVfs)->zName) == "mend-wal-buffer");
  REQUIRE(sqlite3_vfs_find(nullptr) != nullptr);
  CHECK(std::string(sqlite3_vfs_find(nullptr)->zName) == "unix");
  Dir dir;
  Connection plain(dir.path + "/plain.db", "unix");
  CHECK_FALSE(set_wal_buffering(plain.db, true));  // not on the buffering VFS
  Connection c(dir.path + "/c.db");
  CHECK(set_wal_buffering(c.db, true));
  CHECK(set_wal_buffering(c.db, false));
}

TEST_CASE("a buffered transaction commits whole and other connections read it all") {
  install_wal_buffer_vfs();
  Dir dir;
  const std::string path = dir.path + "/c.db";
  Connection c(path);
  REQUIRE(c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)") == SQLITE_OK);
  REQUIRE(set_wal_buffering(c.db, true));
  write_scattered(c, 3000);
  // Read back inside the transaction: some pages come from the buffer.
  CHECK(c.one("SELECT count(*) FROM t") == "3000");
  REQUIRE(c.exec("COMMIT") == SQLITE_OK);
  // The files as a power cut right after the commit would leave them: the
  // copy has no wal-index, so SQLite recovers from the WAL file alone and
  // keeps the transaction only if every frame of it, checksummed, is there.
  std::filesystem::copy_file(path, dir.path + "/cut.db");
  std::filesystem::copy_file(path + "-wal", dir.path + "/cut.db-wal");
  {
    Connection cut(dir.path + "/cut.db", "unix");
    CHECK(cut.one("SELECT count(*) FROM t") == "3000");
    CHECK(cut.one("PRAGMA integrity_check") == "ok");
  }
  // Another process's view: the plain unix VFS, not this wrapper.
  Connection other(path, "unix");
  CHECK(other.one("SELECT count(*) FROM t") == "3000");
  CHECK(other.one("SELECT sum(k) FROM t") == std::to_string(3000LL * 2999 / 2));
  CHECK(other.one("SELECT v FROM t WHERE k = 7919 % 3000") == std::string(399, '0') + "1");
  CHECK(other.one("PRAGMA integrity_check") == "ok");
  set_wal_buffering(c.db, false);
}

TEST_CASE("a buffered transaction rolled back leaves the database as it was") {
  install_wal_buffer_vfs();
  Dir dir;
  const std::string path = dir.path + "/c.db";
  Connection c(path);
  REQUIRE(c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL);"
                 "INSERT INTO t VALUES (-1, 'kept')") == SQLITE_OK);
  REQUIRE(set_wal_buffering(c.db, true));
  write_scattered(c, 3000);
  REQUIRE(c.exec("ROLLBACK") == SQLITE_OK);
  CHECK(c.one("SELECT group_concat(v) FROM t") == "kept");
  // The next transaction, still buffered, writes over the dropped frames.
  REQUIRE(c.exec("INSERT INTO t VALUES (1, 'after')") == SQLITE_OK);
  set_wal_buffering(c.db, false);
  Connection other(path, "unix");
  CHECK(other.one("SELECT group_concat(v, ' ') FROM (SELECT v FROM t ORDER BY k)") == "kept after");
  CHECK(other.one("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a write larger than the default VFS takes at once goes through in pieces") {
  // SQLite writes that much at once when a statement journal over 128 KiB
  // spills to a file; the unix VFS alone fails it as if the disk were full.
  install_wal_buffer_vfs();
  sqlite3_vfs* vfs = sqlite3_vfs_find(kWalBufferVfs);
  REQUIRE(vfs != nullptr);
  auto memory = std::make_unique<std::max_align_t[]>(
      static_cast<std::size_t>(vfs->szOsFile) / sizeof(std::max_align_t) + 1);
  auto* file = reinterpret_cast<sqlite3_file*>(memory.get());
  int out_flags = 0;
  // A statement journal's file: temporary, no name.
  REQUIRE(vfs->xOpen(vfs, nullptr, file,
                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_SUBJOURNAL |
                         SQLITE_OPEN_DELETEONCLOSE,
                     &out_flags) == SQLITE_OK);
  std::string big(3 * (1 << 20) + 12345, '\0');
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<char>('a' + (i * 31 + i / 4096) % 26);
  CHECK(file->pMethods->xWrite(file, big.data(), static_cast<int>(big.size()), 512) == SQLITE_OK);
  sqlite3_int64 size = 0;
  CHECK(file->pMethods->xFileSize(file, &size) == SQLITE_OK);
  CHECK(size == static_cast<sqlite3_int64>(big.size() + 512));
  std::string back(big.size(), '\0');
  CHECK(file->pMethods->xRead(file, back.data(), static_cast<int>(back.size()), 512) == SQLITE_OK);
  CHECK(back == big);
  file->pMethods->xClose(file);
}

TEST_CASE("a statement that changes more than a MiB of pages inside a transaction commits") {
  // Its statement journal spills to a file in one write larger than the
  // default VFS takes at once (found when that limit was raised).
  // mend sets the spill size before SQLite starts; here too when this test
  // runs in a process of its own (as ctest runs each), else it is too late.
  const int config = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
  CHECK((config == SQLITE_OK || config == SQLITE_MISUSE));
  install_wal_buffer_vfs();
  Dir dir;
  Connection c(dir.path + "/c.db");
  REQUIRE(c.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL CHECK (v <> ''));"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
                 "INSERT INTO t SELECT i, printf('%0600d', i) FROM n") == SQLITE_OK);
  REQUIRE(c.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (0, 'first')") == SQLITE_OK);
  const int rc = c.exec("UPDATE t SET v = printf('%0600d', k + 1) WHERE k > 0");
  INFO(sqlite3_errmsg(c.db));
  CHECK(rc == SQLITE_OK);
  REQUIRE(c.exec("COMMIT") == SQLITE_OK);
  CHECK(c.one("SELECT v FROM t WHERE k = 6000") == std::string(596, '0') + "6001");
  CHECK(c.one("PRAGMA integrity_check") == "ok");
}
