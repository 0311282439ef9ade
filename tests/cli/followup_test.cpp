// mend followup [ID]: the morning list (and its cron contract) and recording
// follow-ups, end to end. Resolved cases are seeded by SQL (seed_resolved)
// until `mend resolve` exists.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;
using mend::test::seed_resolved;
using mend::test::sql;

namespace {

using Json = nlohmann::json;

// Ids and reasons of `mend followup --json`, in its order.
std::vector<std::string> due(const Sandbox& s, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"followup", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<std::string> out;
  for (const auto& item : Json::parse(s.ok(args)))
    out.push_back("#" + std::to_string(item["case"].get<int>()) + " " +
                  item["reason"].get<std::string>());
  return out;
}

// Opens a case at MEND_NOW due at `due` (a WHEN), returning its id.
int open_case(Sandbox& s, const std::string& customer, const std::string& summary,
              const std::string& due_when, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"open", customer, summary, "--due", due_when, "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::stoi(s.ok(args));
}

// A quiet morning at 2026-11-23T14:05Z (Monday, TZ=UTC): nothing below is due.
void seed_nothing_due(Sandbox& s) {
  s.env["MEND_NOW"] = "2026-11-20T09:00:00Z";
  open_case(s, "Ada", "Not due for days", "2026-11-30");
  open_case(s, "Bob", "Resolved, follow-up tomorrow", "2026-11-21");
  seed_resolved(s.db, 2, "2026-11-21T10:00:00Z", "2026-11-24T10:00:00Z");
  open_case(s, "Carol", "Resolved with no follow-up", "2026-11-21");
  seed_resolved(s.db, 3, "2026-11-21T10:00:00Z", "");
  open_case(s, "Dan", "No due date yet", "2026-11-21");
  sql(s.db, "UPDATE cases SET due_at = NULL WHERE id = 4;");
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
}

}  // namespace

TEST_CASE("mend followup prints nothing at all and exits 0 when nothing is due") {
  Sandbox s;
  // An empty database, then one where nothing is due yet.
  for (int round = 0; round < 2; ++round) {
    const auto r = s.run({"followup"});
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
    if (round == 0) seed_nothing_due(s);
  }
  const auto json = s.run({"followup", "--json"});
  CHECK(json.code == 0);
  CHECK(json.out == "[]\n");
  CHECK(json.err.empty());
}

TEST_CASE("mend followup lists follow-ups due today, overdue and due-soon cases, oldest first") {
  Sandbox s;
  seed_nothing_due(s);  // cases 1 to 4: never listed below
  s.env["MEND_NOW"] = "2026-11-19T09:00:00Z";
  open_case(s, "Eve", "Overdue since Friday", "2026-11-20", {"--email", "eve@example.com"});  // 5
  open_case(s, "Fay", "Due in an hour", "2026-11-23 15:05", {"--phone", "555 0100"});         // 6
  open_case(s, "Gil", "Due tomorrow morning", "2026-11-24 09:00");                            // 7
  open_case(s, "Hal", "Due tomorrow evening", "2026-11-24 18:00");                            // 8
  open_case(s, "Ivy", "Follow-up was due Saturday", "2026-11-20");                            // 9
  seed_resolved(s.db, 9, "2026-11-19T12:00:00Z", "2026-11-21T12:00:00Z");
  open_case(s, "Jon", "Follow-up due tonight", "2026-11-20");  // 10
  seed_resolved(s.db, 10, "2026-11-20T12:00:00Z", "2026-11-23T23:59:59Z");
  open_case(s, "Kim", "Overdue by minutes", "2026-11-23 14:00");  // 11
  open_case(s, "Lee", "Closed already", "2026-11-20");            // 12
  seed_resolved(s.db, 12, "2026-11-20T12:00:00Z", "2026-11-21T12:00:00Z");
  sql(s.db, "UPDATE cases SET status = 'closed', closed_at = 1 WHERE id = 12;");
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";

  CHECK(due(s) == std::vector<std::string>{"#5 overdue", "#9 followup", "#11 overdue",
                                           "#6 due-soon", "#10 followup", "#7 due-soon"});
  const auto j = Json::parse(s.ok({"followup", "--json"}));
  CHECK(j[0] ==
        Json{{"case", 5},
             {"customer",
              {{"id", 5}, {"name", "Eve"}, {"email", "eve@example.com"}, {"phone", nullptr}}},
             {"summary", "Overdue since Friday"},
             {"reason", "overdue"},
             {"at", "2026-11-20T23:59:59Z"}});
  CHECK(j[3]["customer"]["phone"] == "555 0100");
  CHECK(j[4]["at"] == "2026-11-23T23:59:59Z");

  // --within widens both windows: follow-ups and due dates up to WHEN.
  CHECK(due(s, {"--within", "+1d"}).size() == 7);  // Hal, due 2026-11-24 18:00
  CHECK(due(s, {"--within", "2026-11-24"}) == due(s, {"--within", "tomorrow"}));
  const auto week = due(s, {"--within", "eow"});  // up to Sunday 29th 23:59:59
  CHECK(week.size() == 8);
  CHECK(week[6] == "#2 followup");
  CHECK(week.back() == "#8 due-soon");
  CHECK(due(s, {"--within", "2026-11-30"}).back() == "#1 due-soon");
  // A window narrower than the default does not shrink it.
  CHECK(due(s, {"--within", "now"}).size() == 6);
}

