// Date words end to end (SPEC › Dates, › Working days): weekdays for
// deadlines and for --since/--until, the phrases, working days with the
// config's calendar, the day-off warning, and the checks on a period.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;

namespace {

using Json = nlohmann::json;

void write_config(const Sandbox& s, const std::string& text) {
  std::filesystem::create_directories(s.dir + "/.config/mend");
  std::ofstream(s.dir + "/.config/mend/config.toml", std::ios::binary) << text;
}

std::string due_of(const Sandbox& s, const std::string& when) {
  return Json::parse(s.ok({"open", "Ada", "Vase broken", "--json", "--due", when}))["due_at"];
}

// The ids `mend list --json` prints for these options.
std::vector<int> listed(const Sandbox& s, std::vector<std::string> extra) {
  std::vector<std::string> args = {"list", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<int> ids;
  for (const auto& c : Json::parse(s.ok(args)))
    ids.push_back(c["id"].get<int>());
  return ids;
}

}  // namespace

TEST_CASE("weekdays on every day of a week: deadlines after today, --since this week's") {
  Sandbox s;
  s.env["TZ"] = "Europe/Berlin";
  // Monday 23 .. Sunday 29 November 2026, 10:00 in Berlin (09:00 UTC): one case a day.
  const char* days[] = {"23", "24", "25", "26", "27", "28", "29"};
  for (int i = 0; i < 7; ++i) {
    s.env["MEND_NOW"] = std::string("2026-11-") + days[i] + "T09:00:00Z";
    CAPTURE(days[i]);
    // As a deadline, friday is strictly after today: the 27th, or the 4th on the Friday itself.
    const std::string friday = i < 4 ? "2026-11-27T22:59:59Z" : "2026-12-04T22:59:59Z";
    const auto opened =
        Json::parse(s.ok({"open", "Ada", "Day " + std::to_string(i), "--due", "friday", "--json"}));
    CHECK(opened["due_at"] == friday);
    // --since monday is this week's Monday: every case so far, newest first.
    std::vector<int> all;
    for (int id = i + 1; id >= 1; --id)
      all.push_back(id);
    CHECK(listed(s, {"--since", "monday"}) == all);
    // --until sunday is the most recent Sunday: last week's until the Sunday itself.
    CHECK(listed(s, {"--since", "mon", "--until", "sunday"}) ==
          (i == 6 ? all : std::vector<int>{}));
    // --since today is only today's case; --since last monday is a week earlier.
    CHECK(listed(s, {"--since", "today"}) == std::vector<int>{i + 1});
    CHECK(listed(s, {"--since", "last monday"}) == all);
    CHECK(listed(s, {"--since", "wed", "--until", "wed"}) ==
          (i >= 2 ? std::vector<int>{3} : std::vector<int>{}));
  }
  // After midnight in Berlin (23:30 UTC on Sunday is 00:30 on Monday 30th), monday is today.
  s.env["MEND_NOW"] = "2026-11-29T23:30:00Z";
  CHECK(listed(s, {"--since", "monday"}).empty());
  CHECK(listed(s, {"--since", "last monday"}).size() == 7);
}

TEST_CASE("the phrases of the Dates section") {
  Sandbox s;  // Monday 2026-11-23 14:05 UTC
  CHECK(due_of(s, "next friday") == "2026-11-27T23:59:59Z");
  CHECK(due_of(s, "next monday") == "2026-11-30T23:59:59Z");
  CHECK(due_of(s, "in 3 days") == "2026-11-26T14:05:00Z");
  CHECK(due_of(s, "in 2 weeks") == "2026-12-07T14:05:00Z");
  CHECK(due_of(s, "in 5 hours") == "2026-11-23T19:05:00Z");
  CHECK(due_of(s, "2 days ago") == "2026-11-21T14:05:00Z");
  CHECK(due_of(s, "eow") == "2026-11-29T23:59:59Z");
  CHECK(due_of(s, "2bd") == "2026-11-25T23:59:59Z");
  CHECK(listed(s, {"--since", "last friday"}).size() == 8);
  CHECK(listed(s, {"--since", "3 days ago", "--until", "in 1 hour"}).size() == 8);
}

TEST_CASE("a refused date word suggests the nearest valid form and writes nothing") {
  Sandbox s;
  for (const auto& [word, near] : std::vector<std::pair<std::string, std::string>>{
           {"3/12", "did you mean 2026-12-03 or 2026-03-12?"},
           {"fridy", "did you mean friday?"},
           {"in 3 dyas", "did you mean 'in 3 days'?"},
           {"3 days", "did you mean 'in 3 days' or '3 days ago'?"}}) {
    const auto r = s.run({"open", "Ada", "Broken", "--due", word});
    CAPTURE(word);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err == "mend: '" + word + "' is not a date; " + near + "\n");
  }
  CHECK(db_dump(s.db).empty());
}

