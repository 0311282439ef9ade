#include "core/dates.hpp"

#include <ctime>
#include <vector>

#include <doctest/doctest.h>

#include "../support/tz.hpp"
#include "core/errors.hpp"

using namespace mend;
using mend::test::ScopedTz;

namespace {

Time utc(const char* text) {
  auto t = parse_rfc3339(text);
  REQUIRE(t.has_value());
  return *t;
}

std::string when(const char* text, const char* now, DateRole role = DateRole::deadline) {
  const auto r = parse_when(text, utc(now), role);
  REQUIRE(r.at.has_value());
  return format_utc(*r.at);
}

struct Row {
  const char* text;
  DateRole role;
  const char* expected;
};

void check_table(const char* now, std::initializer_list<Row> rows) {
  for (const auto& row : rows) {
    const std::string text = row.text;
    CAPTURE(text);
    CAPTURE(static_cast<int>(row.role));
    CHECK(when(row.text, now, row.role) == row.expected);
  }
}

constexpr auto D = DateRole::deadline;
constexpr auto S = DateRole::since;
constexpr auto U = DateRole::until;

}  // namespace

TEST_CASE("RFC 3339 times parse with Z, offsets and fractions, and format back in UTC") {
  CHECK(format_utc(utc("2026-11-23T14:05:00Z")) == "2026-11-23T14:05:00Z");
  CHECK(format_utc(utc("2026-11-23T15:05:00+01:00")) == "2026-11-23T14:05:00Z");
  CHECK(format_utc(utc("2026-11-23T09:05:00.123-05:00")) == "2026-11-23T14:05:00Z");
  CHECK(format_utc(utc("2024-02-29T00:00:00Z")) == "2024-02-29T00:00:00Z");
  CHECK_FALSE(parse_rfc3339("2026-11-23T14:05:00").has_value());
  CHECK_FALSE(parse_rfc3339("2026-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_rfc3339("2026-11-23").has_value());
  CHECK_FALSE(parse_rfc3339("yesterday").has_value());
}

TEST_CASE("date words in UTC: days, deadlines, since and until") {
  ScopedTz tz("UTC");
  // Monday 23 November 2026, 14:05.
  check_table("2026-11-23T14:05:00Z", {{"2026-12-01", D, "2026-12-01T23:59:59Z"},
                                       {"2026-12-01", S, "2026-12-01T00:00:00Z"},
                                       {"2026-12-01", U, "2026-12-02T00:00:00Z"},
                                       {"2026-12-01T15:30", D, "2026-12-01T15:30:00Z"},
                                       {"2026-12-01 15:30", U, "2026-12-01T15:30:00Z"},
                                       {"2026-12-01 15:30:45", S, "2026-12-01T15:30:45Z"},
                                       {"2026-12-01T15:30:00+02:00", D, "2026-12-01T13:30:00Z"},
                                       {"now", D, "2026-11-23T14:05:00Z"},
                                       {"today", D, "2026-11-23T23:59:59Z"},
                                       {"today", S, "2026-11-23T00:00:00Z"},
                                       {"today", U, "2026-11-24T00:00:00Z"},
                                       {"tomorrow", D, "2026-11-24T23:59:59Z"},
                                       {"yesterday", S, "2026-11-22T00:00:00Z"},
                                       {"eod", D, "2026-11-23T23:59:59Z"},
                                       {"eow", D, "2026-11-29T23:59:59Z"},
                                       {"eom", D, "2026-11-30T23:59:59Z"},
                                       {"+3d", D, "2026-11-26T14:05:00Z"},
                                       {"3d", D, "2026-11-26T14:05:00Z"},
                                       {"-30d", S, "2026-10-24T14:05:00Z"},
                                       {"12h", D, "2026-11-24T02:05:00Z"},
                                       {"+2w", D, "2026-12-07T14:05:00Z"},
                                       {"TODAY", D, "2026-11-23T23:59:59Z"},
                                       {"  tomorrow ", D, "2026-11-24T23:59:59Z"}});
}

TEST_CASE("a bare weekday: the next one as a deadline, the most recent one as since/until") {
  ScopedTz tz("UTC");
  check_table("2026-11-23T14:05:00Z",  // a Monday
              {{"monday", D, "2026-11-30T23:59:59Z"},
               {"mon", D, "2026-11-30T23:59:59Z"},
               {"tuesday", D, "2026-11-24T23:59:59Z"},
               {"fri", D, "2026-11-27T23:59:59Z"},
               {"monday", S, "2026-11-23T00:00:00Z"},  // this week's Monday: today
               {"sunday", S, "2026-11-22T00:00:00Z"},
               {"Saturday", U, "2026-11-22T00:00:00Z"},
               {"monday", U, "2026-11-24T00:00:00Z"}});
  check_table("2026-11-29T10:00:00Z",  // a Sunday: eow is today
              {{"eow", D, "2026-11-29T23:59:59Z"},
               {"sun", D, "2026-12-06T23:59:59Z"},
               {"monday", S, "2026-11-23T00:00:00Z"}});
}

TEST_CASE("the weekday rules on every day of a week, for every weekday") {
  ScopedTz tz("UTC");
  const char* names[] = {"sunday",   "monday", "tuesday", "wednesday",
                         "thursday", "friday", "saturday"};
  const Time sunday = utc("2026-11-22T00:00:00Z");
  for (int today = 0; today < 7; ++today) {  // Sunday 22 .. Saturday 28 November 2026
    const Time now = sunday + today * 86400 + 9 * 3600 + 30 * 60;
    for (int wd = 0; wd < 7; ++wd) {
      CAPTURE(today);
      CAPTURE(names[wd]);
      const int ahead = (wd - today + 7) % 7 == 0 ? 7 : (wd - today + 7) % 7;
      const int back = (today - wd + 7) % 7;
      const int strictly_back = back == 0 ? 7 : back;
      const Time day = sunday + today * 86400;
      auto at = [&](const std::string& text, DateRole role) {
        return *parse_when(text, now, role).at;
      };
      CHECK(at(names[wd], D) == day + ahead * 86400 + 86399);
      CHECK(at(std::string(names[wd]).substr(0, 3), D) == day + ahead * 86400 + 86399);
      CHECK(at(names[wd], S) == day - back * 86400);
      CHECK(at(names[wd], U) == day - back * 86400 + 86400);
      CHECK(at(std::string("next ") + names[wd], D) == day + ahead * 86400 + 86399);
      CHECK(at(std::string("next ") + names[wd], S) == day + ahead * 86400);
      CHECK(at(std::string("last ") + names[wd], S) == day - strictly_back * 86400);
      CHECK(at(std::string("Last  ") + names[wd], D) == day - strictly_back * 86400 + 86399);
    }
  }
}

TEST_CASE("weekday words follow the local day of TZ, not the UTC one") {
  ScopedTz tz("America/New_York");
  // 03:00 UTC on Tuesday 24 November is 22:00 EST on Monday 23.
  check_table("2026-11-24T03:00:00Z", {{"monday", S, "2026-11-23T05:00:00Z"},
                                       {"monday", D, "2026-12-01T04:59:59Z"},
                                       {"tuesday", D, "2026-11-25T04:59:59Z"},
                                       {"last monday", S, "2026-11-16T05:00:00Z"},
                                       {"next tue", D, "2026-11-25T04:59:59Z"}});
}

TEST_CASE("in N days|weeks|hours and N days|weeks|hours ago are +N and -N") {
  ScopedTz tz("UTC");
  check_table("2026-11-23T14:05:00Z", {{"in 3 days", D, "2026-11-26T14:05:00Z"},
                                       {"in 1 day", D, "2026-11-24T14:05:00Z"},
                                       {"In 2 Weeks", D, "2026-12-07T14:05:00Z"},
                                       {"in 12 hours", D, "2026-11-24T02:05:00Z"},
                                       {"3 days ago", S, "2026-11-20T14:05:00Z"},
                                       {"1 week ago", S, "2026-11-16T14:05:00Z"},
                                       {"2  hours  ago", U, "2026-11-23T12:05:00Z"}});
}

TEST_CASE("refused words suggest the nearest valid form") {
  ScopedTz tz("UTC");
  const auto now = utc("2026-11-23T14:05:00Z");
  auto message = [&](const char* text) {
    try {
      parse_when(text, now, D);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      return std::string(e.what());
    }
    FAIL("accepted " << text);
    return std::string();
  };
  CHECK(message("3/12") == "'3/12' is not a date; did you mean 2026-12-03 or 2026-03-12?");
  CHECK(message("25/12") == "'25/12' is not a date; did you mean 2026-12-25?");
  CHECK(message("25.12.2027") == "'25.12.2027' is not a date; did you mean 2027-12-25?");
  CHECK(message("fridy") == "'fridy' is not a date; did you mean friday?");
  CHECK(message("tommorow") == "'tommorow' is not a date; did you mean tomorrow?");
  CHECK(message("nxt monday") == "'nxt monday' is not a date; did you mean 'next monday'?");
  CHECK(message("in 3 dyas") == "'in 3 dyas' is not a date; did you mean 'in 3 days'?");
  CHECK(message("3 days") == "'3 days' is not a date; did you mean 'in 3 days' or '3 days ago'?");
  CHECK(message("+3") == "'+3' is not a date; did you mean +3d?");
  CHECK(message("next week") == "'next week' is not a date; did you mean 'next monday' or +1w?");
  CHECK(message("soon").find("try 2026-12-01") != std::string::npos);
  CHECK(message("0bd").find("count from 1") != std::string::npos);
}

namespace {

// A calendar with the default week (Monday to Friday) and these days off.
WorkCalendar with_holidays(std::initializer_list<std::pair<const char*, const char*>> ranges) {
  WorkCalendar c;
  for (const auto& [first, last] : ranges)
    c.holidays.push_back({*parse_civil_day(first), *parse_civil_day(last)});
  return c;
}

void check_bd(const char* now, const WorkCalendar& calendar, std::initializer_list<Row> rows) {
  for (const auto& row : rows) {
    const std::string text = row.text;
    CAPTURE(text);
    CAPTURE(now);
    const auto r = parse_when(row.text, utc(now), row.role, false, calendar);
    REQUIRE(r.at.has_value());
    CHECK(format_utc(*r.at) == row.expected);
  }
}

}  // namespace

TEST_CASE("working days: Nbd skips weekends, today is not counted") {
  ScopedTz tz("UTC");
  const WorkCalendar week;
  // Friday 27 November 2026.
  check_bd("2026-11-27T16:00:00Z", week,
           {{"1bd", D, "2026-11-30T23:59:59Z"},
            {"+2bd", D, "2026-12-01T23:59:59Z"},
            {"2BD", D, "2026-12-01T23:59:59Z"},
            {"5bd", D, "2026-12-04T23:59:59Z"},
            {"6bd", D, "2026-12-07T23:59:59Z"},
            {"-1bd", D, "2026-11-26T00:00:00Z"},  // the start of Thursday
            {"-1bd", S, "2026-11-26T00:00:00Z"},
            {"-5bd", S, "2026-11-20T00:00:00Z"},
            {"2bd", S, "2026-12-01T00:00:00Z"},
            {"2bd", U, "2026-12-02T00:00:00Z"}});
  // On a Saturday and a Sunday, 1bd is Monday; -1bd is Friday.
  check_bd("2026-11-28T10:00:00Z", week,
           {{"1bd", D, "2026-11-30T23:59:59Z"}, {"-1bd", S, "2026-11-27T00:00:00Z"}});
  check_bd("2026-11-29T10:00:00Z", week,
           {{"1bd", D, "2026-11-30T23:59:59Z"}, {"-1bd", S, "2026-11-27T00:00:00Z"}});
}

TEST_CASE("working days: holidays, a holiday on the deadline day, ranges across a year end") {
  ScopedTz tz("UTC");
  // `--due 2bd` on a Friday before a bank-holiday Monday is the end of Wednesday.
  check_bd("2026-05-01T09:00:00Z", with_holidays({{"2026-05-04", "2026-05-04"}}),
           {{"2bd", D, "2026-05-06T23:59:59Z"}, {"1bd", D, "2026-05-05T23:59:59Z"}});
  // The deadline day itself is a holiday: the next working day.
  check_bd("2026-11-23T09:00:00Z", with_holidays({{"2026-11-25", "2026-11-25"}}),
           {{"2bd", D, "2026-11-26T23:59:59Z"}});
  // A shop closed from 24 December to 1 January.
  const auto winter = with_holidays({{"2026-12-24", "2027-01-01"}});
  check_bd("2026-12-22T09:00:00Z", winter,
           {{"1bd", D, "2026-12-23T23:59:59Z"},
            {"2bd", D, "2027-01-04T23:59:59Z"},
            {"3bd", D, "2027-01-05T23:59:59Z"}});
  check_bd("2027-01-04T09:00:00Z", winter,
           {{"-1bd", S, "2026-12-23T00:00:00Z"}, {"-2bd", S, "2026-12-22T00:00:00Z"}});
  // A Tuesday-to-Saturday week.
  WorkCalendar shop;
  shop.workdays = {false, false, true, true, true, true, true};
  check_bd("2026-11-27T09:00:00Z", shop,
           {{"1bd", D, "2026-11-28T23:59:59Z"}, {"2bd", D, "2026-12-01T23:59:59Z"}});
}

TEST_CASE("working days across DST end at local midnight") {
  ScopedTz tz("Europe/Berlin");
  // Friday 23 October 2026 12:00 CEST; DST ends Sunday 25 October.
  check_bd("2026-10-23T10:00:00Z", WorkCalendar{},
           {{"1bd", D, "2026-10-26T22:59:59Z"},     // Monday 23:59:59 CET
            {"-1bd", S, "2026-10-21T22:00:00Z"}});  // Thursday 00:00 CEST
  // Friday 27 March 2026; DST starts Sunday 29 March.
  check_bd("2026-03-27T10:00:00Z", WorkCalendar{}, {{"1bd", D, "2026-03-30T21:59:59Z"}});
}

TEST_CASE("working days: a calendar with no working day is a clear error, not a loop") {
  ScopedTz tz("UTC");
  const auto now = utc("2026-11-23T09:00:00Z");
  const auto closed = with_holidays({{"2026-01-01", "2099-12-31"}});
  try {
    parse_when("2bd", now, D, false, closed);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).find("no working day within ten years") != std::string::npos);
  }
  // Without the calendar, the same words count Monday to Friday.
  CHECK(format_utc(*parse_when("-1bd", now, S).at) == "2026-11-20T00:00:00Z");
  CHECK(closed.is_holiday(civil_day(2050, 6, 1)));
  CHECK_FALSE(closed.is_working_day(civil_day(2050, 6, 1)));
  CHECK(WorkCalendar{}.is_working_day(civil_day(2026, 11, 23)));
  CHECK_FALSE(WorkCalendar{}.is_working_day(civil_day(2026, 11, 22)));
}