TEST_CASE("mend followup off a terminal is plain text with contact details and no truncation") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-19T09:00:00Z";
  const std::string long_summary(300, 'x');
  open_case(s, "Eve Adams", "Overdue since Friday", "2026-11-20",
            {"--email", "eve@example.com", "--phone", "+1 555 0100"});
  open_case(s, "Fay", long_summary, "2026-11-23 15:00");
  open_case(s, "Gil", "Promised for Wednesday", "2026-11-25");
  seed_resolved(s.db, 3, "2026-11-19T10:00:00Z", "2026-11-23T09:00:00Z");
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  s.env["COLUMNS"] = "40";
  const auto out = s.ok({"followup"});
  CHECK(out.find("\x1b[") == std::string::npos);
  CHECK(out.find(long_summary) != std::string::npos);
  CHECK(out.find("…") == std::string::npos);
  CHECK(out.find("eve@example.com, +1 555 0100") != std::string::npos);
  CHECK(out.find("3 days late") != std::string::npos);
  CHECK(out.find("5 h late") != std::string::npos);  // Gil's follow-up, 09:00 today
  CHECK(out.find("today 15:00") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 4);  // a header and three rows
  // Gil's case reopened: the promise for Wednesday shows as a day, tomorrow as tomorrow.
  sql(s.db, "UPDATE cases SET status = 'open', followup_at = NULL WHERE id = 3;");
  CHECK(s.ok({"followup"}).find("Gil") == std::string::npos);  // due in 58 h
  CHECK(s.ok({"followup", "--within", "+3d"}).find("due soon  Wed 25 Nov ") != std::string::npos);
  s.env["MEND_NOW"] = "2026-11-24T10:00:00Z";
  CHECK(s.ok({"followup", "--within", "+3d"}).find("due soon  tomorrow ") != std::string::npos);
  // --color always is the only way to colour it.
  CHECK(s.ok({"followup", "--color", "always"}).find("\x1b[") != std::string::npos);
}

