// mend calendar: the iCalendar feed, read back with libical and, where it is
// installed, with Python's icalendar (Debian's python3-icalendar), a second
// and independent parser.
#include <doctest/doctest.h>
#include <libical/ical.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "harness.hpp"

using mend::test::file_bytes;
using mend::test::Sandbox;
using mend::test::shell_output;

namespace {

struct Event {
  std::string summary, description;
  std::string start, end;  // YYYYMMDD for a day, else RFC 5545 UTC text
  bool all_day = false;
};

std::string time_text(const icaltimetype& t) {
  char buf[32];
  if (t.is_date) {
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", t.year, t.month, t.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
  }
  return buf;
}

// The events of a feed by UID, as libical reads them back.
std::map<std::string, Event> parse_feed(const std::string& feed) {
  icalcomponent* cal = icalparser_parse_string(feed.c_str());
  REQUIRE(cal != nullptr);
  CHECK(icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT);
  CHECK(icalcomponent_check_restrictions(cal) == 1);
  CHECK(icalcomponent_count_errors(cal) == 0);
  std::map<std::string, Event> events;
  for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
       ev != nullptr; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
    Event e;
    e.summary = icalcomponent_get_summary(ev);
    e.description = icalcomponent_get_description(ev);
    const auto start = icalcomponent_get_dtstart(ev);
    e.all_day = start.is_date == 1;
    e.start = time_text(start);
    e.end = time_text(icalcomponent_get_dtend(ev));
    CHECK(icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY) != nullptr);
    events[icalcomponent_get_uid(ev)] = e;
  }
  icalcomponent_free(cal);
  return events;
}

// Every physical line ends with CRLF and holds at most 75 octets.
void check_lines(const std::string& feed) {
  REQUIRE(feed.size() >= 2);
  CHECK(feed.substr(feed.size() - 2) == "\r\n");
  std::size_t start = 0;
  while (start < feed.size()) {
    const auto end = feed.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    const std::string line = feed.substr(start, end - start);
    CAPTURE(line);
    CHECK(line.size() <= 75);
    CHECK(line.find('\n') == std::string::npos);
    start = end + 2;
  }
}

void write_config(const Sandbox& s, const std::string& text) {
  std::filesystem::create_directories(s.dir + "/.config/mend");
  std::ofstream(s.dir + "/.config/mend/config.toml", std::ios::binary) << text;
}

// A shop's week: Monday 2026-11-23 14:05 UTC.
void seed(Sandbox& s) {
  s.ok({"open", "Smith, Jones; \"Ltd\" \\ Co", "Vase broken, glaze; chipped", "--due", "friday",
        "--email", "orders@smith.example", "--phone", "+44 20 7946 0000"});
  s.ok({"open", "Zo\xC3\xAB",
        std::string(30, 'x') + " \xC3\xA9t\xC3\xA9 \xF0\x9F\x8F\xBA " + std::string(60, 'y'),
        "--due", "2026-11-25 15:30"});
  s.ok({"open", "Ada", "Late parcel", "--due", "tomorrow"});
  s.ok({"resolve", "3", "--outcome", "refund", "--followup", "2026-11-27 10:00"});
  s.ok({"open", "Bob", "Wrong size"});
  s.ok({"resolve", "4", "--outcome", "replacement", "--followup", "never"});  // closed: no event
}

}  // namespace

