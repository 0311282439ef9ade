// The SPEC, rule by rule: each TEST_CASE runs the real binary the way a reader
// of the product contract (the README and the man page say the same) would check one of its
// sentences. The clock is MEND_NOW = Monday 2026-11-23 14:05:00 UTC unless a test moves it.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness.hpp"
#include "refusal.hpp"

using mend::test::check_refused;
using mend::test::db_dump;
using mend::test::file_bytes;
using mend::test::run_on_terminal;
using mend::test::Sandbox;
using mend::test::sql;
using nlohmann::json;

namespace {

json J(const Sandbox& s, std::vector<std::string> args, const std::string& input = "") {
  args.push_back("--json");
  return json::parse(s.ok(args, input));
}

std::vector<std::string> kinds(const json& c) {
  std::vector<std::string> out;
  for (const auto& e : c["events"])
    out.push_back(e["kind"]);
  return out;
}

std::vector<int> list_ids(const Sandbox& s, std::vector<std::string> args) {
  args.insert(args.begin(), "list");
  std::vector<int> out;
  for (const auto& c : J(s, args))
    out.push_back(c["id"]);
  return out;
}

std::set<std::string> keys(const json& j) {
  std::set<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it)
    out.insert(it.key());
  return out;
}

const std::set<std::string> kCaseKeys = {
    "id",          "status",    "customer",   "summary",      "complaint", "wants",  "channel",
    "category",    "priority",  "reference",  "tags",         "opened_at", "due_at", "resolved_at",
    "followup_at", "closed_at", "resolution", "satisfaction", "owner"};

int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string due_of(const Sandbox& s, const std::string& when) {
  return J(s, {"open", "Dee", "due test", "--due", when})["due_at"];
}

}  // namespace

// ---------------------------------------------------------------- data model

TEST_CASE("SPEC case ids start at 1 and are never reused or renumbered") {
  Sandbox s;
  CHECK(s.ok({"open", "Ann", "one", "-q"}) == "1\n");
  CHECK(s.ok({"open", "Ann", "two", "-q"}) == "2\n");
  // An imported case whose id is taken gets a new one; the old ones stay.
  auto line = J(s, {"show", "2"});
  line.erase("history");
  const auto r = s.ok({"import", "-"}, line.dump() + "\n");
  CHECK(r.find("case 2 → 3") != std::string::npos);
  CHECK(s.ok({"open", "Ann", "four", "-q"}) == "4\n");
  CHECK(J(s, {"show", "1"})["summary"] == "one");
  CHECK(J(s, {"show", "2"})["summary"] == "two");
  CHECK(list_ids(s, {}) == std::vector<int>{4, 3, 2, 1});
}

TEST_CASE("SPEC a case object has exactly the data model fields with null never omitted") {
  Sandbox s;
  const auto c = J(s, {"open", "Ann", "Broken"});
  auto fields = kCaseKeys;
  fields.insert("events");
  fields.insert("attachments");
  CHECK(keys(c) == fields);
  CHECK(keys(c["customer"]) == std::set<std::string>{"id", "name", "email", "phone"});
  CHECK(c["customer"]["email"].is_null());
  CHECK(c["customer"]["phone"].is_null());
  for (const char* k : {"complaint", "wants", "reference", "resolved_at", "followup_at",
                        "closed_at", "resolution", "satisfaction"})
    CHECK(c[k].is_null());
  CHECK(c["tags"] == json::array());
  CHECK(c["status"] == "open");
  CHECK(c["id"] == 1);
  const auto r = J(s, {"resolve", "1", "--outcome", "refund"});
  CHECK(keys(r["resolution"]) ==
        std::set<std::string>{"outcome", "text", "amount_cents", "currency", "fault", "cause"});
  CHECK(r["resolution"]["amount_cents"].is_null());
  CHECK(r["resolution"]["text"].is_null());
  CHECK(r["resolution"]["cause"].is_null());
}

TEST_CASE("SPEC resolve moves open to resolved and writes resolved and followup-scheduled") {
  Sandbox s;
  s.ok({"open", "Ann", "Broken"});
  const auto c = J(s, {"resolve", "1", "--outcome", "replacement"});
  CHECK(c["status"] == "resolved");
  CHECK(c["resolved_at"] == "2026-11-23T14:05:00Z");
  CHECK(c["followup_at"] == "2026-11-26T14:05:00Z");  // default +3d
  CHECK(c["closed_at"].is_null());
  CHECK(kinds(c) == std::vector<std::string>{"opened", "resolved", "followup-scheduled"});
}

TEST_CASE("SPEC resolve --followup never closes at once with no follow-up") {
  Sandbox s;
  s.ok({"open", "Ann", "Broken"});
  const auto c = J(s, {"resolve", "1", "--outcome", "apology", "--followup", "never"});
  CHECK(c["status"] == "closed");
  CHECK(c["resolved_at"] == "2026-11-23T14:05:00Z");
  CHECK(c["closed_at"] == "2026-11-23T14:05:00Z");
  CHECK(c["followup_at"].is_null());
  CHECK(kinds(c) == std::vector<std::string>{"opened", "resolved"});
}

TEST_CASE("SPEC resolve --followup WHEN overrides the default and config followup_in") {
  Sandbox s;
  write_file(s.dir + "/.config/mend/config.toml", "followup_in = \"+5d\"\n");
  s.ok({"open", "Ann", "A"});
  s.ok({"open", "Ann", "B"});
  CHECK(J(s, {"resolve", "1", "--outcome", "refund"})["followup_at"] == "2026-11-28T14:05:00Z");
  CHECK(J(s, {"resolve", "2", "--outcome", "refund", "--followup", "2026-12-01"})["followup_at"] ==
        "2026-12-01T23:59:59Z");
}