TEST_CASE("follow-ups are due by the end of the local day, not the UTC day") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-20T09:00:00Z";
  open_case(s, "Ada", "Berlin just after midnight", "2026-11-21");
  seed_resolved(s.db, 1, "2026-11-20T10:00:00Z",
                "2026-11-23T23:30:00Z");  // 00:30 on the 24th in Berlin
  open_case(s, "Bob", "New York just after midnight", "2026-11-21");
  seed_resolved(s.db, 2, "2026-11-20T10:00:00Z",
                "2026-11-24T05:30:00Z");  // 00:30 on the 24th in New York

  s.env["TZ"] = "Europe/Berlin";
  s.env["MEND_NOW"] = "2026-11-23T22:30:00Z";  // 23:30 local
  CHECK(due(s).empty());
  s.env["MEND_NOW"] = "2026-11-23T23:05:00Z";  // 00:05 local, the 24th: the whole 24th is due
  CHECK(due(s) == std::vector<std::string>{"#1 followup", "#2 followup"});

  s.env["TZ"] = "America/New_York";
  s.env["MEND_NOW"] = "2026-11-24T04:59:00Z";  // 23:59 local on the 23rd, already the 24th in UTC
  CHECK(due(s) == std::vector<std::string>{"#1 followup"});
  s.env["MEND_NOW"] = "2026-11-24T05:00:00Z";  // midnight local
  CHECK(due(s) == std::vector<std::string>{"#1 followup", "#2 followup"});

  s.env["TZ"] = "UTC";
  s.env["MEND_NOW"] = "2026-11-23T22:30:00Z";
  CHECK(due(s) == std::vector<std::string>{"#1 followup"});
}

TEST_CASE("the end of the day and day counts hold across a DST change") {
  Sandbox s;
  s.env["TZ"] = "America/New_York";  // clocks go back at 02:00 on Sunday 1 Nov 2026
  s.env["MEND_NOW"] = "2026-10-30T16:00:00Z";
  open_case(s, "Ada", "Follow-up late on the long day", "2026-10-31");
  seed_resolved(s.db, 1, "2026-10-30T16:00:00Z", "2026-11-02T04:30:00Z");  // 23:30 EST on the 1st
  open_case(s, "Bob", "Follow-up just after it", "2026-10-31");
  seed_resolved(s.db, 2, "2026-10-30T16:00:00Z", "2026-11-02T05:30:00Z");  // 00:30 EST on the 2nd
  open_case(s, "Carol", "Due at the end of Sunday", "2026-11-01");

  s.env["MEND_NOW"] = "2026-11-01T05:30:00Z";  // 01:30 EDT, the first pass through 01:30
  CHECK(due(s) == std::vector<std::string>{"#1 followup", "#3 due-soon"});
  auto out = s.ok({"followup"});
  CHECK(out.find("today 23:30") != std::string::npos);
  CHECK(out.find("Carol") != std::string::npos);
  s.env["MEND_NOW"] = "2026-11-02T05:00:00Z";  // 00:00 EST on Monday
  CHECK(due(s) == std::vector<std::string>{"#1 followup", "#3 overdue", "#2 followup"});
  out = s.ok({"followup"});
  CHECK(out.find("1 day late") != std::string::npos);  // yesterday's, counted in calendar days
  CHECK(out.find("today 00:30") != std::string::npos);

  // Europe/Berlin: due Friday 23 Oct, clocks back on Sunday 25 Oct, Monday is 3 days late.
  Sandbox b;
  b.env["TZ"] = "Europe/Berlin";
  b.env["MEND_NOW"] = "2026-10-20T08:00:00Z";
  open_case(b, "Ada", "Promised for Friday", "2026-10-23");
  b.env["MEND_NOW"] = "2026-10-26T09:00:00Z";
  CHECK(b.ok({"followup"}).find("3 days late") != std::string::npos);
  CHECK(Json::parse(b.ok({"followup", "--json"}))[0]["at"] == "2026-10-23T21:59:59Z");
}

