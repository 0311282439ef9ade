// The limits of stored data (core/limits.hpp), local times at DST changes,
// and report sums past 64 bits.
#include "core/limits.hpp"

#include <doctest/doctest.h>

#include <string>

#include "../support/tz.hpp"
#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/import_reader.hpp"
#include "core/model.hpp"
#include "core/report.hpp"
#include "core/sqlite_store.hpp"

using namespace mend;

namespace {

ErrorKind kind_of(void (*f)(const Case&), const Case& c) {
  try {
    f(c);
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::internal;  // did not throw
}

void check_as_data(const Case& c) {
  check_case(c, ErrorKind::data);
}

Case small_case() {
  Case c;
  c.id = 1;
  c.customer.id = 1;
  c.customer.name = "Ann";
  c.summary = "x";
  c.opened_at = 1'795'442'700;
  c.events.push_back(Event{0, c.opened_at, EventKind::opened, "x", {}, {}});
  return c;
}

}  // namespace

TEST_CASE("the range of stored times is 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z") {
  CHECK(format_utc(kFirstTime) == "1970-01-01T00:00:00Z");
  CHECK(format_utc(kLastTime) == "9999-12-31T23:59:59Z");
  CHECK(parse_rfc3339(format_utc(kLastTime)) == kLastTime);
  CHECK_NOTHROW(check_time(kLastTime, "t", ErrorKind::usage));
  CHECK_THROWS_AS(check_time(kLastTime + 1, "t", ErrorKind::usage), Error);
  CHECK_THROWS_AS(check_time(kFirstTime - 1, "t", ErrorKind::usage), Error);
  CHECK_THROWS_AS(current_time("9999-12-31T23:59:59-00:01"), Error);
  CHECK(current_time("9999-12-31T23:59:59Z") == kLastTime);
}

TEST_CASE("check_case refuses each field past its limit with the kind asked for") {
  CHECK(kind_of(&check_as_data, small_case()) == ErrorKind::internal);
  auto c = small_case();
  c.summary = std::string(kMaxLineText + 1, 's');
  CHECK(kind_of(&check_as_data, c) == ErrorKind::data);
  c = small_case();
  c.complaint = std::string(kMaxLongText + 1, 'c');
  CHECK(kind_of(&check_as_data, c) == ErrorKind::data);
  c = small_case();
  c.id = kMaxId + 1;
  CHECK(kind_of(&check_as_data, c) == ErrorKind::data);
  c = small_case();
  c.due_at = kLastTime + 1;
  CHECK(kind_of(&check_as_data, c) == ErrorKind::data);
  c = small_case();
  c.resolution =
      Resolution{Outcome::refund, std::nullopt, kMaxAmountCents + 1, "USD", Fault::ours, {}};
  CHECK(kind_of(&check_as_data, c) == ErrorKind::data);
}

TEST_CASE("a case at every field's limit still fits import's line, with room for events") {
  Case c = small_case();
  c.customer.name = std::string(kMaxLineText, 'n');
  c.customer.email = std::string(kMaxLineText, 'e');
  c.customer.phone = std::string(kMaxLineText, 'p');
  c.summary = std::string(kMaxLineText, 's');
  c.complaint = std::string(kMaxLongText, '\x01');
  c.wants = std::string(kMaxLongText, '\x01');
  c.reference = std::string(kMaxLineText, 'r');
  c.category = std::string(kMaxLineText, 'c');
  for (std::size_t i = 0; i < kMaxTags; ++i)
    c.tags.push_back(std::to_string(i) + std::string(kMaxLineText - 4, 't'));
  c.resolution =
      Resolution{Outcome::refund, std::string(kMaxLongText, '\x01'), kMaxAmountCents, "USD",
                 Fault::ours,     std::string(kMaxLineText, 'k')};
  c.events.push_back(
      Event{0, c.opened_at, EventKind::note, std::string(kMaxEventText, '\x01'), {}, {}});
  CHECK_NOTHROW(check_case(c, ErrorKind::data));
  CHECK(worst_case_export_bytes(c) <= kMaxImportLine);
  // A note more and the case is full.
  c.events.push_back(
      Event{0, c.opened_at, EventKind::note, std::string(kMaxEventText, '\x01'), {}, {}});
  c.events.push_back(
      Event{0, c.opened_at, EventKind::note, std::string(kMaxEventText, '\x01'), {}, {}});
  CHECK_THROWS_AS(check_case(c, ErrorKind::data), Error);
}

TEST_CASE("a local time repeated at the end of summer time is its earlier occurrence") {
  {
    test::ScopedTz tz("America/New_York");
    // 01:30 happens at 05:30Z (EDT, -4) and again at 06:30Z (EST, -5).
    CHECK(format_utc(from_local(2026, 11, 1, 1, 30, 0)) == "2026-11-01T05:30:00Z");
    CHECK(format_utc(*parse_when("2026-11-01 01:30", 0, DateRole::deadline).at) ==
          "2026-11-01T05:30:00Z");
  }
  {
    test::ScopedTz tz("Europe/Berlin");
    // 02:30 happens at 00:30Z (CEST, +2) and again at 01:30Z (CET, +1).
    CHECK(format_utc(from_local(2026, 10, 25, 2, 30, 0)) == "2026-10-25T00:30:00Z");
  }
}

TEST_CASE("a local time skipped in spring moves forward by the gap") {
  {
    test::ScopedTz tz("America/New_York");
    // 02:30 on 2026-03-08 does not exist: read with the offset before (EST),
    // it is 07:30Z, which is 03:30 EDT.
    CHECK(format_utc(from_local(2026, 3, 8, 2, 30, 0)) == "2026-03-08T07:30:00Z");
    CHECK(to_local(from_local(2026, 3, 8, 2, 30, 0)).hour == 3);
  }
  {
    test::ScopedTz tz("Europe/Berlin");
    CHECK(format_utc(from_local(2026, 3, 29, 2, 30, 0)) == "2026-03-29T01:30:00Z");
  }
  {
    test::ScopedTz tz("UTC");
    // Out-of-range fields are normalised.
    CHECK(format_utc(from_local(2026, 13, 32, 24, 0, 0)) == "2027-02-02T00:00:00Z");
    CHECK(format_utc(from_local(2026, 0, 0, 0, 0, -1)) == "2025-11-29T23:59:59Z");
  }
}

TEST_CASE("a TZ is known when it names a zone file or a POSIX rule") {
  CHECK(tz_is_known(nullptr));
  CHECK(tz_is_known(""));
  CHECK(tz_is_known("UTC"));
  CHECK(tz_is_known("Europe/Berlin"));
  CHECK(tz_is_known(":America/New_York"));
  CHECK(tz_is_known("EST5EDT,M3.2.0,M11.1.0"));
  CHECK(tz_is_known("<+03>-3"));
  CHECK_FALSE(tz_is_known("Mars/Olympus"));
  CHECK_FALSE(tz_is_known("../../etc/passwd"));
  CHECK_FALSE(tz_is_known("XY"));
}

TEST_CASE("report sums of amounts at the bound pass 64 bits on both plans, exactly") {
  SqliteStore store(":memory:");
  const std::string head = R"({"id":)";
  const std::string rest =
      R"(,"status":"closed","customer":{"id":1,"name":"Ann"},"summary":"s","channel":"email",)"
      R"("category":"x","priority":"normal","tags":[],"opened_at":"2026-11-01T09:00:00Z",)"
      R"("resolved_at":"2026-11-02T09:00:00Z","closed_at":"2026-11-02T09:00:00Z",)"
      R"("resolution":{"outcome":"refund","amount_cents":999999999999999,"currency":"USD",)"
      R"("fault":"ours"},"events":[]})";
  int next = 1;
  constexpr int kCases = 10000;
  store.import_cases(
      [&](std::string& line) {
        if (next > kCases) return false;
        line = head + std::to_string(next++) + rest;
        return true;
      },
      "test", 1'795'442'700, [](const Reassignment&) {});
  const ReportPeriod period{1'793'491'200, 1'796'083'200, 1'790'000'000, 1'793'491'200};
  const CentsSum expected = CentsSum{kMaxAmountCents} * kCases;
  CHECK(expected > INT64_MAX);
  for (auto plan : {ReportPlan::indexed, ReportPlan::scan}) {
    const auto r = build_report(store, period, 1'795'442'700, plan);
    REQUIRE(r.current.compensation.size() == 1);
    CHECK(r.current.compensation[0].currency == "USD");
    CHECK(cents_sum_text(r.current.compensation[0].amount_cents) == "9999999999999990000");
    CHECK(r.current.compensation[0].amount_cents == expected);
  }
  CHECK(cents_sum_text(-CentsSum{12345}) == "-12345");
  CHECK(cents_sum_text(0) == "0");
}