TEST_CASE("month ends and leap days") {
  ScopedTz tz("UTC");
  check_table("2024-02-28T12:00:00Z", {{"eom", D, "2024-02-29T23:59:59Z"},
                                       {"tomorrow", D, "2024-02-29T23:59:59Z"},
                                       {"+2d", D, "2024-03-01T12:00:00Z"},
                                       {"2024-02-29", U, "2024-03-01T00:00:00Z"}});
  check_table("2026-02-28T12:00:00Z",
              {{"eom", D, "2026-02-28T23:59:59Z"}, {"tomorrow", D, "2026-03-01T23:59:59Z"}});
  check_table("2026-12-31T22:00:00Z", {{"tomorrow", D, "2027-01-01T23:59:59Z"},
                                       {"eom", U, "2027-01-01T00:00:00Z"},
                                       {"+1w", D, "2027-01-07T22:00:00Z"}});
  check_table("2026-01-31T09:00:00Z", {{"eom", D, "2026-01-31T23:59:59Z"}});
}

TEST_CASE("local days follow TZ, and day offsets keep the local time across DST") {
  ScopedTz tz("America/New_York");
  // 2026-11-23 14:05 UTC is 09:05 EST (UTC-5).
  check_table("2026-11-23T14:05:00Z", {{"today", D, "2026-11-24T04:59:59Z"},
                                       {"today", S, "2026-11-23T05:00:00Z"},
                                       {"2026-12-01 15:30", D, "2026-12-01T20:30:00Z"}});
  // DST ends in New York on Sunday 1 Nov 2026 (02:00 EDT -> 01:00 EST).
  // Saturday 31 Oct 10:00 EDT = 14:00 UTC; +1d is Sunday 10:00 EST = 15:00 UTC.
  check_table("2026-10-31T14:00:00Z", {{"+1d", D, "2026-11-01T15:00:00Z"},
                                       {"24h", D, "2026-11-01T14:00:00Z"},
                                       {"tomorrow", S, "2026-11-01T04:00:00Z"},
                                       {"tomorrow", U, "2026-11-02T05:00:00Z"}});
  // DST starts on Sunday 8 Mar 2026 (02:00 EST -> 03:00 EDT): that day has 23 hours.
  check_table("2026-03-07T15:00:00Z", {{"+1d", D, "2026-03-08T14:00:00Z"},
                                       {"2026-03-08", S, "2026-03-08T05:00:00Z"},
                                       {"2026-03-08", U, "2026-03-09T04:00:00Z"}});
}

