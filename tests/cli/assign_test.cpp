// mend assign, open --owner, and the --owner / --mine filters; who wrote each
// event (`by`).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;
using mend::test::sql;
using nlohmann::json;

namespace {

std::vector<int> ids(const Sandbox& s, std::vector<std::string> args) {
  args.push_back("--json");
  std::vector<int> out;
  for (const auto& c : json::parse(s.ok(args)))
    out.push_back(c.contains("case") ? c["case"].get<int>() : c["id"].get<int>());
  return out;
}

}  // namespace

TEST_CASE("mend assign sets the owner, writes an assigned event, and me and nobody work") {
  Sandbox s;
  s.env["MEND_USER"] = "Ana";
  s.ok({"open", "Bob", "Late parcel"});
  auto j = json::parse(s.ok({"assign", "1", "Bea", "--json"}));
  CHECK(j["owner"] == "Bea");
  CHECK(j["events"].back()["kind"] == "assigned");
  CHECK(j["events"].back()["by"] == "Ana");
  CHECK(j["events"].back()["text"] == "Bea");
  j = json::parse(s.ok({"assign", "1", "me", "--json"}));
  CHECK(j["owner"] == "Ana");
  CHECK(j["events"].back()["text"] == "Ana (was Bea)");
  // The same name in another case is no change: nothing written.
  const auto before = db_dump(s.db);
  const auto out = s.ok({"assign", "1", "ANA"});
  CHECK(out.find("already") != std::string::npos);
  CHECK(db_dump(s.db) == before);
  j = json::parse(s.ok({"assign", "1", "nobody", "--json"}));
  CHECK(j["owner"].is_null());
  CHECK(j["events"].size() == 4);
  // The card shows the owner.
  s.ok({"assign", "1", "Bea"});
  CHECK(s.ok({"show", "1"}).find("Owner      Bea") != std::string::npos);
}

TEST_CASE("mend assign refuses what it cannot do, and writes nothing") {
  Sandbox s;
  s.ok({"open", "Bob", "Late parcel"});
  const auto before = db_dump(s.db);
  auto r = s.run({"assign", "7", "Bea"});
  CHECK(r.code == 66);
  CHECK(r.err == "mend: no case #7\n");
  r = s.run({"assign", "1"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  r = s.run({"assign", "1", "  "});
  CHECK(r.code == 64);
  CHECK(r.err.find("PERSON") != std::string::npos);
  r = s.run({"assign", "1", std::string(5000, 'x')});
  CHECK(r.code == 64);
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("open --owner, and list and followup --owner and --mine, match names without case") {
  Sandbox s;
  s.env["MEND_USER"] = "ana";
  s.ok({"open", "Bob", "One", "--due", "+1h"});
  s.ok({"open", "Cy", "Two", "--owner", "me", "--due", "+1h"});
  s.ok({"open", "Di", "Three", "--owner", "Bea", "--due", "+1h"});
  CHECK(sql(s.db, "SELECT owner FROM cases ORDER BY id") == "\nana\nBea\n");
  CHECK(ids(s, {"list", "--mine"}) == std::vector<int>{2});
  CHECK(ids(s, {"list", "--owner", "BEA"}) == std::vector<int>{3});
  CHECK(ids(s, {"list", "--owner", "nobody"}) == std::vector<int>{1});
  CHECK(ids(s, {"list", "--owner", "me"}) == std::vector<int>{2});
  CHECK(ids(s, {"list"}) == std::vector<int>{3, 2, 1});
  CHECK(ids(s, {"followup", "--mine"}) == std::vector<int>{2});
  CHECK(ids(s, {"followup", "--owner", "bea"}) == std::vector<int>{3});
  CHECK(ids(s, {"followup"}) == std::vector<int>{1, 2, 3});
  // Someone else's cron line: nothing of theirs is due, so nothing at all is printed.
  auto r = s.run({"followup", "--owner", "Zed"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  r = s.run({"list", "--owner", "Bea", "--mine"});
  CHECK(r.code == 64);
  CHECK(r.err.find("--mine") != std::string::npos);
  r = s.run({"followup", "1", "--mine", "--done", "--csat", "5"});
  CHECK(r.code == 64);
}

TEST_CASE("every event records who wrote it: MEND_USER, else the login name") {
  Sandbox s;
  s.env.erase("MEND_USER");
  s.env["LOGNAME"] = "kim";
  s.ok({"open", "Bob", "One"});
  s.env["MEND_USER"] = "Ana";
  s.ok({"note", "1", "Called"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  CHECK(sql(s.db, "SELECT kind, author FROM events ORDER BY id") ==
        "opened|kim\nnote|Ana\nresolved|Ana\nfollowup-scheduled|Ana\n");
}

TEST_CASE("owner and by survive export and import, and forget keeps them") {
  Sandbox s;
  s.ok({"open", "Bob", "One", "--owner", "Bea", "--email", "bob@example.com"});
  const auto exported = s.ok({"export"});
  const auto line = json::parse(exported);
  CHECK(line["owner"] == "Bea");
  CHECK(line["events"][0]["by"] == "sam");
  Sandbox other;
  other.ok({"import", "-"}, exported);
  CHECK(other.ok({"export"}) == exported);
  s.ok({"forget", "1", "--yes"});
  const auto after = json::parse(s.ok({"show", "1", "--json"}));
  CHECK(after["owner"] == "Bea");
  CHECK(after["events"][0]["by"] == "sam");
}

TEST_CASE("import reads lines from before owner, by and message as null, and checks message") {
  Sandbox s;
  auto line = json::parse(
      R"({"id":1,"status":"open","customer":{"id":1,"name":"Ada","email":null,"phone":null},)"
      R"("summary":"S","complaint":null,"wants":null,"channel":"email","category":"other",)"
      R"("priority":"normal","reference":null,"tags":[],"opened_at":"2026-11-01T09:00:00Z",)"
      R"("due_at":null,"resolved_at":null,"followup_at":null,"closed_at":null,"resolution":null,)"
      R"("satisfaction":null,"events":[{"at":"2026-11-01T09:00:00Z","kind":"opened","text":"S"}]})");
  s.ok({"import", "-"}, line.dump() + "\n");
  const auto j = json::parse(s.ok({"show", "1", "--json"}));
  CHECK(j["owner"].is_null());
  CHECK(j["events"][0]["by"].is_null());
  CHECK(j["events"][0]["message"].is_null());
  // A message must say which way it went.
  Sandbox t;
  line["events"][0]["message"] = {{"id", "a@b"}, {"direction", "sideways"}};
  auto r = t.run({"import", "-"}, line.dump() + "\n");
  CHECK(r.code == 65);
  CHECK(r.err.find("events[0].message.direction") != std::string::npos);
  line["events"][0]["message"] = "a@b";
  r = t.run({"import", "-"}, line.dump() + "\n");
  CHECK(r.code == 65);
  CHECK(r.err.find("events[0].message") != std::string::npos);
  // An imported Message-ID is known to mail afterwards.
  line["events"][0]["message"] = {{"id", "abc@example.com"},
                                  {"from", "Ada <ada@example.com>"},
                                  {"to", nullptr},
                                  {"subject", "Help"},
                                  {"direction", "in"}};
  t.ok({"import", "-"}, line.dump() + "\n");
  CHECK(sql(t.db, "SELECT key, case_id FROM mail_seen") == "abc@example.com|1\n");
}
