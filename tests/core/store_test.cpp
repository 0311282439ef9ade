#include "core/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/errors.hpp"

using namespace mend;

namespace {

constexpr Time kNow = 1'795'010'700;  // 2026-11-18T14:05:00Z

NewCase complaint(std::string name, std::optional<std::string> email = std::nullopt,
                  std::optional<std::string> phone = std::nullopt) {
  NewCase c;
  c.customer_name = std::move(name);
  c.email = std::move(email);
  c.phone = std::move(phone);
  c.summary = "Parcel arrived damaged";
  return c;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/mend-store-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no error was thrown");
  return ErrorKind::internal;
}

}  // namespace

TEST_CASE("opening a case stores every field and writes an opened event") {
  SqliteStore store(":memory:");
  NewCase in = complaint("Ada Lovelace", "ada@example.com", "+44 20 7946 0000");
  in.complaint = "The box was crushed.\nThe vase inside broke.";
  in.wants = "a replacement";
  in.channel = Channel::email;
  in.category = "delivery";
  in.priority = Priority::high;
  in.reference = "INV-1042";
  in.tags = {"vip", "fragile", "VIP"};
  in.due_at = kNow + 2 * 86400;
  const Case c = store.open_case(in, kNow);
  CHECK(c.id == 1);
  CHECK(c.status == Status::open);
  CHECK(c.customer.name == "Ada Lovelace");
  CHECK(c.customer.email == "ada@example.com");
  CHECK(c.complaint == in.complaint);
  CHECK(c.wants == "a replacement");
  CHECK(c.channel == Channel::email);
  CHECK(c.category == "delivery");
  CHECK(c.priority == Priority::high);
  CHECK(c.reference == "INV-1042");
  CHECK(c.tags == std::vector<std::string>{"fragile", "vip"});  // sorted, duplicates folded
  CHECK(c.opened_at == kNow);
  CHECK(c.due_at == kNow + 2 * 86400);
  CHECK_FALSE(c.resolved_at.has_value());
  CHECK_FALSE(c.resolution.has_value());
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0].kind == EventKind::opened);
  CHECK(c.events[0].at == kNow);
}

TEST_CASE("a customer is reused by email, case-insensitively") {
  SqliteStore store(":memory:");
  const auto a = store.open_case(complaint("Ada Lovelace", "Ada@Example.com"), kNow);
  const auto b = store.open_case(complaint("A. Lovelace", "ada@example.COM"), kNow + 60);
  CHECK(b.customer.id == a.customer.id);
  CHECK(b.customer.name == "Ada Lovelace");
}

TEST_CASE("a customer is reused by phone when no email matches, and the email fills in") {
  SqliteStore store(":memory:");
  const auto a = store.open_case(complaint("Bob", std::nullopt, "555-0100"), kNow);
  const auto b = store.open_case(complaint("Robert", "bob@example.com", "555 0100"), kNow + 60);
  CHECK(b.customer.id == a.customer.id);
  CHECK(b.customer.email == "bob@example.com");
  CHECK(b.customer.phone == "555-0100");  // what was on file stays
}

TEST_CASE("a customer is reused by name only when nothing on file conflicts") {
  SqliteStore store(":memory:");
  const auto a = store.open_case(complaint("Carol King", "carol@example.com"), kNow);
  SUBCASE("same name, no contact details: reused") {
    const auto b = store.open_case(complaint("carol king"), kNow + 60);
    CHECK(b.customer.id == a.customer.id);
  }
  SUBCASE("same name, another email: a different person") {
    const auto b = store.open_case(complaint("Carol King", "other@example.com"), kNow + 60);
    CHECK(b.customer.id != a.customer.id);
  }
  SUBCASE("same name, a phone where none is on file: reused and filled") {
    const auto b = store.open_case(complaint("Carol King", std::nullopt, "555 0199"), kNow + 60);
    CHECK(b.customer.id == a.customer.id);
    CHECK(b.customer.phone == "555 0199");
  }
  SUBCASE("two customers of that name: the most recent without conflict") {
    const auto b = store.open_case(complaint("Carol King", "second@example.com"), kNow + 60);
    const auto c = store.open_case(complaint("CAROL KING"), kNow + 120);
    CHECK(c.customer.id == b.customer.id);
  }
  SUBCASE("a different name is a new customer") {
    const auto b = store.open_case(complaint("Carole King"), kNow + 60);
    CHECK(b.customer.id != a.customer.id);
  }
}

TEST_CASE("a missing case is not_found") {
  SqliteStore store(":memory:");
  CHECK(kind_of([&] { store.get_case(7); }) == ErrorKind::not_found);
}

TEST_CASE("case ids are never reused") {
  TempDir dir;
  SqliteStore store(dir.path + "/cases.db");
  store.open_case(complaint("A"), kNow);
  const auto b = store.open_case(complaint("B"), kNow);
  store.db().exec("DELETE FROM events WHERE case_id = 2; DELETE FROM cases WHERE id = 2");
  const auto c = store.open_case(complaint("C"), kNow);
  CHECK(b.id == 2);
  CHECK(c.id == 3);
}

