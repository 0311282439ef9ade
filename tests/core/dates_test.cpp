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

TEST_CASE("weekday names mean the next such day, strictly after today") {
  ScopedTz tz("UTC");
  check_table("2026-11-23T14:05:00Z",  // a Monday
              {{"monday", D, "2026-11-30T23:59:59Z"},
               {"mon", D, "2026-11-30T23:59:59Z"},
               {"tuesday", D, "2026-11-24T23:59:59Z"},
               {"fri", D, "2026-11-27T23:59:59Z"},
               {"sunday", S, "2026-11-29T00:00:00Z"},
               {"Saturday", U, "2026-11-29T00:00:00Z"}});
  check_table("2026-11-29T10:00:00Z",  // a Sunday: eow is today
              {{"eow", D, "2026-11-29T23:59:59Z"}, {"sun", D, "2026-12-06T23:59:59Z"}});
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
  for (const char* bad :
       {"", "soon", "2026-02-30", "2026-13-01", "2026-11-23T25:00", "2026-11-23 14:61", "+3", "3x",
        "d", "+d", "--3d", "1234567d", "2026-1-5", "12:30", "next week"}) {
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