TEST_CASE("--since later than --until is a usage error; a --since in the future warns") {
  Sandbox s;
  s.ok({"open", "Ada", "Broken"});
  const std::string before = db_dump(s.db);
  for (const auto& cmd : std::vector<std::vector<std::string>>{
           {"list", "--since", "tomorrow", "--until", "yesterday"},
           {"export", "--since", "tomorrow", "--until", "yesterday"},
           {"report", "--since", "tomorrow", "--until", "yesterday"}}) {
    const auto r = s.run(cmd);
    CAPTURE(cmd[0]);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: --since tomorrow", 0) == 0);
    CHECK(r.err.find("is later than --until yesterday") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  // In the future: the (empty) result, and a warning that says why.
  auto r = s.run({"list", "--since", "next friday", "--json"});
  CHECK(r.code == 0);
  CHECK(Json::parse(r.out).empty());
  CHECK(r.err ==
        "mend: warning: --since next friday (2026-11-27 00:00) lies in the future, so nothing "
        "can match yet\n");
  r = s.run({"export", "--since", "2027-01-01"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: warning: --since 2027-01-01 (2027-01-01 00:00) lies in the future", 0) ==
        0);
  r = s.run({"report", "--since", "tomorrow", "--format", "json"});
  CHECK(r.code == 0);
  CHECK(Json::parse(r.out)["opened"] == 0);
  CHECK(r.err == "mend: warning: --since tomorrow lies in the future, so the report is empty\n");
  // The past needs no warning.
  r = s.run({"list", "--since", "monday"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("working days count with the config's workdays and holidays") {
  Sandbox s;
  s.env["MEND_NOW"] = "2026-05-01T09:00:00Z";  // a Friday, before a bank-holiday Monday
  CHECK(due_of(s, "2bd") == "2026-05-05T23:59:59Z");
  write_config(s, "holidays = [\"2026-05-04\"]\n");
  CHECK(due_of(s, "2bd") == "2026-05-06T23:59:59Z");
  CHECK(due_of(s, "+1bd") == "2026-05-05T23:59:59Z");
  CHECK(due_of(s, "-1bd") == "2026-04-30T00:00:00Z");
  // due_in and followup_in take working days too.
  write_config(s,
               "workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\n"
               "holidays = [\"2026-05-04..2026-05-05\"]\ndue_in = \"2bd\"\n"
               "followup_in = \"1bd\"\n");
  const auto opened = Json::parse(s.ok({"open", "Ada", "Vase broken", "--json"}));
  CHECK(opened["due_at"] == "2026-05-06T23:59:59Z");  // Saturday, then Wednesday
  const std::string id = std::to_string(opened["id"].get<int>());
  const auto resolved = Json::parse(s.ok({"resolve", id, "--outcome", "refund", "--json"}));
  CHECK(resolved["followup_at"] == "2026-05-02T23:59:59Z");  // Saturday works here
  // On Thursday, followup --within 2bd reaches Saturday's follow-up; case 4
  // (due at the start of the 30th) is overdue either way.
  s.env["MEND_NOW"] = "2026-04-30T09:00:00Z";
  auto reasons = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"followup", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string> out;
    for (const auto& item : Json::parse(s.ok(args)))
      out.push_back(std::to_string(item["case"].get<int>()) + " " +
                    item["reason"].get<std::string>());
    return out;
  };
  CHECK(reasons({}) == std::vector<std::string>{"4 overdue"});
  CHECK(reasons({"--within", "2bd"}) == std::vector<std::string>{"4 overdue", "5 followup"});
}

TEST_CASE(
    "a typed deadline on a day off is kept with a warning naming the day; defaults never warn") {
  Sandbox s;  // Monday 2026-11-23
  write_config(s, "holidays = [\"2026-11-26\"]\ndue_in = \"+5d\"\nfollowup_in = \"+5d\"\n");
  // The default lands on Saturday: no warning.
  auto r = s.run({"open", "Ada", "Vase broken", "--json"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.json()["due_at"] == "2026-11-28T14:05:00Z");
  r = s.run({"open", "Ada", "Vase broken", "--due", "saturday", "--json"});
  CHECK(r.code == 0);
  CHECK(r.json()["due_at"] == "2026-11-28T23:59:59Z");
  CHECK(r.err ==
        "mend: warning: --due saturday falls on Saturday 28 November 2026, not a working day "
        "(kept as given)\n");
  r = s.run({"edit", "1", "--due", "2026-11-26"});
  CHECK(r.code == 0);
  CHECK(r.err ==
        "mend: warning: --due 2026-11-26 falls on Thursday 26 November 2026, a holiday (kept as "
        "given)\n");
  CHECK(s.ok({"show", "1", "--json"}).find("2026-11-26T23:59:59Z") != std::string::npos);
  r = s.run({"resolve", "1", "--outcome", "refund", "--followup", "sun"});
  CHECK(r.code == 0);
  CHECK(r.err.find("--followup sun falls on Sunday 29 November 2026, not a working day") !=
        std::string::npos);
  r = s.run({"resolve", "2", "--outcome", "refund"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());  // followup_in lands on Saturday: a default, no warning
  r = s.run({"followup", "1", "--at", "in 5 days"});
  CHECK(r.code == 0);
  CHECK(r.err.find("--at in 5 days falls on Saturday 28 November 2026") != std::string::npos);
  r = s.run({"followup", "1", "--no-answer"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());  // now + 2 days: not typed
  // A working day: silent. A failed command: only its error.
  r = s.run({"open", "Ada", "Vase broken", "--due", "friday"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  r = s.run({"edit", "99", "--due", "saturday"});
  CHECK(r.code == 66);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find("warning") == std::string::npos);
}
