// Which VFS a store's connection runs on: SQLite's own for every use but
// import, whose connection buffers its WAL (wal_buffer.hpp).
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/sqlite_store.hpp"
#include "core/wal_buffer.hpp"

using namespace mend;

namespace {

struct Dir {
  std::string path;
  Dir() {
    char tmpl[] = "/tmp/mend-vfs-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~Dir() { std::filesystem::remove_all(path); }
};

std::string vfs_name(SqliteStore& store) {
  char* name = nullptr;
  REQUIRE(sqlite3_file_control(store.db().getHandle(), "main", SQLITE_FCNTL_VFSNAME, &name) ==
          SQLITE_OK);
  REQUIRE(name != nullptr);
  std::string out = name;
  sqlite3_free(name);
  return out;
}

std::string settings(SqliteStore& store) {
  std::string out;
  for (const char* pragma : {"journal_mode", "synchronous", "foreign_keys", "secure_delete",
                             "trusted_schema", "busy_timeout"})
    out += std::string(pragma) + "=" +
           store.db().execAndGet(std::string("PRAGMA ") + pragma).getString() + " ";
  return out;
}

}  // namespace

TEST_CASE("an everyday store runs on SQLite's own VFS and an import's store on the buffering one") {
  // No store of this process was opened for an import before this one (each
  // ctest entry is a process of its own, and no other test asks for one).
  Dir dir;
  const std::string path = dir.path + "/cases.db";
  SqliteStore everyday(path);
  CHECK(vfs_name(everyday) == "unix");
  CHECK(sqlite3_vfs_find(nullptr) != sqlite3_vfs_find(kWalBufferVfs));
  CHECK_FALSE(set_wal_buffering(everyday.db().getHandle(), true));

  SqliteStore bulk(path, StoreUse::bulk_load);
  CHECK(vfs_name(bulk) == std::string(kWalBufferVfs) + "/unix");
  CHECK(set_wal_buffering(bulk.db().getHandle(), true));
  CHECK(set_wal_buffering(bulk.db().getHandle(), false));
  // The same settings and the same busy wait on both.
  CHECK(settings(bulk) == settings(everyday));
  CHECK(settings(everyday).find("journal_mode=wal synchronous=2 foreign_keys=1") == 0);

  // The import's connection writes; the everyday one reads it.
  std::string lines =
      R"({"id":7,"status":"open","customer":{"id":3,"name":"Ada","email":null,"phone":null},)"
      R"("summary":"Late","complaint":null,"wants":null,"channel":"email","category":"delivery",)"
      R"("priority":"normal","reference":null,"tags":[],"opened_at":"2026-11-01T09:00:00Z",)"
      R"("due_at":null,"resolved_at":null,"followup_at":null,"closed_at":null,"resolution":null,)"
      R"("satisfaction":null,"events":[]})";
  bool given = false;
  const auto summary = bulk.import_cases(
      [&](std::string& line) {
        if (given) return false;
        line = lines;
        given = true;
        return true;
      },
      "test", 1'800'000'000, [](const Reassignment&) {});
  CHECK(summary.cases == 1);
  CHECK(everyday.get_case(7).summary == "Late");
  // The import put its connection back as it was.
  CHECK(bulk.db().execAndGet("PRAGMA ignore_check_constraints").getInt() == 0);
  CHECK(bulk.db().execAndGet("PRAGMA cache_size").getInt() ==
        everyday.db().execAndGet("PRAGMA cache_size").getInt());
  CHECK(bulk.db().execAndGet("SELECT count(*) FROM temp.sqlite_master").getInt() == 0);
}
