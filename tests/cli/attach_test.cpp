// mend attach and the evidence store, end to end.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/migrations.hpp"
#include "core/sqlite_store.hpp"
#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

// A real 1x1 PNG: libmagic must call it image/png from its bytes.
const std::string kPng = tiny_png();

void write_config(const Sandbox& s, const std::string& text) {
  std::filesystem::create_directories(s.dir + "/.config/mend");
  write_file(s.dir + "/.config/mend/config.toml", text);
}

}  // namespace

TEST_CASE("mend attach keeps files with their type read from the content, once per SHA-256") {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  write_file(s.dir + "/photo.png", kPng);
  write_file(s.dir + "/not-a-photo.jpg", "plain words, whatever the name says\n");
  write_file(s.dir + "/again.png", kPng);
  const auto j = nlohmann::json::parse(
      s.ok({"attach", "1", "photo.png", "not-a-photo.jpg", "again.png", "--json"}));
  const auto& a = j["attachments"];
  REQUIRE(a.size() == 3);
  CHECK(a[0]["name"] == "photo.png");
  CHECK(a[0]["type"] == "image/png");
  CHECK(a[0]["size"] == kPng.size());
  CHECK(a[0]["sha256"] ==
        shell_output("sha256sum < '" + s.dir + "/photo.png' | cut -c1-64 | tr -d '\\n'"));
  CHECK(a[0]["at"] == "2026-11-23T14:05:00Z");
  CHECK(a[1]["type"] == "text/plain");
  CHECK(a[2]["sha256"] == a[0]["sha256"]);
  CHECK(sql(s.db, "SELECT count(*) FROM blobs") == "2\n");
  int attached = 0;
  for (const auto& e : j["events"])
    attached += e["kind"] == "attached" ? 1 : 0;
  CHECK(attached == 3);
  // show lists them; list does not carry them.
  const auto card = s.ok({"show", "1"});
  CHECK(card.find("Files") != std::string::npos);
  CHECK(card.find("photo.png  image/png  " + std::to_string(kPng.size()) + " bytes") !=
        std::string::npos);
  CHECK(nlohmann::json::parse(s.ok({"show", "1", "--json"}))["attachments"].size() == 3);
  CHECK(!nlohmann::json::parse(s.ok({"list", "--json"}))[0].contains("attachments"));
}

TEST_CASE("mend attach takes all files or none") {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  write_file(s.dir + "/photo.png", kPng);
  const auto before = db_dump(s.db);
  auto r = s.run({"attach", "1", "photo.png", "missing.png"});
  CHECK(r.code == 66);
  CHECK(r.out.empty());
  CHECK(r.err == "mend: no such file: missing.png\n");
  CHECK(db_dump(s.db) == before);

  std::filesystem::create_directories(s.dir + "/folder");
  r = s.run({"attach", "1", "photo.png", "folder"});
  CHECK(r.code == 66);
  CHECK(r.err.find("folder is a folder") != std::string::npos);
  REQUIRE(::mkfifo((s.dir + "/fifo").c_str(), 0600) == 0);
  r = s.run({"attach", "1", "fifo"});  // a FIFO nobody writes to: refused, never waited on
  CHECK(r.code == 66);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  r = s.run({"attach", "99", "photo.png"});
  CHECK(r.code == 66);
  CHECK(r.err == "mend: no case #99\n");
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("mend attach refuses a file over max_attachment (65) before reading it") {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  write_config(s, "max_attachment = 1_000\n");
  write_file(s.dir + "/small.txt", "small\n");
  write_file(s.dir + "/big.bin", std::string(1001, 'x'));
  const auto before = db_dump(s.db);
  auto r = s.run({"attach", "1", "small.txt", "big.bin"});
  CHECK(r.code == 65);
  CHECK(r.err.find("max_attachment (1000 bytes)") != std::string::npos);
  CHECK(db_dump(s.db) == before);
  // Stdin has no size to check first: it is read up to the limit.
  r = s.run({"attach", "1", "-", "--name", "big.bin"}, std::string(1001, 'y'));
  CHECK(r.code == 65);
  CHECK(db_dump(s.db) == before);
  s.ok({"attach", "1", "-", "--name", "note.txt"}, "from stdin\n");
  CHECK(sql(s.db, "SELECT name, size FROM attachments") == "note.txt|11\n");
  write_config(s, "max_attachment = \"big\"\n");
  r = s.run({"attach", "1", "small.txt"});
  CHECK(r.code == 64);
}

TEST_CASE("mend attach: stdin needs --name, and names are checked") {
  Sandbox s;
  s.ok({"open", "Ada", "Vase broken"});
  auto r = s.run({"attach", "1", "-"}, "bytes");
  CHECK(r.code == 64);
  CHECK(r.err.find("--name") != std::string::npos);
  r = s.run({"attach", "1", "-", "--name", std::string(256, 'n')}, "bytes");
  CHECK(r.code == 64);
  r = s.run({"attach", "1", "-", "--name", "a/b"}, "bytes");
  CHECK(r.code == 64);
  CHECK(sql(s.db, "SELECT count(*) FROM attachments") == "0\n");
}

TEST_CASE("every older schema migrates to the current one in a transaction, with a copy kept" * mend::test::kSqliteOnly) {
  for (std::size_t from = 1; from < mend::kMigrations.size(); ++from) {
    CAPTURE(from);
    Sandbox s;
    // A database as that mend made it: its migrations only, and one case.
    std::string setup;
    for (std::size_t m = 0; m < from; ++m)
      setup += mend::kMigrations[m];
    setup += "PRAGMA application_id = " + std::to_string(mend::kApplicationId) +
             "; PRAGMA user_version = " + std::to_string(from) +
             "; INSERT INTO customers (id, name, created_at) VALUES (1, 'Ada', 1795442700);"
             "INSERT INTO cases (customer_id, status, summary, channel, category, priority, "
             "opened_at) VALUES (1, 'open', 'Vase broken', 'other', 'other', 'normal', "
             "1795442700);"
             "INSERT INTO events (case_id, at, kind, text) VALUES (1, 1795442700, 'opened', "
             "'Vase broken');";
    std::filesystem::create_directories(std::filesystem::path(s.db).parent_path());
    run_sql(s.db, setup);
    const auto j = nlohmann::json::parse(s.ok({"show", "1", "--json"}));
    CHECK(j["summary"] == "Vase broken");
    CHECK(j["owner"].is_null());
    CHECK(j["events"][0]["by"].is_null());  // who wrote it before v3 is not known
    CHECK(j["attachments"] == nlohmann::json::array());
    CHECK(sql(s.db, "PRAGMA user_version") == std::to_string(mend::kSchemaVersion) + "\n");
    const auto copy = s.db + ".v" + std::to_string(from) + ".bak";
    REQUIRE(std::filesystem::exists(copy));
    CHECK(sql(copy, "PRAGMA user_version") == std::to_string(from) + "\n");
    CHECK(sql(copy, "SELECT summary FROM cases") == "Vase broken\n");
    // The migrated file has exactly the schema a new one gets.
    Sandbox fresh;
    fresh.ok({"list"});
    const char* schema = "SELECT type, name, sql FROM sqlite_schema ORDER BY name";
    CHECK(sql(s.db, schema) == sql(fresh.db, schema));
    // New writes record who wrote them.
    s.env["MEND_USER"] = "sam";
    s.ok({"note", "1", "Called back"});
    CHECK(sql(s.db, "SELECT author FROM events ORDER BY id DESC LIMIT 1") == "sam\n");
  }
}