TEST_CASE("Europe: the evening before a spring DST change") {
  ScopedTz tz("Europe/Berlin");
  // Saturday 28 Mar 2026 23:30 CET = 22:30 UTC; DST starts Sunday 29 Mar at 02:00.
  check_table("2026-03-28T22:30:00Z", {{"today", D, "2026-03-28T22:59:59Z"},
                                       {"tomorrow", D, "2026-03-29T21:59:59Z"},
                                       {"+1d", D, "2026-03-29T21:30:00Z"}});
}

TEST_CASE("never is only accepted where a follow-up date is meant") {
  ScopedTz tz("UTC");
  const auto now = utc("2026-11-23T14:05:00Z");
  CHECK_FALSE(parse_when("never", now, D, true).at.has_value());
  CHECK_THROWS_AS(parse_when("never", now, D, false), Error);
}

TEST_CASE("garbage and impossible dates are usage errors that quote the text") {
  ScopedTz tz("UTC");
  const auto now = utc("2026-11-23T14:05:00Z");
  for (const char* bad : {"",
                          "soon",
                          "2026-02-30",
                          "2026-13-01",
                          "2026-11-23T25:00",
                          "2026-11-23 14:61",
                          "+3",
                          "3x",
                          "d",
                          "+d",
                          "--3d",
                          "1234567d",
                          "2026-1-5",
                          "12:30",
                          "next week",
                          "bd",
                          "+bd",
                          "1.5bd",
                          "123456bd",
                          "in days",
                          "in -3 days",
                          "3 fortnights ago",
                          "last",
                          "next",
                          "next mo"}) {
    const std::string text = bad;
    CAPTURE(text);
    try {
      parse_when(bad, now, D);
      FAIL("accepted " << text);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      CHECK(std::string(e.what()).find(bad) != std::string::npos);
    }
  }
}

TEST_CASE("MEND_NOW fixes the clock, and a bad MEND_NOW is a usage error") {
  CHECK(format_utc(current_time("2026-11-23T14:05:00Z")) == "2026-11-23T14:05:00Z");
  CHECK(current_time(nullptr) > utc("2020-01-01T00:00:00Z"));
  CHECK_THROWS_AS(current_time("tomorrow"), Error);
}

TEST_CASE("format_utc writes the same text as strftime across the years") {
  // The fast path must agree with gmtime_r + strftime everywhere it is used.
  auto slow = [](Time t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf);
  };
  std::vector<Time> probes = {0,
                              -1,
                              1,
                              86399,
                              86400,
                              -86400,
                              -86401,
                              951782400 /* 2000-02-29 */,
                              4107542399 /* 2100-02-28T23:59:59 */,
                              -62135596800,
                              253402300799};
  for (Time t = -62135596800; t < 253402300800; t += 7777777 * 13 + 12345)
    probes.push_back(t);
  for (Time t : probes) {
    CAPTURE(t);
    CHECK(format_utc(t) == slow(t));
  }
}