TEST_CASE("an empty database gives an empty, valid calendar") {
  Sandbox s;
  const std::string feed = s.ok({"calendar"});
  check_lines(feed);
  CHECK(feed.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
  CHECK(feed.find("VERSION:2.0\r\n") != std::string::npos);
  CHECK(feed.find("PRODID:-//mend//mend ") != std::string::npos);
  CHECK(feed.find("X-WR-CALNAME:mend\r\n") != std::string::npos);
  CHECK(feed.find("BEGIN:VEVENT") == std::string::npos);
  CHECK(parse_feed(feed).empty());
}

TEST_CASE("one event per open promise and per scheduled follow-up, hostile text escaped") {
  Sandbox s;
  seed(s);
  const std::string feed = s.ok({"calendar"});
  check_lines(feed);
  // Escaped as RFC 5545 says, by libical.
  CHECK(feed.find("SUMMARY:Promise: Smith\\, Jones\\; \"Ltd\" \\\\ Co") != std::string::npos);
  CHECK(feed.find("Email: orders@smith.example\\n") != std::string::npos);
  CHECK(feed.find("DTSTAMP:20261123T140500Z\r\n") != std::string::npos);
  const auto events = parse_feed(feed);
  REQUIRE(events.size() == 3);
  REQUIRE(events.count("case-1-promise@mend") == 1);
  REQUIRE(events.count("case-2-promise@mend") == 1);
  REQUIRE(events.count("case-3-followup@mend") == 1);
  const auto& e1 = events.at("case-1-promise@mend");
  CHECK(e1.summary ==
        "Promise: Smith, Jones; \"Ltd\" \\ Co \xE2\x80\x94 Vase broken, glaze; chipped (#1)");
  CHECK(e1.all_day);  // --due friday: 23:59:59, an all-day event on Friday
  CHECK(e1.start == "20261127");
  CHECK(e1.end == "20261128");
  CHECK(e1.description ==
        "Case #1 (open): Vase broken, glaze; chipped\nCustomer: Smith, Jones; \"Ltd\" \\ Co\n"
        "Email: orders@smith.example\nPhone: +44 20 7946 0000\nmend show 1");
  const auto& e2 = events.at("case-2-promise@mend");
  CHECK_FALSE(e2.all_day);  // 15:30: a 30-minute event
  CHECK(e2.start == "20261125T153000Z");
  CHECK(e2.end == "20261125T160000Z");
  // The long title was folded and comes back whole, multi-byte characters included.
  CHECK(e2.summary == "Promise: Zo\xC3\xAB \xE2\x80\x94 " + std::string(30, 'x') +
                          " \xC3\xA9t\xC3\xA9 \xF0\x9F\x8F\xBA " + std::string(60, 'y') + " (#2)");
  const auto& e3 = events.at("case-3-followup@mend");
  CHECK(e3.summary == "Follow up: Ada \xE2\x80\x94 Late parcel (#3)");
  CHECK(e3.start == "20261127T100000Z");
  CHECK(e3.description.find("Case #3 (resolved)") == 0);
}

TEST_CASE("UIDs stay the same for the same case and kind when the times change") {
  Sandbox s;
  seed(s);
  const auto before = parse_feed(s.ok({"calendar"}));
  s.ok({"edit", "1", "--due", "2026-12-02 09:00"});
  s.env["MEND_NOW"] = "2026-11-24T08:00:00Z";
  const auto after = parse_feed(s.ok({"calendar"}));
  REQUIRE(after.size() == before.size());
  for (const auto& [uid, e] : before)
    CHECK(after.count(uid) == 1);
  CHECK(after.at("case-1-promise@mend").start == "20261202T090000Z");
  // Reopened, case 3 is a promise again: a new kind, a new UID; its follow-up is gone.
  s.ok({"reopen", "3", "customer called back"});
  const auto reopened = parse_feed(s.ok({"calendar"}));
  CHECK(reopened.count("case-3-followup@mend") == 0);
}

TEST_CASE("all-day events are on the local day of TZ") {
  Sandbox s;
  s.env["TZ"] = "America/New_York";
  s.ok({"open", "Ada", "Vase broken", "--due", "friday"});  // 2026-11-28T04:59:59Z
  s.ok({"open", "Ada", "Lid", "--due", "2026-11-24 23:59"});
  const auto events = parse_feed(s.ok({"calendar"}));
  CHECK(events.at("case-1-promise@mend").start == "20261127");
  CHECK(events.at("case-1-promise@mend").all_day);
  CHECK_FALSE(events.at("case-2-promise@mend").all_day);
  CHECK(events.at("case-2-promise@mend").start == "20261125T045900Z");
}

TEST_CASE("calendar -o writes the feed 0600, replaces it whole, and refuses the database") {
  Sandbox s;
  seed(s);
  const std::string path = s.dir + "/feed.ics";
  auto r = s.run({"calendar", "-o", path});
  CHECK(r.code == 0);
  CHECK(r.out == "Wrote 3 events to " + path + ".\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(file_bytes(path) == s.ok({"calendar"}));
  // cron runs it again: the file is replaced (no --force), still 0600.
  s.ok({"open", "Eve", "Scratched"});
  CHECK(s.ok({"calendar", "-o", path, "-q"}).empty());
  CHECK(parse_feed(file_bytes(path)).size() == 4);
  // Never over the database, never through a symbolic link, never as JSON.
  r = s.run({"calendar", "-o", s.db});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
  std::filesystem::create_symlink(s.dir + "/elsewhere.ics", s.dir + "/link.ics");
  r = s.run({"calendar", "-o", s.dir + "/link.ics"});
  CHECK(r.code == 73);
  CHECK_FALSE(std::filesystem::exists(s.dir + "/elsewhere.ics"));
  r = s.run({"calendar", "--json"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: ", 0) == 0);
}

TEST_CASE("a second parser (Python icalendar) reads every event") {
  if (shell_output("/usr/bin/python3 -c 'import icalendar' 2>/dev/null && echo yes") != "yes\n") {
    MESSAGE("python3-icalendar is not installed: the second parser is skipped");
    return;
  }
  Sandbox s;
  write_config(s, "business_name = \"Ada's Vases, Ltd\"\n");
  seed(s);
  const std::string path = s.dir + "/feed.ics";
  s.ok({"calendar", "-o", path, "-q"});
  const std::string script = s.dir + "/read.py";
  std::ofstream(script) << R"(import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(cal['X-WR-CALNAME'])
for ev in sorted(cal.walk('VEVENT'), key=lambda e: str(e['UID'])):
    print(ev['UID'], ev.decoded('DTSTART').isoformat(), ev.decoded('DTEND').isoformat())
    print(str(ev['SUMMARY']))
    print(str(ev['DESCRIPTION']).replace('\n', '|'))
)";
  const std::string out = shell_output("/usr/bin/python3 " + script + " " + path);
  CHECK(out ==
        "Ada's Vases, Ltd (mend)\n"
        "case-1-promise@mend 2026-11-27 2026-11-28\n"
        "Promise: Smith, Jones; \"Ltd\" \\ Co \xE2\x80\x94 Vase broken, glaze; chipped (#1)\n"
        "Case #1 (open): Vase broken, glaze; chipped|Customer: Smith, Jones; \"Ltd\" \\ Co|"
        "Email: orders@smith.example|Phone: +44 20 7946 0000|mend show 1\n"
        "case-2-promise@mend 2026-11-25T15:30:00+00:00 2026-11-25T16:00:00+00:00\n"
        "Promise: Zo\xC3\xAB \xE2\x80\x94 " +
            std::string(30, 'x') + " \xC3\xA9t\xC3\xA9 \xF0\x9F\x8F\xBA " + std::string(60, 'y') +
            " (#2)\n"
            "Case #2 (open): " +
            std::string(30, 'x') + " \xC3\xA9t\xC3\xA9 \xF0\x9F\x8F\xBA " + std::string(60, 'y') +
            "|Customer: Zo\xC3\xAB|mend show 2\n"
            "case-3-followup@mend 2026-11-27T10:00:00+00:00 2026-11-27T10:30:00+00:00\n"
            "Follow up: Ada \xE2\x80\x94 Late parcel (#3)\n"
            "Case #3 (resolved): Late parcel|Customer: Ada|mend show 3\n");
}