TEST_CASE("list filters and order: newest opened first, ties by higher id") {
  SqliteStore store(":memory:");
  auto in = complaint("Ada Lovelace", "ada@example.com");
  in.category = "delivery";
  in.tags = {"vip"};
  in.due_at = kNow + 3600;
  store.open_case(in, kNow);                      // 1
  store.open_case(complaint("Bob"), kNow + 100);  // 2
  store.open_case(complaint("Bob"), kNow + 100);  // 3
  auto ids = [&](const ListFilter& f, Time now = kNow + 200) {
    std::vector<std::int64_t> out;
    for (const auto& c : store.list_cases(f, now))
      out.push_back(c.id);
    return out;
  };
  CHECK(ids({}) == std::vector<std::int64_t>{3, 2, 1});
  ListFilter f;
  f.limit = 2;
  CHECK(ids(f) == std::vector<std::int64_t>{3, 2});
  f = {};
  f.customer = "lovel";
  CHECK(ids(f) == std::vector<std::int64_t>{1});
  f.customer = "ADA@example.com";
  CHECK(ids(f) == std::vector<std::int64_t>{1});
  f.customer = "2";  // Bob's customer id
  CHECK(ids(f) == std::vector<std::int64_t>{3, 2});
  f = {};
  f.tag = "VIP";
  CHECK(ids(f) == std::vector<std::int64_t>{1});
  f = {};
  f.category = "delivery";
  CHECK(ids(f) == std::vector<std::int64_t>{1});
  f = {};
  f.overdue = true;
  CHECK(ids(f, kNow + 200).empty());
  CHECK(ids(f, kNow + 7200) == std::vector<std::int64_t>{1});
  f = {};
  f.since = kNow + 100;
  CHECK(ids(f) == std::vector<std::int64_t>{3, 2});
  f = {};
  f.until = kNow + 100;
  CHECK(ids(f) == std::vector<std::int64_t>{1});
  f = {};
  f.customer = "100%_";  // LIKE wildcards are literal
  CHECK(ids(f).empty());
}

TEST_CASE("a new database is created private, in WAL mode, at the current schema") {
  TempDir dir;
  const std::string path = dir.path + "/deep/er/cases.db";
  { SqliteStore store(path); }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((dir.path + "/deep/er").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  SqliteStore store(path);
  CHECK(store.db().execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(store.db().execAndGet("PRAGMA user_version").getInt() == kSchemaVersion);
  CHECK(store.db().execAndGet("PRAGMA application_id").getInt64() == kApplicationId);
  CHECK(store.db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
}

TEST_CASE("a database from a newer mend is refused with an io error") {
  TempDir dir;
  const std::string path = dir.path + "/cases.db";
  {
    SqliteStore store(path);
    store.db().exec("PRAGMA user_version = 99");
  }
  try {
    SqliteStore store(path);
    FAIL("a newer schema was opened");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()).find("newer mend") != std::string::npos);
  }
}

TEST_CASE("a file that is not a database, or another program's database, is refused") {
  TempDir dir;
  const std::string junk = dir.path + "/junk.db";
  std::ofstream(junk) << "this is not an SQLite file, it is a shopping list\n";
  CHECK(kind_of([&] { SqliteStore s(junk); }) == ErrorKind::io);
  const std::string other = dir.path + "/other.db";
  {
    SQLite::Database db(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t(x)");
  }
  CHECK(kind_of([&] { SqliteStore s(other); }) == ErrorKind::io);
}

TEST_CASE("a symbolic link at the database path is refused") {
  TempDir dir;
  const std::string target = dir.path + "/real.db";
  { SqliteStore s(target); }
  const std::string link = dir.path + "/link.db";
  REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
  CHECK(kind_of([&] { SqliteStore s(link); }) == ErrorKind::io);
}

TEST_CASE("a link in the folders above the database is followed") {
  TempDir dir;
  REQUIRE(::mkdir((dir.path + "/real").c_str(), 0700) == 0);
  REQUIRE(::symlink((dir.path + "/real").c_str(), (dir.path + "/linked").c_str()) == 0);
  { SqliteStore s(dir.path + "/linked/cases.db"); }
  CHECK(std::filesystem::exists(dir.path + "/real/cases.db"));
}

TEST_CASE("a user_version mend never writes is refused, not migrated") {
  TempDir dir;
  const std::string path = dir.path + "/cases.db";
  { SqliteStore s(path); }
  for (const char* version : {"-1", "0"}) {
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE);
      db.exec(std::string("PRAGMA user_version = ") + version);
    }
    CHECK(kind_of([&] { SqliteStore s(path); }) == ErrorKind::io);
  }
}

TEST_CASE("a schema object mend did not create is refused by name") {
  TempDir dir;
  const std::string path = dir.path + "/cases.db";
  { SqliteStore s(path); }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("CREATE TRIGGER keep BEFORE UPDATE ON customers BEGIN SELECT 1; END");
  }
  try {
    SqliteStore s(path);
    FAIL("a planted trigger was accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK(std::string(e.what()).find("trigger \"keep\"") != std::string::npos);
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER keep; ANALYZE; VACUUM");
  }
  SqliteStore again(path);  // SQLite's statistics tables and a rewritten sqlite_schema are fine
}

TEST_CASE("a case whose customer is missing is reported as damage, not as missing") {
  TempDir dir;
  const std::string path = dir.path + "/cases.db";
  {
    SqliteStore s(path);
    s.open_case(complaint("Ada"), kNow);
    s.db().exec("PRAGMA foreign_keys=OFF; DELETE FROM customers");
  }
  SqliteStore s(path);
  CHECK(kind_of([&] { s.get_case(1); }) == ErrorKind::io);
  CHECK(kind_of([&] { s.export_cases({}, [](const Case&) {}); }) == ErrorKind::io);
  CHECK(kind_of([&] { s.get_case(2); }) == ErrorKind::not_found);
}