TEST_CASE("SPEC recording the follow-up as done moves resolved to closed") {
  Sandbox s;
  s.ok({"open", "Ann", "Broken"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.env["MEND_NOW"] = "2026-11-26T10:00:00Z";
  const auto c = J(s, {"followup", "1", "--done", "--csat", "4", "-m", "happy now"});
  CHECK(c["status"] == "closed");
  CHECK(c["closed_at"] == "2026-11-26T10:00:00Z");
  CHECK(c["resolved_at"] == "2026-11-23T14:05:00Z");
  CHECK(c["followup_at"] == "2026-11-26T14:05:00Z");  // kept: when it was scheduled
  CHECK(c["satisfaction"] == 4);
  CHECK(kinds(c).back() == "followup-done");
  CHECK(c["events"].back()["text"] == "happy now");
}

TEST_CASE(
    "SPEC reopen moves resolved or closed back to open and clears exactly the listed fields") {
  Sandbox s;
  s.ok({"open", "Ann", "Broken", "--ref", "INV-1", "--wants", "refund", "--tag", "vip"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "5", "--cause", "Courier"});
  s.ok({"followup", "1", "--done", "--csat", "2"});
  const auto before = J(s, {"show", "1"});
  const auto c = J(s, {"reopen", "1", "still broken"});
  CHECK(c["status"] == "open");
  for (const char* k : {"resolved_at", "followup_at", "closed_at", "resolution", "satisfaction"})
    CHECK(c[k].is_null());
  for (const char* k : {"summary", "reference", "wants", "tags", "opened_at", "due_at", "channel",
                        "category", "priority", "customer"})
    CHECK(c[k] == before[k]);
  CHECK(kinds(c).back() == "reopened");
  CHECK(c["events"].back()["text"] == "still broken");
  CHECK(c["events"].size() == before["events"].size() + 1);  // the timeline keeps the history
  // A resolved (not yet closed) case reopens too; an open one cannot.
  s.ok({"resolve", "1", "--outcome", "repair"});
  CHECK(J(s, {"reopen", "1"})["status"] == "open");
  check_refused(s, {"reopen", "1"}, 65);
}

TEST_CASE("SPEC open reuses a customer whose email matches case-insensitively") {
  Sandbox s;
  const auto a = J(s, {"open", "Ann Lee", "one", "--email", "Ann@Example.com"});
  const auto b = J(s, {"open", "Annie", "two", "--email", "ann@EXAMPLE.com"});
  CHECK(b["customer"]["id"] == a["customer"]["id"]);
  CHECK(b["customer"]["name"] == "Ann Lee");
}

TEST_CASE("SPEC open reuses a customer whose phone matches when no email matches") {
  Sandbox s;
  const auto a = J(s, {"open", "Ann", "one", "--phone", "555-1234"});
  const auto b = J(s, {"open", "Someone", "two", "--phone", "555-1234", "--email", "x@y.z"});
  CHECK(b["customer"]["id"] == a["customer"]["id"]);
  CHECK(b["customer"]["email"] == "x@y.z");  // filled, it was empty
}

TEST_CASE(
    "SPEC open reuses a customer by name case-insensitively only without conflicting email or "
    "phone") {
  Sandbox s;
  const auto a = J(s, {"open", "Ann Lee", "one", "--email", "ann@example.com"});
  CHECK(J(s, {"open", "ANN LEE", "two"})["customer"]["id"] == a["customer"]["id"]);
  const auto other = J(s, {"open", "ann lee", "three", "--email", "other@example.com"});
  CHECK(other["customer"]["id"] != a["customer"]["id"]);
  const auto p = J(s, {"open", "Bob", "one", "--phone", "111"});
  CHECK(J(s, {"open", "bob", "two", "--phone", "222"})["customer"]["id"] != p["customer"]["id"]);
  CHECK(J(s, {"open", "Carl", "x"})["customer"]["id"] !=
        J(s, {"open", "Carla", "y"})["customer"]["id"]);
}

TEST_CASE("SPEC open picks the most recent customer when several match by name") {
  Sandbox s;
  s.ok({"open", "Ann", "one", "--email", "a1@example.com"});
  const auto second = J(s, {"open", "Ann", "two", "--email", "a2@example.com"});
  CHECK(J(s, {"open", "ann", "three"})["customer"]["id"] == second["customer"]["id"]);
}

TEST_CASE("SPEC an email or phone given on reuse fills an empty one and keeps a set one") {
  Sandbox s;
  const auto a = J(s, {"open", "Ann", "one"});
  const auto b = J(s, {"open", "Ann", "two", "--email", "ann@example.com"});
  CHECK(b["customer"]["id"] == a["customer"]["id"]);
  CHECK(b["customer"]["email"] == "ann@example.com");
  const auto c = J(s, {"open", "ann", "three", "--phone", "555 000"});
  CHECK(c["customer"]["id"] == a["customer"]["id"]);
  CHECK(c["customer"]["phone"] == "555 000");
  const auto d = J(s, {"open", "X", "four", "--email", "ANN@example.com", "--phone", "999"});
  CHECK(d["customer"]["id"] == a["customer"]["id"]);
  CHECK(d["customer"]["phone"] == "555 000");
  CHECK(d["customer"]["email"] == "ann@example.com");
}

TEST_CASE("SPEC channel defaults to other and takes only the listed values") {
  Sandbox s;
  CHECK(J(s, {"open", "Ann", "a"})["channel"] == "other");
  for (const char* ch : {"in-person", "phone", "email", "chat", "social", "review", "other"})
    CHECK(J(s, {"open", "Ann", "a", "--channel", ch})["channel"] == ch);
  check_refused(s, {"open", "Ann", "a", "--channel", "fax"}, 64);
}

TEST_CASE("SPEC category is free text lower-cased and defaults to other") {
  Sandbox s;
  CHECK(J(s, {"open", "Ann", "a"})["category"] == "other");
  CHECK(J(s, {"open", "Ann", "a", "--category", "Delivery"})["category"] == "delivery");
  CHECK(J(s, {"open", "Ann", "a", "--category", "Packaging"})["category"] == "packaging");
}

TEST_CASE("SPEC priority defaults to normal and takes low normal high urgent") {
  Sandbox s;
  CHECK(J(s, {"open", "Ann", "a"})["priority"] == "normal");
  for (const char* p : {"low", "normal", "high", "urgent"})
    CHECK(J(s, {"open", "Ann", "a", "--priority", p})["priority"] == p);
  check_refused(s, {"open", "Ann", "a", "--priority", "asap"}, 64);
}

TEST_CASE("SPEC resolution outcome fault currency amount and cause follow the data model") {
  Sandbox s;
  for (const char* o : {"refund", "replacement", "repair", "discount", "credit", "expedite",
                        "apology", "explanation", "no-action", "other"}) {
    s.ok({"open", "Ann", o});
  }
  int id = 1;
  for (const char* o : {"refund", "replacement", "repair", "discount", "credit", "expedite",
                        "apology", "explanation", "no-action", "other"}) {
    CHECK(J(s, {"resolve", std::to_string(id++), "--outcome", o})["resolution"]["outcome"] == o);
  }
  s.ok({"open", "Ann", "x"});
  check_refused(s, {"resolve", "11", "--outcome", "money"}, 64);
  check_refused(s, {"resolve", "11"}, 64);  // --outcome is required
  check_refused(s, {"resolve", "11", "--outcome", "refund", "--fault", "mine"}, 64);
  const auto r = J(s, {"resolve", "11", "--outcome", "refund", "--amount", "49.99", "--fault",
                       "third-party", "--cause", "Courier Damage", "-m", "sent money back"});
  CHECK(r["resolution"]["amount_cents"] == 4999);
  CHECK(r["resolution"]["currency"] == "USD");
  CHECK(r["resolution"]["fault"] == "third-party");
  CHECK(r["resolution"]["cause"] == "courier damage");
  CHECK(r["resolution"]["text"] == "sent money back");
  CHECK(J(s, {"show", "1"})["resolution"]["fault"] == "unknown");
  s.ok({"open", "Ann", "y"});
  CHECK(J(s, {"resolve", "12", "--outcome", "credit", "--amount", "10", "--currency",
              "EUR"})["resolution"]["currency"] == "EUR");
  for (const char* f : {"ours", "customer", "third-party", "none", "unknown"}) {
    s.ok({"open", "Ann", f});
    const auto c = J(s, {"open", "Ann", f});
    CHECK(J(s, {"resolve", std::to_string(c["id"].get<int>()), "--outcome", "apology", "--fault",
                f})["resolution"]["fault"] == f);
  }
}

TEST_CASE("SPEC every change to a case writes at least one event and nothing is deleted") {
  Sandbox s;
  s.ok({"open", "Ann", "Broken"});
  for (const char* k : {"note", "call", "email", "meeting", "apology", "offer", "reply"}) {
    const auto c = J(s, {"note", "1", std::string("a ") + k, "--kind", k});
    CHECK(kinds(c).back() == k);
  }
  check_refused(s, {"note", "1", "x", "--kind", "resolved"}, 64);
  CHECK(kinds(J(s, {"note", "1", "plain"})).back() == "note");
  CHECK(kinds(J(s, {"note", "1", "-F", "-"}, "from stdin\n")).back() == "note");
  const auto c = J(s, {"show", "1"});
  CHECK(c["events"].size() == 10);
  CHECK(c["events"][0]["kind"] == "opened");
}

// ---------------------------------------------------------------- global options

TEST_CASE("SPEC global options are valid before or after the subcommand") {
  Sandbox s;
  const std::string other = s.dir + "/other.db";
  s.ok({"--db", other, "open", "Ann", "a"});
  s.ok({"open", "Bob", "b", "--db", other});
  CHECK(J(s, {"list", "--db", other}).size() == 2);
  CHECK(json::parse(s.ok({"--json", "--db", other, "list"})).size() == 2);
  CHECK(s.ok({"-q", "--db", other, "open", "Cy", "c"}) == "3\n");
  CHECK(s.ok({"open", "Cy", "c", "--quiet", "--db", other}) == "4\n");
  CHECK(s.ok({"--color", "never", "list", "--db", other}).find('\x1b') == std::string::npos);
  CHECK(s.ok({"list", "--color", "always", "--db", other}).find('\x1b') != std::string::npos);
  CHECK(file_bytes(s.db).empty());  // $MEND_DB was never touched
}

TEST_CASE("SPEC --db wins over MEND_DB which wins over XDG_DATA_HOME then ~/.local/share") {
  Sandbox s;
  s.env.erase("MEND_DB");
  s.ok({"open", "Ann", "a"});
  CHECK(mode_of(s.dir + "/.local/share/mend/cases.db") == 0600);
  s.env["XDG_DATA_HOME"] = s.dir + "/xdg";
  s.ok({"open", "Ann", "b"});
  CHECK(mode_of(s.dir + "/xdg/mend/cases.db") == 0600);
  s.env["MEND_DB"] = s.dir + "/env.db";
  s.ok({"open", "Ann", "c"});
  CHECK(mode_of(s.dir + "/env.db") == 0600);
  s.ok({"open", "Ann", "d", "--db", s.dir + "/opt.db"});
  CHECK(J(s, {"list", "--db", s.dir + "/opt.db"})[0]["summary"] == "d");
  CHECK(J(s, {"list"})[0]["summary"] == "c");
}

TEST_CASE("SPEC --version prints the version and every subcommand has its own help") {
  Sandbox s;
  const auto v = s.run({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find("mend") != std::string::npos);
  for (const char* cmd : {"open", "note", "resolve", "reopen", "followup", "list", "show", "edit",
                          "report", "export", "import", "backup", "forget"}) {
    CAPTURE(cmd);
    for (const char* flag : {"--help", "-h"}) {
      const auto r = s.run({cmd, flag});
      CHECK(r.code == 0);
      CHECK(r.out.find(cmd) != std::string::npos);
    }
  }
  CHECK(s.run({"--help"}).code == 0);
  CHECK(file_bytes(s.db).empty());
}

TEST_CASE("SPEC every command that changes a case says what changed, and with --json the case") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  s.ok({"open", "Ann", "b"});
  const std::vector<std::vector<std::string>> commands = {
      {"open", "Bob", "c"},
      {"note", "1", "called"},
      {"edit", "1", "--priority", "high"},
      {"resolve", "1", "--outcome", "refund"},
      {"followup", "1", "--at", "+5d"},
      {"followup", "1", "--no-answer"},
      {"followup", "1", "--done", "--csat", "5"},
      {"reopen", "1"},
      {"resolve", "2", "--outcome", "refund", "--followup", "never"}};
  for (const auto& args : commands) {
    std::string line;
    for (const auto& a : args)
      line += a + " ";
    CAPTURE(line);
    const auto c = J(s, args);
    CHECK(c.is_object());
    CHECK(c.contains("events"));
    CHECK(c.contains("attachments"));
    CHECK(keys(c).size() == kCaseKeys.size() + 2);
    CHECK(c["events"].is_array());
    CHECK(c["events"].size() >= 1);
  }
  // Without --json a short confirmation and the lines that changed, not the
  // whole card (which would name the customer).
  const std::vector<std::pair<std::vector<std::string>, std::string>> said = {
      {{"note", "3", "more"}, "more"},
      {{"edit", "3", "--priority", "low"}, "priority: normal -> low"},
      {{"resolve", "3", "--outcome", "apology"}, "resolved"},
      {{"reopen", "3"}, "reopened"},
      {{"assign", "3", "bea"}, "bea"}};
  for (const auto& [args, words] : said) {
    const auto out = s.ok(args);
    CAPTURE(out);
    CHECK(out.find("#3") != std::string::npos);
    CHECK(out.find(words) != std::string::npos);
    CHECK(out.find("Bob") == std::string::npos);
  }
}

// ---------------------------------------------------------------- open

TEST_CASE("SPEC open -q prints only the new id") {
  Sandbox s;
  CHECK(s.ok({"open", "Ann", "a", "-q"}) == "1\n");
  CHECK(s.ok({"-q", "open", "Ann", "b"}) == "2\n");
}

TEST_CASE("SPEC open takes every documented option") {
  Sandbox s;
  const auto c = J(s, {"open",
                       "Ann",
                       "Mug broke",
                       "--email",
                       "ann@example.com",
                       "--phone",
                       "555 1234",
                       "--channel",
                       "email",
                       "--category",
                       "product",
                       "--priority",
                       "high",
                       "--wants",
                       "a new mug",
                       "--ref",
                       "INV-7",
                       "--tag",
                       "vip",
                       "--tag",
                       "fragile",
                       "--due",
                       "2026-11-25T12:00",
                       "-m",
                       "It arrived\nin pieces"});
  CHECK(c["customer"]["email"] == "ann@example.com");
  CHECK(c["customer"]["phone"] == "555 1234");
  CHECK(c["channel"] == "email");
  CHECK(c["category"] == "product");
  CHECK(c["priority"] == "high");
  CHECK(c["wants"] == "a new mug");
  CHECK(c["reference"] == "INV-7");
  CHECK(c["tags"] == json::array({"fragile", "vip"}));
  CHECK(c["due_at"] == "2026-11-25T12:00:00Z");
  CHECK(c["complaint"] == "It arrived\nin pieces");
  CHECK(c["summary"] == "Mug broke");
  CHECK(c["opened_at"] == "2026-11-23T14:05:00Z");
  CHECK(kinds(c) == std::vector<std::string>{"opened"});
}

TEST_CASE("SPEC open -F FILE and -F - read the complaint") {
  Sandbox s;
  write_file(s.dir + "/words.txt", "Line one\nLine two\n");
  CHECK(J(s, {"open", "Ann", "a", "-F", s.dir + "/words.txt"})["complaint"] ==
        "Line one\nLine two");
  CHECK(J(s, {"open", "Ann", "b", "-F", "-"}, "from stdin\n")["complaint"] == "from stdin");
}

TEST_CASE("SPEC open --due defaults to config due_in else +2d and the option wins") {
  Sandbox s;
  CHECK(J(s, {"open", "Ann", "a"})["due_at"] == "2026-11-25T14:05:00Z");
  write_file(s.dir + "/.config/mend/config.toml", "due_in = \"+1w\"\n");
  CHECK(J(s, {"open", "Ann", "b"})["due_at"] == "2026-11-30T14:05:00Z");
  CHECK(J(s, {"open", "Ann", "c", "--due", "+1d"})["due_at"] == "2026-11-24T14:05:00Z");
  s.env["XDG_CONFIG_HOME"] = s.dir + "/xdg-config";
  write_file(s.dir + "/xdg-config/mend/config.toml", "due_in = \"+3d\"\n");
  CHECK(J(s, {"open", "Ann", "d"})["due_at"] == "2026-11-26T14:05:00Z");
}

TEST_CASE("SPEC open with no SUMMARY and no terminal is a usage error") {
  Sandbox s;
  s.ok({"open", "Ann", "first"});
  check_refused(s, {"open", "Ann"}, 64);
  check_refused(s, {"open", "Ann", "-m", "words"}, 64);
}

TEST_CASE("SPEC open with no SUMMARY on a terminal opens the editor on a template") {
  Sandbox s;
  mend::test::use_fake_editor(s, "Summary from the editor\\nThe customer said so\\n");
  s.env["VISUAL"] = s.env["EDITOR"];
  run_on_terminal(s, "open Ann");
  const auto c = J(s, {"show", "1"});
  CHECK(c["summary"] == "Summary from the editor");
  CHECK(c["complaint"] == "The customer said so");
}

// ---------------------------------------------------------------- followup

TEST_CASE("SPEC followup lists follow-ups due today and overdue and due-soon cases oldest first") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-20T09:00:00Z";
  s.ok({"open", "Ann", "resolved earlier", "--email", "ann@example.com"});
  s.ok({"resolve", "1", "--outcome", "refund", "--followup", "2026-11-23T08:00"});
  s.ok({"open", "Bob", "overdue one", "--due", "2026-11-22T10:00"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  s.ok({"open", "Cy", "due soon", "--due", "+20h"});
  s.ok({"open", "Dee", "later", "--due", "+3d"});
  s.ok({"open", "Eve", "f/up tonight"});
  s.ok({"resolve", "5", "--outcome", "apology", "--followup", "today"});
  s.ok({"open", "Fay", "f/up tomorrow"});
  s.ok({"resolve", "6", "--outcome", "apology", "--followup", "tomorrow"});
  const auto list = J(s, {"followup"});
  REQUIRE(list.size() == 4);
  CHECK(list[0]["case"] == 2);
  CHECK(list[0]["reason"] == "overdue");
  CHECK(list[0]["at"] == "2026-11-22T10:00:00Z");
  CHECK(list[1]["case"] == 1);
  CHECK(list[1]["reason"] == "followup");
  CHECK(list[1]["at"] == "2026-11-23T08:00:00Z");
  CHECK(list[1]["summary"] == "resolved earlier");
  CHECK(list[1]["customer"] ==
        json::parse(R"({"id":1,"name":"Ann","email":"ann@example.com","phone":null})"));
  CHECK(list[2]["case"] == 5);
  CHECK(list[2]["reason"] == "followup");
  CHECK(list[3]["case"] == 3);
  CHECK(list[3]["reason"] == "due-soon");
  for (const auto& item : list)
    CHECK(keys(item) == std::set<std::string>{"case", "customer", "summary", "reason", "at"});
  const auto text = s.ok({"followup"});
  CHECK(text.find("overdue one") != std::string::npos);
  CHECK(text.find("later") == std::string::npos);
  // --within extends both windows.
  const auto wider = J(s, {"followup", "--within", "+3d"});
  CHECK(wider.size() == 6);
}

TEST_CASE("SPEC followup prints nothing and exits 0 when nothing is due and --json prints []") {
  Sandbox s;
  auto r = s.run({"followup"});  // brand-new machine: no database yet
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  s.ok({"open", "Ann", "far away", "--due", "+10d"});
  s.ok({"open", "Bob", "done"});
  s.ok({"resolve", "2", "--outcome", "refund", "--followup", "never"});
  r = s.run({"followup"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK(s.ok({"followup", "--json"}) == "[]\n");
}

TEST_CASE("SPEC followup ID --no-answer logs an attempt and reschedules to now plus 2 days") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  const auto c = J(s, {"followup", "1", "--no-answer"});
  CHECK(c["status"] == "resolved");
  CHECK(c["followup_at"] == "2026-11-25T14:05:00Z");
  const auto k = kinds(c);
  CHECK(std::vector<std::string>(k.end() - 2, k.end()) ==
        std::vector<std::string>{"followup-attempt", "followup-scheduled"});
}

TEST_CASE("SPEC followup ID --at WHEN reschedules and writes followup-scheduled") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  const auto c = J(s, {"followup", "1", "--at", "2026-12-02"});
  CHECK(c["status"] == "resolved");
  CHECK(c["followup_at"] == "2026-12-02T23:59:59Z");
  CHECK(kinds(c).back() == "followup-scheduled");
  CHECK(kinds(c).size() == 4);
}

TEST_CASE("SPEC followup ID takes exactly one action and --done needs --csat 1 to 5") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  check_refused(s, {"followup", "1"}, 64);
  check_refused(s, {"followup", "1", "--done"}, 64);
  check_refused(s, {"followup", "1", "--done", "--csat", "6"}, 64);
  check_refused(s, {"followup", "1", "--done", "--csat", "0"}, 64);
  check_refused(s, {"followup", "1", "--done", "--csat", "3", "--no-answer"}, 64);
  check_refused(s, {"followup", "1", "--no-answer", "--at", "+1d"}, 64);
  check_refused(s, {"followup", "9", "--done", "--csat", "3"}, 66);
  s.ok({"open", "Bob", "still open"});
  check_refused(s, {"followup", "2", "--done", "--csat", "3"}, 65);
  s.ok({"followup", "1", "--done", "--csat", "1"});
  check_refused(s, {"followup", "1", "--done", "--csat", "3"}, 65);
}

// ---------------------------------------------------------------- list

TEST_CASE("SPEC list is newest opened_at first with ties by higher id and --limit N") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Ann", "1"});
  s.env["MEND_NOW"] = "2026-11-22T10:00:00Z";
  s.ok({"open", "Ann", "2"});
  s.ok({"open", "Ann", "3"});
  s.env["MEND_NOW"] = "2026-11-21T10:00:00Z";
  s.ok({"open", "Ann", "4"});
  CHECK(list_ids(s, {}) == std::vector<int>{3, 2, 4, 1});
  CHECK(list_ids(s, {"--limit", "2"}) == std::vector<int>{3, 2});
  check_refused(s, {"list", "--limit", "zero"}, 64);
  const auto all = J(s, {"list"});
  for (const auto& c : all)
    CHECK(keys(c) == kCaseKeys);  // no events in list
}

TEST_CASE("SPEC list filters by status category channel tag and overdue") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Ann", "a", "--category", "Billing", "--channel", "phone", "--tag", "vip", "--due",
        "2026-11-21"});
  s.ok({"open", "Bob", "b", "--category", "delivery", "--channel", "email", "--due", "+10d"});
  s.ok({"open", "Cy", "c", "--tag", "vip", "--due", "2026-11-21"});
  s.ok({"resolve", "3", "--outcome", "refund"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  CHECK(list_ids(s, {"--status", "open"}) == std::vector<int>{2, 1});
  CHECK(list_ids(s, {"--status", "resolved"}) == std::vector<int>{3});
  CHECK(list_ids(s, {"--status", "closed"}).empty());
  CHECK(list_ids(s, {"--category", "billing"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--category", "BILLING"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--channel", "email"}) == std::vector<int>{2});
  CHECK(list_ids(s, {"--tag", "vip"}) == std::vector<int>{3, 1});
  CHECK(list_ids(s, {"--overdue"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--tag", "vip", "--status", "open"}) == std::vector<int>{1});
  check_refused(s, {"list", "--status", "pending"}, 64);
}

TEST_CASE("SPEC list --customer takes an id an exact email or part of the name") {
  Sandbox s;
  s.ok({"open", "Ann Lee", "a", "--email", "ann@example.com"});
  s.ok({"open", "Bob Annson", "b", "--email", "bob@example.com"});
  s.ok({"open", "Cy", "c"});
  CHECK(list_ids(s, {"--customer", "1"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--customer", "3"}) == std::vector<int>{3});
  CHECK(list_ids(s, {"--customer", "ANN@example.com"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--customer", "bob@example.com"}) == std::vector<int>{2});
  CHECK(list_ids(s, {"--customer", "ann"}) == std::vector<int>{2, 1});
  CHECK(list_ids(s, {"--customer", "LEE"}) == std::vector<int>{1});
  CHECK(list_ids(s, {"--customer", "nobody"}).empty());
}

TEST_CASE("SPEC list --since is inclusive and --until exclusive with a date counting whole") {
  Sandbox s;
  for (const char* at : {"2026-11-20T00:00:00Z", "2026-11-21T23:59:59Z", "2026-11-22T00:00:00Z",
                         "2026-11-22T12:00:00Z"}) {
    s.env["MEND_NOW"] = at;
    s.ok({"open", "Ann", at});
  }
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  CHECK(list_ids(s, {"--since", "2026-11-20"}) == std::vector<int>{4, 3, 2, 1});
  CHECK(list_ids(s, {"--since", "2026-11-21"}) == std::vector<int>{4, 3, 2});
  CHECK(list_ids(s, {"--until", "2026-11-21"}) == std::vector<int>{2, 1});
  CHECK(list_ids(s, {"--until", "2026-11-22 12:00"}) == std::vector<int>{3, 2, 1});
  CHECK(list_ids(s, {"--since", "2026-11-22", "--until", "2026-11-22"}) == std::vector<int>{4, 3});
  CHECK(list_ids(s, {"--since", "-2d"}) == std::vector<int>{4, 3, 2});
  CHECK(list_ids(s, {"--since", "yesterday"}) == std::vector<int>{4, 3});
}

TEST_CASE("SPEC mend list piped into a reader that stops early is quiet") {
  Sandbox s;
  std::string lines;
  for (int i = 0; i < 60; ++i)
    lines +=
        R"({"id":)" + std::to_string(i + 1) +
        R"(,"status":"open","customer":{"id":1,"name":"Ann"},"summary":")" + std::string(300, 'x') +
        R"(","channel":"other","category":"other","priority":"normal","tags":[],"opened_at":"2026-11-01T10:00:00Z","events":[]})"
        "\n";
  s.ok({"import", "-"}, lines);
  std::string env;
  for (const auto& [k, v] : s.env)
    env += k + "='" + v + "' ";
  for (const char* args : {"list", "list --json", "export"}) {
    const std::string with_status = "env -i " + env + "bash -c \"'" MEND_BINARY "' " + args +
                                    " 2>'" + s.dir +
                                    "/err' | head -c 10 >/dev/null; exit \\${PIPESTATUS[0]}\"";
    const int status = std::system(with_status.c_str());
    CAPTURE(args);
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(file_bytes(s.dir + "/err").empty());
  }
}

// ---------------------------------------------------------------- show and edit

TEST_CASE("SPEC show prints one case with its whole timeline and the customer's other cases") {
  Sandbox s;
  s.ok({"open", "Ann", "first", "--email", "ann@example.com"});
  s.ok({"open", "Bob", "not hers"});
  s.ok({"open", "ann", "second", "--email", "ann@example.com"});
  s.ok({"note", "3", "called her back", "--kind", "call"});
  const auto c = J(s, {"show", "3"});
  auto fields = kCaseKeys;
  fields.insert("events");
  fields.insert("attachments");
  fields.insert("history");
  CHECK(keys(c) == fields);
  CHECK(kinds(c) == std::vector<std::string>{"opened", "call"});
  CHECK(
      c["events"][1] ==
      json::parse(
          R"({"at":"2026-11-23T14:05:00Z","kind":"call","text":"called her back","by":"sam","message":null})"));
  REQUIRE(c["history"].size() == 1);
  CHECK(c["history"][0] ==
        json::parse(
            R"({"id":1,"status":"open","summary":"first","opened_at":"2026-11-23T14:05:00Z"})"));
  CHECK(J(s, {"show", "2"})["history"] == json::array());
  const auto text = s.ok({"show", "#3"});
  CHECK(text.find("called her back") != std::string::npos);
  CHECK(text.find("first") != std::string::npos);
  check_refused(s, {"show", "9"}, 66);
  check_refused(s, {"show", "abc"}, 64);
}

TEST_CASE("SPEC edit changes fields and writes one edited event naming each change") {
  Sandbox s;
  s.ok({"open", "Ann", "old summary", "--tag", "gone"});
  const auto c =
      J(s, {"edit",      "1",     "--summary",  "new summary",     "--category", "Billing",
            "--channel", "phone", "--priority", "urgent",          "--due",      "2026-12-01",
            "--ref",     "INV-9", "--wants",    "refund",          "--tag",      "vip",
            "--untag",   "gone",  "--email",    "ann@example.com", "--phone",    "555"});
  CHECK(c["summary"] == "new summary");
  CHECK(c["category"] == "billing");
  CHECK(c["channel"] == "phone");
  CHECK(c["priority"] == "urgent");
  CHECK(c["due_at"] == "2026-12-01T23:59:59Z");
  CHECK(c["reference"] == "INV-9");
  CHECK(c["wants"] == "refund");
  CHECK(c["tags"] == json::array({"vip"}));
  CHECK(c["customer"]["email"] == "ann@example.com");
  CHECK(c["customer"]["phone"] == "555");
  CHECK(kinds(c) == std::vector<std::string>{"opened", "edited"});
  const std::string text = c["events"][1]["text"];
  for (const char* word : {"summary", "category", "channel", "priority", "due", "ref", "wants",
                           "vip", "gone", "email", "phone"})
    CHECK(text.find(word) != std::string::npos);
  check_refused(s, {"edit", "1"}, 64);
  check_refused(s, {"edit", "9", "--summary", "x"}, 66);
  check_refused(s, {"edit", "1", "--priority", "whenever"}, 64);
}

// ---------------------------------------------------------------- report

namespace {

const std::set<std::string> kReportKeys = {"period",
                                           "opened",
                                           "by_category",
                                           "by_channel",
                                           "repeat_customers",
                                           "resolved",
                                           "median_hours_to_resolve",
                                           "promises_kept_pct",
                                           "by_outcome",
                                           "by_cause",
                                           "compensation",
                                           "closed",
                                           "followups_due",
                                           "followups_done",
                                           "csat_avg",
                                           "csat_responses",
                                           "open_now",
                                           "overdue_now",
                                           "previous"};

}  // namespace

TEST_CASE("SPEC report --format json carries the documented keys with null for no data") {
  Sandbox s;
  const auto r = J(s, {"report"});
  CHECK(keys(r) == kReportKeys);
  CHECK(keys(r["period"]) == std::set<std::string>{"since", "until"});
  for (const char* k : {"median_hours_to_resolve", "promises_kept_pct", "csat_avg"})
    CHECK(r[k].is_null());
  for (const char* k : {"opened", "resolved", "closed", "followups_due", "followups_done",
                        "csat_responses", "open_now", "overdue_now"})
    CHECK(r[k] == 0);
  for (const char* k :
       {"by_category", "by_channel", "by_outcome", "by_cause", "repeat_customers", "compensation"})
    CHECK(r[k] == json::array());
  const auto& p = r["previous"];
  CHECK(p.contains("period"));
  for (const char* k : {"opened", "resolved", "median_hours_to_resolve", "promises_kept_pct",
                        "closed", "followups_due", "followups_done", "csat_avg", "csat_responses"})
    CHECK(p.contains(k));
  for (const char* k :
       {"open_now", "overdue_now", "by_category", "by_channel", "by_outcome", "by_cause"})
    CHECK_FALSE(p.contains(k));
  CHECK(json::parse(s.ok({"report", "--format", "json"})) == r);
}

TEST_CASE("SPEC report default period is the 30 days up to and including now") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-10-24T14:04:59Z";
  s.ok({"open", "Ann", "just before"});
  s.env["MEND_NOW"] = "2026-10-24T14:05:00Z";
  s.ok({"open", "Ann", "first second"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  s.ok({"open", "Ann", "this very second"});
  const auto r = J(s, {"report"});
  CHECK(r["period"]["since"] == "2026-10-24T14:05:00Z");
  CHECK(r["period"]["until"] == "2026-11-23T14:05:00Z");
  CHECK(r["opened"] == 2);
  CHECK(r["previous"]["period"]["since"] == "2026-09-24T14:05:00Z");
  CHECK(r["previous"]["period"]["until"] == "2026-10-24T14:05:00Z");
  CHECK(r["previous"]["opened"] == 1);
}

TEST_CASE(
    "SPEC report --since is inclusive and --until exclusive and previous is the equal span "
    "before") {
  Sandbox s;
  for (const char* at : {"2026-11-09T12:00:00Z", "2026-11-10T00:00:00Z", "2026-11-12T23:59:59Z",
                         "2026-11-13T00:00:00Z"}) {
    s.env["MEND_NOW"] = at;
    s.ok({"open", "Ann", at});
  }
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  auto r = J(s, {"report", "--since", "2026-11-10", "--until", "2026-11-12"});
  CHECK(r["period"]["since"] == "2026-11-10T00:00:00Z");
  CHECK(r["period"]["until"] == "2026-11-13T00:00:00Z");
  CHECK(r["opened"] == 2);
  CHECK(r["previous"]["period"]["since"] == "2026-11-07T00:00:00Z");
  CHECK(r["previous"]["period"]["until"] == "2026-11-10T00:00:00Z");
  CHECK(r["previous"]["opened"] == 1);
  r = J(s, {"report", "--since", "2026-11-10T00:00", "--until", "2026-11-13T00:00"});
  CHECK(r["opened"] == 2);
  check_refused(s, {"report", "--since", "2026-11-12", "--until", "2026-11-10"}, 64);
  check_refused(s, {"report", "--since", "someday"}, 64);
}

TEST_CASE("SPEC report calendar periods are whole local periods with the calendar period before") {
  Sandbox s;  // now: Monday 2026-11-23
  auto period = [&](const std::string& p) {
    const auto r = J(s, {"report", "--period", p});
    return std::vector<std::string>{r["period"]["since"], r["period"]["until"],
                                    r["previous"]["period"]["since"],
                                    r["previous"]["period"]["until"]};
  };
  using V = std::vector<std::string>;
  CHECK(period("week") == V{"2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", "2026-11-16T00:00:00Z",
                            "2026-11-23T00:00:00Z"});
  CHECK(period("last-week") == V{"2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z",
                                 "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z"});
  CHECK(period("month") == V{"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2026-10-01T00:00:00Z",
                             "2026-11-01T00:00:00Z"});
  CHECK(period("last-month") == V{"2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z",
                                  "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"});
  CHECK(period("quarter") == V{"2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z",
                               "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z"});
  CHECK(period("year") == V{"2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2025-01-01T00:00:00Z",
                            "2026-01-01T00:00:00Z"});
  CHECK(period("2026-03") == V{"2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                               "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"});
  CHECK(period("2026-01") == V{"2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
                               "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z"});
  // A Sunday is still in the week that began on Monday.
  s.env["MEND_NOW"] = "2026-11-29T22:00:00Z";
  CHECK(period("week")[0] == "2026-11-23T00:00:00Z");
  // Local time: in New York the week starts at local midnight.
  s.env["TZ"] = "America/New_York";
  CHECK(period("week")[0] == "2026-11-23T05:00:00Z");
  check_refused(s, {"report", "--period", "fortnight"}, 64);
  check_refused(s, {"report", "--period", "2026-13"}, 64);
  check_refused(s, {"report", "--period", "week", "--since", "-3d"}, 64);
}

TEST_CASE("SPEC report figures count opened resolved closed follow-ups and csat in the period") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-02T10:00:00Z";
  s.ok({"open", "Ann", "a", "--email", "a@x.com", "--category", "delivery", "--channel", "email",
        "--due", "+1d"});
  s.ok({"open", "Ann", "b", "--email", "a@x.com", "--category", "delivery", "--due", "+1d"});
  s.ok({"open", "Bob", "c", "--category", "billing", "--due", "+1d"});
  s.ok({"open", "Cy", "d", "--category", "product", "--due", "+1d"});
  s.env["MEND_NOW"] = "2026-11-02T20:00:00Z";  // 10 h later, within the promise
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "10", "--cause", "Courier", "--followup",
        "+2d"});
  s.env["MEND_NOW"] = "2026-11-04T10:00:00Z";  // 48 h, past the promise
  s.ok({"resolve", "2", "--outcome", "refund", "--amount", "5.50", "--currency", "EUR", "--cause",
        "courier", "--followup", "never"});
  s.env["MEND_NOW"] = "2026-11-05T10:00:00Z";
  s.ok({"followup", "1", "--done", "--csat", "4"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  const auto r = J(s, {"report", "--period", "month"});
  CHECK(r["opened"] == 4);
  CHECK(
      r["by_category"] ==
      json::parse(
          R"([{"key":"delivery","count":2},{"key":"billing","count":1},{"key":"product","count":1}])"));
  CHECK(r["by_channel"] == json::parse(R"([{"key":"other","count":3},{"key":"email","count":1}])"));
  CHECK(r["repeat_customers"] == json::parse(R"([{"customer":{"id":1,"name":"Ann"},"count":2}])"));
  CHECK(r["resolved"] == 2);
  CHECK(r["median_hours_to_resolve"] == 29.0);
  CHECK(r["promises_kept_pct"] == 50.0);
  CHECK(r["by_outcome"] == json::parse(R"([{"key":"refund","count":2}])"));
  CHECK(r["by_cause"] == json::parse(R"([{"key":"courier","count":2}])"));
  CHECK(r["compensation"] ==
        json::parse(
            R"([{"currency":"EUR","amount_cents":550},{"currency":"USD","amount_cents":1000}])"));
  CHECK(r["closed"] == 2);
  CHECK(r["followups_due"] == 1);
  CHECK(r["followups_done"] == 1);
  CHECK(r["csat_avg"] == 4.0);
  CHECK(r["csat_responses"] == 1);
  CHECK(r["open_now"] == 2);
  CHECK(r["overdue_now"] == 2);
  CHECK(r["previous"]["opened"] == 0);
  CHECK(r["previous"]["csat_avg"].is_null());
}

TEST_CASE("SPEC report prints text csv markdown and self-contained html") {
  Sandbox s;
  s.ok({"open", "Ann", "a", "--category", "delivery"});
  const auto text = s.ok({"report"});
  CHECK(text.find("delivery") != std::string::npos);
  CHECK(s.ok({"report", "--format", "text"}) == text);
  CHECK(s.ok({"report", "--format", "csv"}).find("delivery") != std::string::npos);
  CHECK(s.ok({"report", "--format", "markdown"}).find("|") != std::string::npos);
  const auto html = s.ok({"report", "--format", "html"});
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("<html") != std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  check_refused(s, {"report", "--format", "pdf"}, 64);
}

// ---------------------------------------------------------------- export and import

TEST_CASE("SPEC export prints show --json without history as JSON Lines in id order") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-22T10:00:00Z";
  s.ok({"open", "Ann", "newer id, older case"});
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Bob", "second"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  s.ok({"resolve", "2", "--outcome", "refund"});
  std::istringstream lines(s.ok({"export"}));
  std::string line;
  int id = 0;
  while (std::getline(lines, line)) {
    ++id;
    auto shown = J(s, {"show", std::to_string(id)});
    shown.erase("history");
    CHECK(json::parse(line) == shown);
  }
  CHECK(id == 2);
}

TEST_CASE("SPEC export --format csv has a header and one row per case and neutralises formulas") {
  Sandbox s;
  s.ok({"open", "=HYPERLINK(\"x\")", "+1 call me"});
  s.ok({"open", "Bob", "plain"});
  const auto csv = s.ok({"export", "--format", "csv"});
  std::istringstream in(csv);
  std::string header, row1, row2, extra;
  std::getline(in, header);
  std::getline(in, row1);
  std::getline(in, row2);
  CHECK(header.find("id") == 0);
  CHECK(header.find("summary") != std::string::npos);
  CHECK(row1.rfind("1,", 0) == 0);
  CHECK(row2.rfind("2,", 0) == 0);
  CHECK_FALSE(std::getline(in, extra));
  CHECK(row1.find("'=HYPERLINK") != std::string::npos);
  CHECK(row1.find("'+1 call me") != std::string::npos);
  CHECK(csv.find(",=") == std::string::npos);
}

TEST_CASE("SPEC exports written to files are private") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  s.ok({"export", "-o", s.dir + "/out.jsonl"});
  CHECK(mode_of(s.dir + "/out.jsonl") == 0600);
}

TEST_CASE("SPEC import of a missing file exits 66") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  check_refused(s, {"import", s.dir + "/missing.jsonl"}, 66);
}

TEST_CASE("SPEC import of a malformed line exits 65 naming the line and imports nothing") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  auto good = J(s, {"show", "1"});
  good.erase("history");
  good["id"] = 5;
  write_file(s.dir + "/bad.jsonl", good.dump() + "\n{not json\n");
  check_refused(s, {"import", s.dir + "/bad.jsonl"}, 65, ":2");
  check_refused(s, {"import", "-"}, 65, "",
                good.dump() + "\n" + R"({"id":6,"status":"pending"})" + "\n");
  CHECK(list_ids(s, {}) == std::vector<int>{1});
}

TEST_CASE("SPEC import keeps free ids and reassigns taken ones listing each old to new") {
  Sandbox s;
  s.ok({"open", "Ann", "a", "--email", "ann@example.com"});
  s.ok({"open", "Bob", "b"});
  const auto exported = s.ok({"export"});
  Sandbox t;
  t.ok({"open", "Zed", "z"});  // takes case 1 and customer 1
  const auto out = t.ok({"import", "-"}, exported);
  CHECK(out.find("case 1 → 3") != std::string::npos);
  const auto ann = J(t, {"show", "3"});
  CHECK(ann["summary"] == "a");
  CHECK(ann["customer"]["name"] == "Ann");
  CHECK(ann["customer"]["id"] != 1);
  CHECK(J(t, {"show", "2"})["summary"] == "b");  // id 2 was free
  CHECK(J(t, {"show", "1"})["summary"] == "z");
  // Exactly case 1 and customer 1 moved, each on its own line; ids free
  // before the import (case 2, customer 2) were kept.
  std::size_t lines = std::count(out.begin(), out.end(), '\n');
  CHECK(lines == 2);
  CHECK(out.find("customer 1 → 3") != std::string::npos);
  CHECK(J(t, {"show", "2"})["customer"]["id"] == 2);
}

TEST_CASE("SPEC import of an export into an empty database round-trips") {
  Sandbox s;
  s.ok({"open", "Ann", "a", "--tag", "vip", "-m", "words\nmore", "--email", "a@x.com"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "3"});
  s.ok({"followup", "1", "--done", "--csat", "5"});
  s.ok({"open", "Bob", "b"});
  const auto exported = s.ok({"export"});
  Sandbox t;
  t.ok({"import", "-"}, exported);
  CHECK(t.ok({"export"}) == exported);
}

// ---------------------------------------------------------------- backup and forget

TEST_CASE(
    "SPEC backup writes a private consistent copy and refuses an existing file without --force") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  const std::string copy = s.dir + "/copy.db";
  s.ok({"backup", copy});
  CHECK(mode_of(copy) == 0600);
  CHECK(sql(copy, "SELECT summary FROM cases") == "a\n");
  s.ok({"open", "Ann", "b"});
  check_refused(s, {"backup", copy}, 73);
  CHECK(sql(copy, "SELECT count(*) FROM cases") == "1\n");
  s.ok({"backup", copy, "--force"});
  CHECK(sql(copy, "SELECT count(*) FROM cases") == "2\n");
  check_refused(s, {"backup", s.dir + "/no/such/folder/copy.db"}, 73);
}

TEST_CASE("SPEC forget erases personal data and keeps what reports need") {
  Sandbox s;
  s.ok({"open",       "Ann Secret", "secret summary",   "--email",      "ann@secret.com",
        "--phone",    "555 9876",   "--wants",          "secret wants", "--ref",
        "SECRET-REF", "-m",         "secret complaint", "--tag",        "vip",
        "--category", "delivery",   "--channel",        "email",        "--priority",
        "high"});
  s.ok({"note", "1", "secret note", "--kind", "call"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "12", "--fault", "ours", "--cause",
        "courier", "-m", "secret resolution"});
  s.ok({"followup", "1", "--done", "--csat", "3", "-m", "secret thanks"});
  s.ok({"open", "Bob", "bob's case"});
  const auto before = J(s, {"show", "1"});
  const auto report_before = J(s, {"report"});
  s.ok({"forget", "1", "--yes"});
  const auto c = J(s, {"show", "1"});
  CHECK(c["customer"]["name"] != "Ann Secret");
  CHECK_FALSE(c["customer"]["name"].get<std::string>().empty());
  CHECK(c["customer"]["email"].is_null());
  CHECK(c["customer"]["phone"].is_null());
  CHECK(c["summary"].dump().find("secret") == std::string::npos);
  for (const char* k : {"complaint", "wants", "reference"})
    CHECK((c[k].is_null() || c[k] == ""));
  CHECK((c["resolution"]["text"].is_null() || c["resolution"]["text"] == ""));
  REQUIRE(c["events"].size() == before["events"].size());
  for (std::size_t i = 0; i < c["events"].size(); ++i) {
    CHECK(c["events"][i]["text"] == "");
    CHECK(c["events"][i]["kind"] == before["events"][i]["kind"]);
    CHECK(c["events"][i]["at"] == before["events"][i]["at"]);
  }
  for (const char* k : {"opened_at", "due_at", "resolved_at", "closed_at", "followup_at", "channel",
                        "category", "priority", "tags", "satisfaction", "status"})
    CHECK(c[k] == before[k]);
  for (const char* k : {"outcome", "amount_cents", "currency", "fault", "cause"})
    CHECK(c["resolution"][k] == before["resolution"][k]);
  CHECK(J(s, {"report"})["csat_avg"] == report_before["csat_avg"]);
  CHECK(J(s, {"report"})["by_cause"] == report_before["by_cause"]);
  CHECK(J(s, {"show", "2"})["summary"] == "bob's case");
  CHECK(s.ok({"export"}).find("ecret") == std::string::npos);
}

TEST_CASE("SPEC forget with neither a terminal nor --yes is a usage error and changes nothing") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  check_refused(s, {"forget", "1"}, 64);
  check_refused(s, {"forget", "7", "--yes"}, 66);
}

TEST_CASE("SPEC forget asks on a terminal and declining changes nothing and exits 1") {
  Sandbox s;
  s.ok({"open", "Ann Secret", "a"});
  const auto before = db_dump(s.db);
  std::string env;
  for (const auto& [k, v] : s.env)
    env += k + "='" + v + "' ";
  const std::string cmd = "cd '" + s.dir + "' && printf 'n\\n' | env -i " + env +
                          "script -qec \"'" MEND_BINARY "' forget 1\" /dev/null >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(db_dump(s.db) == before);
}

// ---------------------------------------------------------------- dates

TEST_CASE("SPEC every date word means what the Dates section says") {
  Sandbox s;  // Monday 2026-11-23 14:05 UTC
  CHECK(due_of(s, "2026-12-01") == "2026-12-01T23:59:59Z");
  CHECK(due_of(s, "2026-12-01T15:30") == "2026-12-01T15:30:00Z");
  CHECK(due_of(s, "2026-12-01 15:30") == "2026-12-01T15:30:00Z");
  CHECK(due_of(s, "3d") == "2026-11-26T14:05:00Z");
  CHECK(due_of(s, "+3d") == "2026-11-26T14:05:00Z");
  CHECK(due_of(s, "-30d") == "2026-10-24T14:05:00Z");
  CHECK(due_of(s, "12h") == "2026-11-24T02:05:00Z");
  CHECK(due_of(s, "+2w") == "2026-12-07T14:05:00Z");
  CHECK(due_of(s, "-1w") == "2026-11-16T14:05:00Z");
  CHECK(due_of(s, "today") == "2026-11-23T23:59:59Z");
  CHECK(due_of(s, "eod") == "2026-11-23T23:59:59Z");
  CHECK(due_of(s, "tomorrow") == "2026-11-24T23:59:59Z");
  CHECK(due_of(s, "yesterday") == "2026-11-22T23:59:59Z");
  CHECK(due_of(s, "monday") == "2026-11-30T23:59:59Z");  // strictly after today
  CHECK(due_of(s, "mon") == "2026-11-30T23:59:59Z");
  CHECK(due_of(s, "tuesday") == "2026-11-24T23:59:59Z");
  CHECK(due_of(s, "wed") == "2026-11-25T23:59:59Z");
  CHECK(due_of(s, "thursday") == "2026-11-26T23:59:59Z");
  CHECK(due_of(s, "fri") == "2026-11-27T23:59:59Z");
  CHECK(due_of(s, "saturday") == "2026-11-28T23:59:59Z");
  CHECK(due_of(s, "sun") == "2026-11-29T23:59:59Z");
  CHECK(due_of(s, "eow") == "2026-11-29T23:59:59Z");
  CHECK(due_of(s, "eom") == "2026-11-30T23:59:59Z");
  CHECK(due_of(s, "now") == "2026-11-23T14:05:00Z");
}

TEST_CASE("SPEC never is a date only for follow-ups and bad dates are usage errors") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  for (const char* bad : {"never", "someday", "2026-02-30", "2026-13-01", "+3x", "25:00"})
    check_refused(s, {"open", "Ann", "b", "--due", bad}, 64);
  check_refused(s, {"list", "--since", "never"}, 64);
  check_refused(s, {"edit", "1", "--due", "never"}, 64);
  CHECK(J(s, {"resolve", "1", "--outcome", "refund", "--followup", "never"})["followup_at"]
            .is_null());
}

TEST_CASE("SPEC input and display use the local time zone and JSON times are UTC with Z") {
  Sandbox s;
  s.env["TZ"] = "Europe/Berlin";  // UTC+1 in November
  const auto c = J(s, {"open", "Ann", "a", "--due", "2026-12-01 15:30"});
  CHECK(c["due_at"] == "2026-12-01T14:30:00Z");
  CHECK(c["opened_at"] == "2026-11-23T14:05:00Z");
  CHECK(due_of(s, "tomorrow") == "2026-11-24T22:59:59Z");
  const auto shown = s.ok({"show", "1"});
  CHECK(shown.find("15:05") != std::string::npos);  // opened 14:05 UTC is 15:05 in Berlin
  s.env["TZ"] = "America/New_York";
  CHECK(s.ok({"show", "1"}).find("09:05") != std::string::npos);
  // MEND_NOW takes an offset too.
  s.env["MEND_NOW"] = "2026-11-23T09:05:00-05:00";
  CHECK(J(s, {"open", "Bob", "b"})["opened_at"] == "2026-11-23T14:05:00Z");
  s.env["MEND_NOW"] = "yesterday";
  check_refused(s, {"list"}, 64);
}

// ---------------------------------------------------------------- exit codes and errors

TEST_CASE("SPEC usage errors exit 64 with one mend line on stderr and nothing on stdout") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  check_refused(s, {"frobnicate"}, 64);
  check_refused(s, {"list", "--frob"}, 64);
  check_refused(s, {"open"}, 64);
  check_refused(s, {"show"}, 64);
  check_refused(s, {"note"}, 64);
  check_refused(s, {"--color", "sometimes", "list"}, 64);
  check_refused(s, {}, 64);
}

TEST_CASE("SPEC a missing case is 66 and a state that forbids the action is 65") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"show", "2"},
                                             {"note", "2", "x"},
                                             {"resolve", "2", "--outcome", "refund"},
                                             {"reopen", "2"},
                                             {"edit", "2", "--summary", "x"},
                                             {"followup", "2", "--no-answer"}})
    check_refused(s, args, 66);
  s.ok({"resolve", "1", "--outcome", "refund", "--followup", "never"});
  check_refused(s, {"resolve", "1", "--outcome", "refund"}, 65);
  check_refused(s, {"followup", "1", "--no-answer"}, 65);
}