TEST_CASE("mend followup ID --done --csat closes the case and records satisfaction") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-19T09:00:00Z";
  open_case(s, "Ada", "Vase broken", "2026-11-20");
  open_case(s, "Bob", "Late parcel", "2026-11-20");
  seed_resolved(s.db, 1, "2026-11-20T10:00:00Z", "2026-11-23T10:00:00Z");
  seed_resolved(s.db, 2, "2026-11-20T10:00:00Z", "2026-11-23T10:00:00Z");
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  const auto j = Json::parse(
      s.ok({"followup", "#1", "--done", "--csat", "4", "-m", "Happy with the new vase", "--json"}));
  CHECK(j["status"] == "closed");
  CHECK(j["closed_at"] == "2026-11-23T14:05:00Z");
  CHECK(j["satisfaction"] == 4);
  CHECK(j["followup_at"] == "2026-11-23T10:00:00Z");  // kept: when it was due
  CHECK(j["resolved_at"] == "2026-11-20T10:00:00Z");
  CHECK(j["events"].back() == Json{{"at", "2026-11-23T14:05:00Z"},
                                   {"kind", "followup-done"},
                                   {"text", "Happy with the new vase"},
                                   {"by", "sam"},
                                   {"message", nullptr}});
  CHECK(sql(s.db, "SELECT followup_done_at FROM cases WHERE id = 1;") == "1795442700\n");
  CHECK(due(s) == std::vector<std::string>{"#2 followup"});

  // Text output says what was recorded and the lines that changed; -m is optional.
  const auto out = s.ok({"followup", "2", "--done", "--csat", "5"});
  CHECK(out.rfind("Followed up case #2: satisfaction 5/5; closed.\n", 0) == 0);
  CHECK(out.find("Late parcel") == std::string::npos);
  CHECK(out.find("closed") != std::string::npos);
  CHECK(out.find("5/5") != std::string::npos);
  CHECK(out.find("followed up") != std::string::npos);
  CHECK(out.find("Follow-up done: satisfaction 5/5") != std::string::npos);
  CHECK(s.run({"followup"}).out.empty());
}

TEST_CASE("mend followup ID --no-answer logs the attempt and tries again in 2 days") {
  Sandbox s;
  s.env["TZ"] = "America/New_York";
  s.env["MEND_NOW"] = "2026-10-28T16:00:00Z";
  open_case(s, "Ada", "Vase broken", "2026-10-29");
  seed_resolved(s.db, 1, "2026-10-29T16:00:00Z", "2026-10-31T16:00:00Z");
  s.env["MEND_NOW"] = "2026-10-31T16:00:00Z";  // Saturday 12:00 EDT
  CHECK(due(s) == std::vector<std::string>{"#1 followup"});
  const auto j = Json::parse(s.ok({"followup", "1", "--no-answer", "--json"}));
  CHECK(j["status"] == "resolved");
  CHECK(j["followup_at"] == "2026-11-02T17:00:00Z");  // Monday 12:00 EST: +2d keeps the time of day
  const auto& ev = j["events"];
  REQUIRE(ev.size() == 5);
  CHECK(ev[3] == Json{{"at", "2026-10-31T16:00:00Z"},
                      {"kind", "followup-attempt"},
                      {"text", "No answer"},
                      {"by", "sam"},
                      {"message", nullptr}});
  CHECK(ev[4]["kind"] == "followup-scheduled");
  CHECK(ev[4]["text"] == "follow-up due 2026-11-02 12:00");
  CHECK(due(s).empty());
  s.env["MEND_NOW"] = "2026-11-02T06:00:00Z";  // 01:00 EST on Monday: due today
  CHECK(due(s) == std::vector<std::string>{"#1 followup"});
  // -m gives the attempt its own words.
  const auto again =
      Json::parse(s.ok({"followup", "1", "--no-answer", "-m", "Voicemail", "--json"}));
  CHECK(again["events"][5]["text"] == "Voicemail");
  CHECK(again["followup_at"] == "2026-11-04T06:00:00Z");
}

TEST_CASE("mend followup ID --at WHEN reschedules the follow-up") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-19T09:00:00Z";
  open_case(s, "Ada", "Vase broken", "2026-11-20");
  seed_resolved(s.db, 1, "2026-11-20T10:00:00Z", "2026-11-23T10:00:00Z");
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  auto j = Json::parse(s.ok({"followup", "1", "--at", "2026-12-01", "--json"}));
  CHECK(j["status"] == "resolved");
  CHECK(j["followup_at"] == "2026-12-01T23:59:59Z");
  CHECK(j["events"].size() == 4);
  CHECK(j["events"].back()["kind"] == "followup-scheduled");
  CHECK(j["events"].back()["text"] == "follow-up due 2026-12-01 23:59");
  CHECK(due(s).empty());
  CHECK(due(s, {"--within", "2026-12-01"}) == std::vector<std::string>{"#1 followup"});
  // Text output is the case card with the new date.
  const auto out = s.ok({"followup", "1", "--at", "+3d", "-m", "Asked to call back"});
  CHECK(out.find("Follow-up  Thu 26 Nov 14:05") != std::string::npos);
  CHECK(out.find("follow-up due 2026-11-26 14:05: Asked to call back") != std::string::npos);
}

