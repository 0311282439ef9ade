// mend forget, end to end.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

// Texts that must leave the database: long and unlikely, so a byte search
// cannot find them by chance.
const std::vector<std::string> kSecrets = {
    "Zanzibar Quuxington",     "zanzibar.secret@example.com", "+1 555 867 5309",
    "SECRET-SUMMARY-ONE-7f3a", "SECRET-COMPLAINT-words-9b2c", "SECRET-WANTS-refund-4d1e",
    "SECRET-REF-INV-66a0",     "SECRET-RESOLUTION-TEXT-c0de", "SECRET-NOTE-TEXT-beef"};

std::vector<OJson> secret_history() {
  auto open = case_line(1, 1, kSecrets[0], kSecrets[3]);
  open["customer"]["email"] = kSecrets[1];
  open["customer"]["phone"] = kSecrets[2];
  open["complaint"] = kSecrets[4];
  open["wants"] = kSecrets[5];
  open["reference"] = kSecrets[6];
  open["tags"] = {"fragile", "vip"};
  open["events"].push_back(
      {{"at", "2026-11-01T10:00:00Z"}, {"kind", "call"}, {"text", kSecrets[8]}, {"by", "sam"},
       {"message", nullptr}});
  auto closed = case_line(2, 1, kSecrets[0], kSecrets[3] + " again");
  closed["customer"] = open["customer"];
  closed["status"] = "closed";
  closed["category"] = "billing";
  closed["priority"] = "high";
  closed["resolved_at"] = "2026-11-02T10:00:00Z";
  closed["closed_at"] = "2026-11-05T10:00:00Z";
  closed["resolution"] = {{"outcome", "refund"}, {"text", kSecrets[7]}, {"amount_cents", 4999},
                          {"currency", "EUR"},   {"fault", "ours"},     {"cause", "courier"}};
  closed["satisfaction"] = 4;
  closed["events"].push_back(
      {{"at", "2026-11-05T10:00:00Z"}, {"kind", "followup-done"}, {"text", kSecrets[8]},
       {"by", "sam"}, {"message", nullptr}});
  auto other = case_line(3, 2, "Bob Keeper", "Bob's own summary");
  return {open, closed, other};
}

// Runs mend on a pseudo-terminal (through script(1)), typing `typed`.
int run_on_terminal(const Sandbox& s, const std::string& args, const std::string& typed) {
  std::string env;
  for (const auto& [k, v] : s.env)
    env += k + "='" + v + "' ";
  const std::string cmd = "cd '" + s.dir + "' && printf '" + typed + "' | env -i " + env +
                          "script -qec \"'" MEND_BINARY "' " + args +
                          "\" /dev/null >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("mend forget erases the personal text from the database file and its WAL" * mend::test::kSqliteOnly) {
  Sandbox s;
  s.ok({"import", "-"}, jsonl(secret_history()));
  // Another connection stays open, so the WAL file is not simply deleted when
  // mend exits: the checkpoint after the erase must do the work.
  FILE* reader = ::popen(("sqlite3 '" + s.db + "' > /dev/null").c_str(), "w");
  REQUIRE(reader != nullptr);
  std::fputs("SELECT count(*) FROM cases;\n", reader);
  std::fflush(reader);
  const auto out = s.ok({"forget", "1", "--yes"});
  CHECK(out ==
        "Forgot customer #1: erased the name, email and phone, and the text of 2 cases and 4 "
        "events.\n");
  std::string bytes = file_bytes(s.db) + file_bytes(s.db + "-wal");
  for (const auto& secret : kSecrets) {
    INFO(secret);
    CHECK(bytes.find(secret) == std::string::npos);
  }
  ::pclose(reader);
  bytes = file_bytes(s.db) + file_bytes(s.db + "-wal");
  for (const auto& secret : kSecrets)
    CHECK(bytes.find(secret) == std::string::npos);
  CHECK(bytes.find("Bob's own summary") != std::string::npos);  // the search does find what stays
}

TEST_CASE(
    "mend forget keeps dates, channel, category, priority, tags, outcome, amount, fault, cause and "
    "satisfaction") {
  Sandbox s;
  const auto history = secret_history();
  s.ok({"import", "-"}, jsonl(history));
  s.ok({"forget", "1", "--yes"});
  const auto one = nlohmann::ordered_json::parse(s.ok({"show", "1", "--json"}));
  const auto two = nlohmann::ordered_json::parse(s.ok({"show", "2", "--json"}));
  CHECK(one["customer"] ==
        OJson{{"id", 1}, {"name", "[forgotten #1]"}, {"email", nullptr}, {"phone", nullptr}});
  CHECK(one["summary"] == "");
  for (const char* k : {"complaint", "wants", "reference"})
    CHECK(one[k].is_null());
  for (const char* k : {"status", "channel", "category", "priority", "tags", "opened_at", "due_at"})
    CHECK(one[k] == history[0][k]);
  for (const char* k : {"status", "channel", "category", "priority", "opened_at", "resolved_at",
                        "closed_at", "satisfaction"})
    CHECK(two[k] == history[1][k]);
  auto resolution = history[1]["resolution"];
  resolution["text"] = nullptr;
  CHECK(two["resolution"] == resolution);
  REQUIRE(two["events"].size() == history[1]["events"].size());
  for (std::size_t i = 0; i < two["events"].size(); ++i) {
    CHECK(two["events"][i]["at"] == history[1]["events"][i]["at"]);
    CHECK(two["events"][i]["kind"] == history[1]["events"][i]["kind"]);
    CHECK(two["events"][i]["text"] == "");
  }
  CHECK(sql(s.db, "SELECT CASE WHEN forgotten_at IS NULL THEN 0 ELSE 1 END FROM customers ORDER BY id") ==
            "1\n0\n");
  // The other customer is untouched, and the forgotten one is never matched again.
  CHECK(nlohmann::json::parse(s.ok({"show", "3", "--json"}))["summary"] == "Bob's own summary");
  const auto again = nlohmann::json::parse(
      s.ok({"open", kSecrets[0], "Back again", "--email", kSecrets[1], "--json"}));
  CHECK(again["customer"]["id"] == 3);
}

TEST_CASE("mend forget without --yes and without a terminal is a usage error and changes nothing") {
  Sandbox s;
  s.ok({"import", "-"}, jsonl(secret_history()));
  const auto before = db_dump(s.db);
  const auto r = s.run({"forget", "1"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.find("--yes") != std::string::npos);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("mend forget of an unknown customer exits 66") {
  Sandbox s;
  s.ok({"open", "Ada", "First"});
  const auto r = s.run({"forget", "9", "--yes"});
  CHECK(r.code == 66);
  CHECK(r.err == "mend: no customer #9\n");
  CHECK(s.run({"forget", "ada", "--yes"}).code == 64);
}

TEST_CASE("mend forget asks on a terminal: declining exits 1 and changes nothing, yes forgets") {
  Sandbox s;
  s.ok({"import", "-"}, jsonl(secret_history()));
  const auto before = db_dump(s.db);
  CHECK(run_on_terminal(s, "forget 1", "n\\n") == 1);
  CHECK(db_dump(s.db) == before);
  CHECK(run_on_terminal(s, "forget 1", "\\n") == 1);
  CHECK(db_dump(s.db) == before);
  CHECK(run_on_terminal(s, "forget 1", "yes\\n") == 0);
  CHECK(sql(s.db, "SELECT name FROM customers WHERE id = 1") == "[forgotten #1]\n");
}