TEST_CASE("SPEC a bad config file is a usage error naming the file and line") {
  Sandbox s;
  const std::string path = s.dir + "/.config/mend/config.toml";
  write_file(path, "due_in = \"+1d\"\ncolour = \"red\"\n");
  check_refused(s, {"list"}, 64, path + ":2");
  write_file(path, "due_in = \"+1d\"\nthis is not toml\n");
  check_refused(s, {"list"}, 64, ":2");
  write_file(path,
             "currency = \"EUR\"\nbusiness_name = \"Mugs & Co\"\n"
             "categories = [\"product\", \"delivery\"]\nfollowup_in = \"+4d\"\n"
             "due_in = \"+1d\"\n");
  s.ok({"open", "Ann", "a"});
  CHECK(J(s, {"resolve", "1", "--outcome", "refund", "--amount", "1"})["resolution"]["currency"] ==
        "EUR");
  CHECK(J(s, {"show", "1"})["followup_at"] == "2026-11-27T14:05:00Z");
  CHECK(J(s, {"show", "1"})["due_at"] == "2026-11-24T14:05:00Z");
}

TEST_CASE("SPEC config categories warn on stderr without failing for an unknown category") {
  Sandbox s;
  write_file(s.dir + "/.config/mend/config.toml", "categories = [\"product\", \"delivery\"]\n");
  auto r = s.run({"open", "Ann", "a", "--category", "prodcut"});
  CHECK(r.code == 0);
  CHECK(r.err.find("prodcut") != std::string::npos);
  r = s.run({"open", "Ann", "b", "--category", "product"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  r = s.run({"edit", "2", "--category", "delivry"});
  CHECK(r.code == 0);
  CHECK(r.err.find("delivry") != std::string::npos);
}

TEST_CASE("SPEC a database that is not a database or is from a newer mend is refused with 74" *
          mend::test::kSqliteOnly) {
  Sandbox s;
  write_file(s.db, "this is not a database, just text\n");
  check_refused(s, {"list"}, 74);
  CHECK(file_bytes(s.db) == "this is not a database, just text\n");
  Sandbox t;
  t.ok({"open", "Ann", "a"});
  sql(t.db, "PRAGMA user_version = 999");
  const auto r = t.run({"list"});
  CHECK(r.code == 74);
  CHECK(r.out.empty());
  CHECK(r.err.find("newer") != std::string::npos);
}

TEST_CASE("SPEC stdout that cannot be written is 74") {
  Sandbox s;
  s.ok({"open", "Ann", "a"});
  std::string env;
  for (const auto& [k, v] : s.env)
    env += k + "='" + v + "' ";
  const int status = std::system(
      ("env -i " + env + "'" MEND_BINARY "' list >/dev/full 2>'" + s.dir + "/err'").c_str());
  CHECK(WEXITSTATUS(status) == 74);
  const auto err = file_bytes(s.dir + "/err");
  CHECK(err.rfind("mend: ", 0) == 0);
}

TEST_CASE("SPEC a database folder that cannot be created is 73") {
  Sandbox s;
  write_file(s.dir + "/afile", "x");
  const auto r = s.run({"open", "Ann", "a", "--db", s.dir + "/afile/sub/cases.db"});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: ", 0) == 0);
}

TEST_CASE("SPEC the database file and its folder are created private") {
  Sandbox s;
  s.env["MEND_DB"] = s.dir + "/new/folder/cases.db";
  s.ok({"open", "Ann", "a"});
  CHECK(mode_of(s.dir + "/new/folder") == 0700);
  CHECK(mode_of(s.dir + "/new/folder/cases.db") == 0600);
}

// ---------------------------------------------------------------- colour and safe text

TEST_CASE("SPEC --color always paints and never does not and auto honours NO_COLOR and TERM=dumb") {
  Sandbox s;
  s.ok({"open", "Ann", "a", "--priority", "urgent"});
  CHECK(s.ok({"list", "--color", "always"}).find('\x1b') != std::string::npos);
  CHECK(s.ok({"list", "--color", "never"}).find('\x1b') == std::string::npos);
  CHECK(s.ok({"list"}).find('\x1b') == std::string::npos);  // auto, not a terminal
  s.env["TERM"] = "xterm";
  CHECK(run_on_terminal(s, "list").find('\x1b') != std::string::npos);
  CHECK(run_on_terminal(s, "list --color never").find('\x1b') == std::string::npos);
  s.env["NO_COLOR"] = "1";
  CHECK(run_on_terminal(s, "list").find('\x1b') == std::string::npos);
  s.env.erase("NO_COLOR");
  s.env["TERM"] = "dumb";
  CHECK(run_on_terminal(s, "list").find('\x1b') == std::string::npos);
}

TEST_CASE("SPEC customer text is printed safely in text and escaped in JSON") {
  Sandbox s;
  s.ok({"open", "Eve\x1b[31m",
        "bad\x07 \xe2\x80\xae"
        "txt \xc2\x9b"
        "x\x7f"});
  for (const auto& args : std::vector<std::vector<std::string>>{{"list"}, {"show", "1"}}) {
    const auto out = s.ok(args);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find('\x07') == std::string::npos);
    CHECK(out.find('\x7f') == std::string::npos);
    CHECK(out.find("\xe2\x80\xae") == std::string::npos);
    CHECK(out.find("\xc2\x9b") == std::string::npos);
  }
  const auto raw = s.ok({"show", "1", "--json"});
  CHECK(raw.find('\x1b') == std::string::npos);
  CHECK(raw.find('\x07') == std::string::npos);
  const auto c = json::parse(raw);
  CHECK(c["customer"]["name"] == "Eve\x1b[31m");
}