TEST_CASE("mend followup ID refuses what it cannot record, writing nothing") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-19T09:00:00Z";
  open_case(s, "Ada", "Still open", "2026-11-20");  // 1
  open_case(s, "Bob", "Resolved", "2026-11-20");    // 2
  seed_resolved(s.db, 2, "2026-11-20T10:00:00Z", "2026-11-23T10:00:00Z");
  open_case(s, "Carol", "Closed", "2026-11-20");  // 3
  seed_resolved(s.db, 3, "2026-11-20T10:00:00Z", "2026-11-23T10:00:00Z");
  s.ok({"followup", "3", "--done", "--csat", "3"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";

  struct Refusal {
    std::vector<std::string> args;
    int code;
    std::string message;  // a part of the stderr line
  };
  const std::vector<Refusal> refusals = {
      {{"followup", "1", "--done", "--csat", "5"}, 65, "resolve it first"},
      {{"followup", "1", "--no-answer"}, 65, "resolve it first"},
      {{"followup", "3", "--at", "+1d"}, 65, "closed"},
      {{"followup", "3", "--done", "--csat", "5"}, 65, "closed"},
      {{"followup", "99", "--done", "--csat", "5"}, 66, "no case #99"},
      {{"followup", "2"}, 64, "exactly one of"},
      {{"followup", "2", "--done", "--no-answer", "--csat", "5"}, 64, "exactly one of"},
      {{"followup", "2", "--no-answer", "--at", "+1d"}, 64, "exactly one of"},
      {{"followup", "2", "--done"}, 64, "--done needs --csat"},
      {{"followup", "2", "--done", "--csat", "0"}, 64, "--csat takes a whole number from 1"},
      {{"followup", "2", "--done", "--csat", "6"}, 64, "--csat takes"},
      {{"followup", "2", "--done", "--csat", "abc"}, 64, "--csat takes"},
      {{"followup", "2", "--done", "--csat", "4.5"}, 64, "--csat takes"},
      {{"followup", "2", "--no-answer", "--csat", "4"}, 64, "--csat goes with --done"},
      {{"followup", "2", "--at", "someday"}, 64, "'someday' is not a date"},
      {{"followup", "2", "--at", "never"}, 64, "never"},
      {{"followup", "2", "--no-answer", "--within", "+1d"}, 64, "--within"},
      {{"followup", "two", "--no-answer"}, 64, "ID must be a case number"},
      {{"followup", "--done", "--csat", "5"}, 64, "give the case ID"},
      {{"followup", "--within", "later"}, 64, "'later' is not a date"},
      {{"followup", "2", "3", "--no-answer"}, 64, ""},
  };
  const auto before = db_dump(s.db);
  REQUIRE_FALSE(before.empty());
  for (const auto& r : refusals) {
    std::string line;
    for (const auto& a : r.args)
      line += a + " ";
    INFO("mend " << line);
    const auto result = s.run(r.args);
    CHECK(result.code == r.code);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("mend: ", 0) == 0);
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(result.err.find(r.message) != std::string::npos);
  }
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("mend followup --help lists its options and touches no database") {
  Sandbox s;
  for (const char* flag : {"--help", "-h"}) {
    const auto r = s.run({"followup", flag});
    CHECK(r.code == 0);
    CHECK(r.out.find("mend followup") != std::string::npos);
    for (const char* option : {"--within", "--done", "--csat", "--no-answer", "--at", "--message"})
      CHECK(r.out.find(option) != std::string::npos);
  }
  CHECK(db_dump(s.db).empty());
}
