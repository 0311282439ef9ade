#include "core/report.hpp"

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "../support/tz.hpp"
#include "core/errors.hpp"
#include "core/report_plans.hpp"
#include "core/sqlite_store.hpp"

using namespace mend;

// Fixture rows list only the fields that matter to them; the rest stay empty.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

constexpr Time kNow = 1'795'442'700;  // 2026-11-23T14:05:00Z, a Monday
constexpr Time kHour = 3600;
constexpr Time kDay = 86400;

// One row of the fixture history, written straight into the cases table.
struct Row {
  std::int64_t customer = 1;
  std::string category = "other";
  std::string channel = "other";
  Time opened_at = 0;
  std::optional<Time> due_at;
  std::optional<Time> resolved_at;
  std::optional<Time> closed_at;
  std::optional<Time> followup_at;
  std::optional<Time> followup_done_at;
  std::optional<std::string> outcome;
  std::optional<std::int64_t> amount_cents;
  std::optional<std::string> currency;
  std::optional<std::string> cause;
  std::optional<int> satisfaction;
};

void bind_opt(SQLite::Statement& st, int i, const std::optional<std::int64_t>& v) {
  if (v) {
    st.bind(i, *v);
  } else {
    st.bind(i);
  }
}
void bind_opt(SQLite::Statement& st, int i, const std::optional<std::string>& v) {
  if (v) {
    st.bind(i, *v);
  } else {
    st.bind(i);
  }
}

void add_customers(SqliteStore& store, int n) {
  for (int i = 1; i <= n; ++i) {
    SQLite::Statement st(store.db(),
                         "INSERT INTO customers(id, name, created_at) VALUES (?, ?, 0)");
    st.bind(1, i);
    st.bind(2, std::string(1, static_cast<char>('A' + i - 1)) + "-customer");
    st.exec();
  }
}

void insert(SqliteStore& store, const Row& r) {
  SQLite::Statement st(
      store.db(),
      "INSERT INTO cases(customer_id, status, summary, channel, category, priority, opened_at, "
      "due_at, resolved_at, closed_at, followup_at, followup_done_at, outcome, amount_cents, "
      "currency, cause, satisfaction) VALUES (?, ?, 's', ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?)");
  const std::string status = r.closed_at ? "closed" : r.resolved_at ? "resolved" : "open";
  st.bind(1, r.customer);
  st.bind(2, status);
  st.bind(3, r.channel);
  st.bind(4, r.category);
  st.bind(5, static_cast<std::int64_t>(r.opened_at));
  bind_opt(st, 6, r.due_at);
  bind_opt(st, 7, r.resolved_at);
  bind_opt(st, 8, r.closed_at);
  bind_opt(st, 9, r.followup_at);
  bind_opt(st, 10, r.followup_done_at);
  bind_opt(st, 11, r.outcome);
  bind_opt(st, 12, r.amount_cents);
  bind_opt(st, 13, r.currency);
  bind_opt(st, 14, r.cause);
  bind_opt(st, 15, r.satisfaction ? std::optional<std::int64_t>(*r.satisfaction) : std::nullopt);
  st.exec();
}

std::vector<std::pair<std::string, std::int64_t>> pairs(const std::vector<Count>& v) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& c : v)
    out.emplace_back(c.key, c.count);
  return out;
}

// Reference breakdown: counts, then largest first and ties by key.
std::vector<std::pair<std::string, std::int64_t>> expected_breakdown(
    const std::vector<std::string>& keys) {
  std::map<std::string, std::int64_t> m;
  for (const auto& k : keys)
    ++m[k];
  std::vector<std::pair<std::string, std::int64_t>> out(m.begin(), m.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

double reference_median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

TEST_CASE("median is the middle value, or the mean of the middle two") {
  CHECK_FALSE(median({}).has_value());
  CHECK(*median({7}) == 7);
  CHECK(*median({9, 1, 5}) == 5);
  CHECK(*median({4, 1, 3, 2}) == 2.5);
}

TEST_CASE("a report over a fixture history matches figures computed independently") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  add_customers(store, 4);
  const ReportPeriod period{kNow - 30 * kDay, kNow + 1, kNow - 60 * kDay, kNow - 30 * kDay};
  const Time t0 = period.since;

  // The fixture, kept in a list so the test can compute every figure itself.
  std::vector<Row> rows;
  // Current period: 7 cases opened.
  rows.push_back({1, "delivery", "email", t0, t0 + 48 * kHour, t0 + 10 * kHour, t0 + 20 * kHour,
                  std::nullopt, t0 + 20 * kHour, "refund", 1999, "USD", "courier", 5});
  rows.push_back({1, "delivery", "phone", t0 + kDay, t0 + kDay + 5 * kHour, t0 + kDay + 30 * kHour,
                  std::nullopt, t0 + 5 * kDay, std::nullopt, "replacement", std::nullopt,
                  std::nullopt, "courier", std::nullopt});
  rows.push_back({2, "billing", "email", t0 + 2 * kDay, std::nullopt, t0 + 2 * kDay + 2 * kHour,
                  t0 + 4 * kDay, t0 + 4 * kDay, t0 + 4 * kDay, "refund", 500, "EUR", "typo", 3});
  rows.push_back({2, "product", "chat", t0 + 3 * kDay, t0 + 3 * kDay + 100 * kHour,
                  t0 + 3 * kDay + 7 * kHour, t0 + 3 * kDay + 7 * kHour, std::nullopt, std::nullopt,
                  "credit", 250, "USD", std::nullopt, std::nullopt});    // --followup never
  rows.push_back({1, "billing", "phone", t0 + 4 * kDay, kNow - kHour});  // open, overdue
  rows.push_back({3, "product", "review", kNow, kNow + kDay});           // opened this second
  rows.push_back({4, "service", "email", kNow - 2 * kDay, std::nullopt, kNow - kDay, std::nullopt,
                  kNow + 2 * kDay, std::nullopt, "apology", 0, "GBP", "Staff", std::nullopt});
  // Previous period: 3 opened, 2 resolved, 1 followed up.
  const Time p0 = period.previous_since;
  rows.push_back({3, "delivery", "email", p0, p0 + 10 * kHour, p0 + 2 * kHour, p0 + 3 * kDay,
                  std::nullopt, p0 + 3 * kDay, "refund", 1000, "USD", "courier", 4});
  rows.push_back({3, "delivery", "email", p0 + kDay, p0 + kDay, p0 + kDay + 6 * kHour});
  rows.push_back({4, "other", "other", p0 + 2 * kDay});
  // Before both periods, and one resolved only after the period ends.
  rows.push_back({4, "other", "other", p0 - 5 * kDay, std::nullopt, p0 - kDay});
  for (const auto& r : rows)
    insert(store, r);

  const auto report = build_report(store, period, kNow);
  const auto inside = [](std::optional<Time> t, Time a, Time b) { return t && *t >= a && *t < b; };

  for (const auto* f : {&report.current, &report.previous}) {
    CAPTURE(f->since);
    std::vector<std::string> categories, channels, outcomes, causes;
    std::map<std::int64_t, std::int64_t> per_customer;
    std::int64_t opened = 0, resolved = 0, with_due = 0, kept = 0, closed = 0, fdue = 0, fdone = 0,
                 csat_n = 0, csat_sum = 0;
    std::vector<double> hours;
    std::map<std::string, std::int64_t> money;
    for (const auto& r : rows) {
      if (inside(r.opened_at, f->since, f->until)) {
        ++opened;
        categories.push_back(r.category);
        channels.push_back(r.channel);
        ++per_customer[r.customer];
      }
      if (inside(r.resolved_at, f->since, f->until)) {
        ++resolved;
        hours.push_back(static_cast<double>(*r.resolved_at - r.opened_at) / 3600.0);
        if (r.due_at) {
          ++with_due;
          if (*r.resolved_at <= *r.due_at) ++kept;
        }
        if (r.outcome) outcomes.push_back(*r.outcome);
        if (r.cause) causes.push_back(*r.cause);
        if (r.amount_cents) money[r.currency.value_or("USD")] += *r.amount_cents;
      }
      if (inside(r.closed_at, f->since, f->until)) ++closed;
      if (inside(r.followup_at, f->since, f->until)) ++fdue;
      if (inside(r.followup_done_at, f->since, f->until)) {
        ++fdone;
        if (r.satisfaction) {
          ++csat_n;
          csat_sum += *r.satisfaction;
        }
      }
    }
    CHECK(f->opened == opened);
    CHECK(f->resolved == resolved);
    if (hours.empty()) {
      CHECK_FALSE(f->median_hours_to_resolve.has_value());
    } else {
      REQUIRE(f->median_hours_to_resolve.has_value());
      CHECK(*f->median_hours_to_resolve == doctest::Approx(reference_median(hours)));
    }
    if (with_due == 0) {
      CHECK_FALSE(f->promises_kept_pct.has_value());
    } else {
      REQUIRE(f->promises_kept_pct.has_value());
      CHECK(*f->promises_kept_pct == doctest::Approx(100.0 * kept / with_due));
    }
    CHECK(f->closed == closed);
    CHECK(f->followups_due == fdue);
    CHECK(f->followups_done == fdone);
    CHECK(f->csat_responses == csat_n);
    if (csat_n == 0) {
      CHECK_FALSE(f->csat_avg.has_value());
    } else {
      CHECK(*f->csat_avg == doctest::Approx(static_cast<double>(csat_sum) / csat_n));
    }
    std::map<std::string, std::int64_t> got_money;
    for (const auto& m : f->compensation)
      got_money[m.currency] = m.amount_cents;
    CHECK(got_money == money);
    std::vector<std::pair<std::int64_t, std::int64_t>> repeat;
    for (auto [id, n] : per_customer)
      if (n >= 2) repeat.emplace_back(id, n);
    std::stable_sort(repeat.begin(), repeat.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::pair<std::int64_t, std::int64_t>> got_repeat;
    for (const auto& c : f->repeat_customers)
      got_repeat.emplace_back(c.id, c.count);
    CHECK(got_repeat == repeat);
    if (f == &report.current) {
      CHECK(pairs(report.by_category) == expected_breakdown(categories));
      CHECK(pairs(report.by_channel) == expected_breakdown(channels));
      CHECK(pairs(report.by_outcome) == expected_breakdown(outcomes));
      std::vector<std::string> lower_causes;
      for (auto c : causes)
        lower_causes.push_back(lowercase(c));
      CHECK(pairs(report.by_cause) == expected_breakdown(lower_causes));
    }
  }

  // The same figures written out by hand, so a shared mistake cannot hide.
  const auto& c = report.current;
  CHECK(c.opened == 7);
  CHECK(c.resolved == 5);  // hours 10, 30, 2, 7, 24: median 10
  CHECK(*c.median_hours_to_resolve == 10.0);
  CHECK(*c.promises_kept_pct == doctest::Approx(200.0 / 3));  // 3 with due, 2 kept
  CHECK(c.closed == 3);
  CHECK(c.followups_due == 2);  // one more falls after the period
  CHECK(c.followups_done == 2);
  CHECK(c.csat_responses == 2);
  CHECK(*c.csat_avg == 4.0);
  REQUIRE(c.compensation.size() == 3);
  CHECK(c.compensation[0].currency == "EUR");
  CHECK(c.compensation[0].amount_cents == 500);
  CHECK(c.compensation[1].currency == "GBP");
  CHECK(c.compensation[1].amount_cents == 0);
  CHECK(c.compensation[2].currency == "USD");
  CHECK(c.compensation[2].amount_cents == 2249);
  // Ties: billing, delivery and product have 2 each, by key; then service.
  CHECK(pairs(report.by_category) ==
        std::vector<std::pair<std::string, std::int64_t>>{
            {"billing", 2}, {"delivery", 2}, {"product", 2}, {"service", 1}});
  CHECK(pairs(report.by_cause) == std::vector<std::pair<std::string, std::int64_t>>{
                                      {"courier", 2}, {"staff", 1}, {"typo", 1}});
  REQUIRE(c.repeat_customers.size() == 2);
  CHECK(c.repeat_customers[0].id == 1);
  CHECK(c.repeat_customers[0].count == 3);
  CHECK(c.repeat_customers[0].name == "A-customer");
  CHECK(c.repeat_customers[1].id == 2);
  CHECK(report.open_now == 3);
  CHECK(report.overdue_now == 1);
  const auto& p = report.previous;
  CHECK(p.opened == 3);
  CHECK(p.resolved == 2);  // 2 h and 6 h: the mean of the two
  CHECK(*p.median_hours_to_resolve == 4.0);
  CHECK(*p.promises_kept_pct == 50.0);
  CHECK(p.repeat_customers.size() == 1);
  // The weekly trend covers the period and adds up to the period's counts.
  REQUIRE_FALSE(report.weekly.empty());
  std::int64_t weekly_opened = 0, weekly_resolved = 0;
  for (const auto& w : report.weekly) {
    weekly_opened += w.opened;
    weekly_resolved += w.resolved;
    CHECK(to_local(w.start).weekday == 1);
  }
  CHECK(weekly_opened == c.opened);
  CHECK(weekly_resolved == c.resolved);
}

TEST_CASE("an empty database gives a calm report of zeros and nulls") {
  SqliteStore store(":memory:");
  const auto period = parse_report_period({}, kNow);
  const auto r = build_report(store, period, kNow);
  CHECK(r.current.opened == 0);
  CHECK(r.current.resolved == 0);
  CHECK_FALSE(r.current.median_hours_to_resolve.has_value());
  CHECK_FALSE(r.current.promises_kept_pct.has_value());
  CHECK_FALSE(r.current.csat_avg.has_value());
  CHECK(r.current.compensation.empty());
  CHECK(r.by_category.empty());
  CHECK(r.open_now == 0);
  CHECK(r.previous.opened == 0);
}

TEST_CASE("the default period is the 30 days up to and including now") {
  test::ScopedTz tz("UTC");
  const auto p = parse_report_period({}, kNow);
  CHECK(p.since == kNow - 30 * kDay);
  CHECK(p.until == kNow);
  CHECK(p.includes_until);
  CHECK(p.previous_until == p.since);
  CHECK(p.previous_since == kNow - 60 * kDay);
}

TEST_CASE("--since and --until give since inclusive and the until day whole") {
  test::ScopedTz tz("UTC");
  const auto p = parse_report_period({"2026-11-01", "2026-11-10", std::nullopt}, kNow);
  CHECK(format_utc(p.since) == "2026-11-01T00:00:00Z");
  CHECK(format_utc(p.until) == "2026-11-11T00:00:00Z");
  CHECK(format_utc(p.previous_since) == "2026-10-22T00:00:00Z");
  CHECK(p.previous_until == p.since);
  const auto only_since = parse_report_period({"2026-11-20", std::nullopt, std::nullopt}, kNow);
  CHECK(only_since.until == kNow);
  CHECK(only_since.includes_until);
}

TEST_CASE("bad or conflicting period options are usage errors") {
  const auto usage = [](const PeriodRequest& r) {
    try {
      parse_report_period(r, kNow);
    } catch (const Error& e) {
      return e.kind() == ErrorKind::usage;
    }
    return false;
  };
  CHECK(usage({"2026-11-01", std::nullopt, "month"}));
  CHECK(usage({std::nullopt, std::nullopt, "fortnight"}));
  CHECK(usage({std::nullopt, std::nullopt, "2026-13"}));
  CHECK(usage({std::nullopt, std::nullopt, "2026-1x"}));
  CHECK(usage({"2026-11-10", "2026-11-01", std::nullopt}));
  CHECK(usage({"soon", std::nullopt, std::nullopt}));
}

TEST_CASE("each calendar --period and the one before it") {
  test::ScopedTz tz("UTC");
  const auto check = [](const char* word, const char* since, const char* until, const char* prev) {
    CAPTURE(word);
    const auto p = parse_report_period({std::nullopt, std::nullopt, word}, kNow);
    CHECK(format_utc(p.since) == since);
    CHECK(format_utc(p.until) == until);
    CHECK(format_utc(p.previous_since) == prev);
    CHECK(p.previous_until == p.since);
  };
  // kNow is Monday 2026-11-23.
  check("week", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", "2026-11-16T00:00:00Z");
  check("last-week", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", "2026-11-09T00:00:00Z");
  check("month", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2026-10-01T00:00:00Z");
  check("last-month", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-09-01T00:00:00Z");
  check("quarter", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
  check("year", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
  check("2026-03", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-02-01T00:00:00Z");
  check("2026-01", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2025-12-01T00:00:00Z");
  check("MONTH", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", "2026-10-01T00:00:00Z");
}

TEST_CASE("a week that crosses a month runs Monday to Monday") {
  test::ScopedTz tz("UTC");
  const Time sunday = *parse_rfc3339("2026-11-01T22:00:00Z");  // Sunday 1 November
  const auto p = parse_report_period({std::nullopt, std::nullopt, "week"}, sunday);
  CHECK(format_utc(p.since) == "2026-10-26T00:00:00Z");
  CHECK(format_utc(p.until) == "2026-11-02T00:00:00Z");
  const auto last = parse_report_period({std::nullopt, std::nullopt, "last-week"}, sunday);
  CHECK(format_utc(last.since) == "2026-10-19T00:00:00Z");
}

TEST_CASE("calendar periods follow local midnights across a DST change") {
  test::ScopedTz tz("Europe/Berlin");
  // Wednesday 28 October 2026: the clocks went back on Sunday 25 October.
  const Time now = *parse_rfc3339("2026-10-28T12:00:00Z");
  const auto week = parse_report_period({std::nullopt, std::nullopt, "week"}, now);
  CHECK(format_utc(week.since) == "2026-10-25T23:00:00Z");  // Monday 26 Oct 00:00 CET
  const auto last = parse_report_period({std::nullopt, std::nullopt, "last-week"}, now);
  CHECK(format_utc(last.since) == "2026-10-18T22:00:00Z");  // Monday 19 Oct 00:00 CEST
  CHECK(last.until - last.since == 7 * kDay + kHour);       // that week had 25 hours on Sunday
  const auto month = parse_report_period({std::nullopt, std::nullopt, "month"}, now);
  CHECK(format_utc(month.since) == "2026-09-30T22:00:00Z");  // 1 Oct 00:00 CEST
  CHECK(format_utc(month.until) == "2026-10-31T23:00:00Z");  // 1 Nov 00:00 CET
  const auto days = parse_report_period({}, now);
  CHECK(days.since == now - 30 * kDay - kHour);  // 30 local days keep the wall-clock time
}

TEST_CASE("both stores' shared span: a period that includes its end runs one second further") {
  const auto open_end = report_plan::queried_span({1000, 2000, 500, 1000, true});
  CHECK(open_end.since == 1000);
  CHECK(open_end.until == 2001);
  CHECK(open_end.previous_since == 500);
  CHECK(open_end.previous_until == 1000);
  CHECK(report_plan::queried_span({1000, 2000, 500, 1000, false}).until == 2000);
}

TEST_CASE("both stores' shared trend weeks run Monday to Monday, clipped to the period") {
  test::ScopedTz tz("UTC");
  // Wednesday 4 to Wednesday 18 November 2026.
  const ReportPeriod period{*parse_rfc3339("2026-11-04T12:00:00Z"),
                            *parse_rfc3339("2026-11-18T12:00:00Z"), 0, 0};
  Report r;
  std::vector<Time> from, to;
  report_plan::trend_weeks(period, kNow, r, from, to);
  REQUIRE(r.weekly.size() == 3);
  REQUIRE(from.size() == 3);
  REQUIRE(to.size() == 3);
  CHECK(format_utc(r.weekly[0].start) == "2026-11-02T00:00:00Z");
  CHECK(format_utc(r.weekly[2].start) == "2026-11-16T00:00:00Z");
  CHECK(from[0] == period.since);
  CHECK(format_utc(to[0]) == "2026-11-09T00:00:00Z");
  CHECK(format_utc(from[1]) == "2026-11-09T00:00:00Z");
  CHECK(format_utc(from[2]) == "2026-11-16T00:00:00Z");
  CHECK(to[2] == period.until);
  CHECK(r.weekly[1].opened == 0);
}

TEST_CASE("the since bound is inclusive and the until bound exclusive") {
  SqliteStore store(":memory:");
  add_customers(store, 1);
  const ReportPeriod period{1000, 2000, 0, 1000};
  insert(store, {1, "a", "other", 1000});
  insert(store, {1, "b", "other", 1999});
  insert(store, {1, "c", "other", 2000});
  insert(store, {1, "d", "other", 999});
  const auto r = build_report(store, period, 5000);
  CHECK(r.current.opened == 2);
  CHECK(r.previous.opened == 1);
}

TEST_CASE("the scan plan and the index plan give the same report") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  add_customers(store, 6);
  // A pseudo-random history over a year, with every kind of gap and tie.
  std::uint64_t seed = 12345;
  auto next = [&seed](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((seed >> 33) % n);
  };
  const std::vector<std::string> categories = {"delivery", "billing", "product", "Other"};
  const std::vector<std::string> channels = {"email", "phone", "chat"};
  const std::vector<std::string> outcomes = {"refund", "apology", "credit"};
  const std::vector<std::string> causes = {"Courier", "courier", "typo", ""};
  for (int i = 0; i < 600; ++i) {
    Row r;
    r.customer = 1 + next(6);
    r.category = categories[static_cast<std::size_t>(next(4))];
    r.channel = channels[static_cast<std::size_t>(next(3))];
    r.opened_at = kNow - 365 * kDay + next(365 * kDay);
    if (next(5) > 0) r.due_at = r.opened_at + next(4 * kDay);
    if (next(4) > 0) {
      r.resolved_at = r.opened_at + next(6 * kDay);
      if (next(3) > 0) r.outcome = outcomes[static_cast<std::size_t>(next(3))];
      if (next(2) > 0) r.amount_cents = next(10000);
      if (next(3) > 0) r.currency = next(2) ? "USD" : "EUR";
      if (next(4) > 0) r.cause = causes[static_cast<std::size_t>(next(4))];
      if (next(2) > 0) {
        r.followup_at = *r.resolved_at + 3 * kDay;
        if (next(2) > 0) {
          r.followup_done_at = *r.followup_at + next(kDay);
          r.closed_at = r.followup_done_at;
          if (next(3) > 0) r.satisfaction = static_cast<int>(1 + next(5));
        }
      } else {
        r.closed_at = r.resolved_at;
      }
    }
    insert(store, r);
  }
  const std::vector<ReportPeriod> periods = {
      {kNow - 30 * kDay, kNow + 1, kNow - 60 * kDay, kNow - 30 * kDay},
      {kNow - 400 * kDay, kNow + 1, kNow - 800 * kDay, kNow - 400 * kDay},
      {kNow - 7 * kDay, kNow - 3 * kDay, kNow - 11 * kDay, kNow - 7 * kDay}};
  auto same_figures = [](const PeriodFigures& a, const PeriodFigures& b) {
    CHECK(a.opened == b.opened);
    CHECK(a.resolved == b.resolved);
    CHECK(a.median_hours_to_resolve == b.median_hours_to_resolve);
    CHECK(a.promises_kept_pct == b.promises_kept_pct);
    CHECK(a.closed == b.closed);
    CHECK(a.followups_due == b.followups_due);
    CHECK(a.followups_done == b.followups_done);
    CHECK(a.csat_avg == b.csat_avg);
    CHECK(a.csat_responses == b.csat_responses);
    REQUIRE(a.compensation.size() == b.compensation.size());
    for (std::size_t i = 0; i < a.compensation.size(); ++i) {
      CHECK(a.compensation[i].currency == b.compensation[i].currency);
      CHECK(a.compensation[i].amount_cents == b.compensation[i].amount_cents);
    }
    REQUIRE(a.repeat_customers.size() == b.repeat_customers.size());
    for (std::size_t i = 0; i < a.repeat_customers.size(); ++i) {
      CHECK(a.repeat_customers[i].id == b.repeat_customers[i].id);
      CHECK(a.repeat_customers[i].count == b.repeat_customers[i].count);
    }
  };
  for (const auto& period : periods) {
    CAPTURE(period.since);
    const auto a = build_report(store, period, kNow, ReportPlan::indexed);
    const auto b = build_report(store, period, kNow, ReportPlan::scan);
    CHECK(a.current.opened > 0);
    same_figures(a.current, b.current);
    same_figures(a.previous, b.previous);
    CHECK(pairs(a.by_category) == pairs(b.by_category));
    CHECK(pairs(a.by_channel) == pairs(b.by_channel));
    CHECK(pairs(a.by_outcome) == pairs(b.by_outcome));
    CHECK(pairs(a.by_cause) == pairs(b.by_cause));
    CHECK(a.open_now == b.open_now);
    CHECK(a.overdue_now == b.overdue_now);
    REQUIRE(a.weekly.size() == b.weekly.size());
    for (std::size_t i = 0; i < a.weekly.size(); ++i) {
      CHECK(a.weekly[i].start == b.weekly[i].start);
      CHECK(a.weekly[i].opened == b.weekly[i].opened);
      CHECK(a.weekly[i].resolved == b.weekly[i].resolved);
    }
  }
}

TEST_CASE("the scan plan names and orders repeat customers and takes medians as the index plan") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  // Names that tie on count and differ only in case, share a 16-byte start,
  // are a prefix of another, hold a NUL, or are not ASCII: the order must be
  // SQLite's NOCASE, then id, on both plans.
  const std::vector<std::string> names = {"ann",
                                          "Ann",
                                          "ANN B",
                                          "ann b",
                                          "Zoë",
                                          "zoe",
                                          "Émile",
                                          "emile",
                                          "Bartholomew Longname-Smith",
                                          "bartholomew longname-smythe",
                                          "Bartholomew Long",
                                          std::string("Nul\0After", 9),
                                          std::string("Nul", 3),
                                          "_underscore",
                                          "[bracket",
                                          "a"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    SQLite::Statement st(store.db(),
                         "INSERT INTO customers(id, name, created_at) VALUES (?, ?, 0)");
    st.bind(1, static_cast<std::int64_t>(i + 1));
    st.bind(2, names[i]);  // text, the NUL and what follows it included
    st.exec();
  }
  const auto n = static_cast<std::int64_t>(names.size());
  // Customer c gets 2 + c % 3 cases: three groups of equal counts.
  Time t = kNow - 100 * kDay;
  std::int64_t row = 0;
  for (std::int64_t c = 1; c <= n; ++c) {
    for (std::int64_t k = 0; k < 2 + c % 3; ++k, ++row) {
      Row r;
      r.customer = c;
      r.opened_at = t;
      t += kHour;
      // Durations with repeats, one resolved before it opened, and one over
      // 68 years (past 32 bits of seconds).
      if (row % 4 != 3) r.resolved_at = r.opened_at + (row % 5) * kHour;
      if (row == 7) r.resolved_at = r.opened_at - kDay;
      insert(store, r);
    }
  }
  {
    Row r;
    r.customer = 1;
    r.opened_at = kNow - 200 * kDay;
    r.resolved_at = r.opened_at + 80LL * 365 * kDay;  // "resolved" far ahead, by bad data
    insert(store, r);
  }
  for (const auto& period : std::vector<ReportPeriod>{
           {kNow - 150 * kDay, kNow + 1, kNow - 300 * kDay, kNow - 150 * kDay},
           {kNow - 400 * kDay, kNow + 100LL * 365 * kDay, kNow - 800 * kDay, kNow - 400 * kDay},
           {kNow - 99 * kDay, kNow - 98 * kDay, kNow - 100 * kDay, kNow - 99 * kDay}}) {
    CAPTURE(period.since);
    const auto a = build_report(store, period, kNow, ReportPlan::indexed);
    const auto b = build_report(store, period, kNow, ReportPlan::scan);
    CHECK(a.current.median_hours_to_resolve == b.current.median_hours_to_resolve);
    CHECK(a.current.resolved == b.current.resolved);
    for (const auto* f : {&a.current, &a.previous}) {
      const auto& g = f == &a.current ? b.current : b.previous;
      REQUIRE(f->repeat_customers.size() == g.repeat_customers.size());
      for (std::size_t i = 0; i < f->repeat_customers.size(); ++i) {
        CAPTURE(i);
        CHECK(f->repeat_customers[i].id == g.repeat_customers[i].id);
        CHECK(f->repeat_customers[i].name == g.repeat_customers[i].name);
        CHECK(f->repeat_customers[i].count == g.repeat_customers[i].count);
      }
    }
  }
  // The first period holds every customer's cases: all are listed.
  const auto all = build_report(store, {kNow - 150 * kDay, kNow + 1, 0, 1}, kNow, ReportPlan::scan);
  CHECK(static_cast<std::int64_t>(all.current.repeat_customers.size()) == n);
  CHECK(all.current.median_hours_to_resolve.has_value());
}

TEST_CASE("the scan plan counts a customer past 255 cases exactly") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  add_customers(store, 2);
  for (int i = 0; i < 300; ++i)
    insert(store, {1, "other", "other", kNow - kDay + i});
  for (int i = 0; i < 255; ++i)
    insert(store, {2, "other", "other", kNow - kDay + i});
  const ReportPeriod period{kNow - 2 * kDay, kNow + 1, kNow - 4 * kDay, kNow - 2 * kDay};
  const auto r = build_report(store, period, kNow, ReportPlan::scan);
  REQUIRE(r.current.repeat_customers.size() == 2);
  CHECK(r.current.repeat_customers[0].id == 1);
  CHECK(r.current.repeat_customers[0].count == 300);
  CHECK(r.current.repeat_customers[1].count == 255);
}

TEST_CASE("the scan plan counts breakdown keys of every length and many of them exactly") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  add_customers(store, 3);
  // Keys of 0 to 3 bytes (first, middle and last byte), 4 to 7 and 8 to 16
  // (two overlapping words), and longer ones that share their length and
  // both 8-byte ends, so only their middles tell them apart; then a hundred
  // more, past the keys kept in their first slot.
  std::vector<std::string> keys = {"",
                                   "a",
                                   "b",
                                   "ab",
                                   "ba",
                                   "aba",
                                   "aaa",
                                   "abca",
                                   "abcda",
                                   "abcdefg",
                                   "abcdefgh",
                                   "abcdefghi",
                                   "abcdefghabcdefgh",
                                   "abcdefgh-abcdefgh",
                                   "abcdefgh+abcdefgh",
                                   "long prefix A long suffix",
                                   "long prefix B long suffix",
                                   std::string("nul\0a", 5),
                                   std::string("nul\0b", 5),
                                   "rare cause 17",
                                   "rare cause 18"};
  for (int i = 0; i < 100; ++i)
    keys.push_back("key " + std::to_string(i));
  std::vector<std::string> categories, channels, outcomes, causes;
  std::map<std::string, std::int64_t> cents;
  Time t = kNow - 50 * kDay;
  for (std::size_t i = 0; i < keys.size() * 3; ++i) {
    Row r;
    r.customer = 1 + static_cast<std::int64_t>(i % 3);
    // Each key a different number of times in each breakdown.
    r.category = keys[(i * 7) % keys.size()];
    r.channel = keys[(i * i) % keys.size()];
    r.opened_at = t;
    t += kHour;
    r.resolved_at = r.opened_at + kHour;
    r.outcome = keys[(i * 5 + 1) % keys.size()];
    r.cause = keys[(i * 3 + 2) % keys.size()];
    r.amount_cents = static_cast<std::int64_t>(i);
    if (i % 4 != 0) r.currency = keys[i % 5 + 1];
    insert(store, r);
    categories.push_back(r.category);
    channels.push_back(r.channel);
    outcomes.push_back(*r.outcome);
    if (!r.cause->empty()) causes.push_back(*r.cause);
    cents[r.currency.value_or("USD")] += *r.amount_cents;
  }
  const ReportPeriod period{kNow - 60 * kDay, kNow + 1, kNow - 120 * kDay, kNow - 60 * kDay};
  const auto a = build_report(store, period, kNow, ReportPlan::indexed);
  const auto b = build_report(store, period, kNow, ReportPlan::scan);
  CHECK(pairs(b.by_category) == expected_breakdown(categories));
  CHECK(pairs(b.by_channel) == expected_breakdown(channels));
  CHECK(pairs(b.by_outcome) == expected_breakdown(outcomes));
  CHECK(pairs(b.by_cause) == pairs(a.by_cause));
  CHECK(b.by_cause.size() == keys.size() - 1);  // all but the empty one
  CHECK(pairs(a.by_category) == pairs(b.by_category));
  CHECK(pairs(a.by_channel) == pairs(b.by_channel));
  CHECK(pairs(a.by_outcome) == pairs(b.by_outcome));
  REQUIRE(b.current.compensation.size() == cents.size());
  std::size_t i = 0;
  for (const auto& [currency, sum] : cents) {
    CHECK(b.current.compensation[i].currency == currency);
    CHECK(b.current.compensation[i].amount_cents == sum);
    ++i;
  }
}

TEST_CASE("the scan plan puts cases in the trend's weeks as the index plan across clock changes") {
  test::ScopedTz tz("Europe/Berlin");
  SqliteStore store(":memory:");
  add_customers(store, 1);
  // 2026-03-29 and 2026-10-25 change the clocks in Berlin. Cases every 5
  // hours and 17 minutes from January to December, resolved a day later,
  // land on every side of every week edge; the periods start mid-week.
  const Time start = 1'767'225'600;  // 2026-01-01T00:00:00Z
  for (Time t = start; t < start + 340 * kDay; t += 5 * kHour + 17 * 60) {
    Row r;
    r.opened_at = t;
    r.resolved_at = t + kDay;
    insert(store, r);
  }
  // A case at each edge of the weeks after each change (Mondays 30 March,
  // 26 October and 2 November), and one second before each.
  for (const Time edge : {Time{1'774'821'600}, Time{1'792'969'200}, Time{1'793'574'000}}) {
    for (const Time t : {edge - 1, edge}) {
      Row r;
      r.opened_at = t;
      r.resolved_at = t;
      insert(store, r);
    }
  }
  for (const auto& period : std::vector<ReportPeriod>{
           {start + 3 * kDay + 5 * kHour, start + 320 * kDay, start - 300 * kDay, start},
           {start + 80 * kDay, start + 90 * kDay + 7, start + 70 * kDay, start + 80 * kDay},
           {start + 290 * kDay, start + 300 * kDay, start + 280 * kDay, start + 290 * kDay},
           // From Monday 6 July, midnight in summer time, into winter time.
           {1'783'288'800, start + 335 * kDay, start + 45 * kDay, 1'783'288'800}}) {
    CAPTURE(period.since);
    const auto a = build_report(store, period, kNow, ReportPlan::indexed);
    const auto b = build_report(store, period, kNow, ReportPlan::scan);
    REQUIRE(a.weekly.size() == b.weekly.size());
    std::int64_t opened = 0;
    for (std::size_t i = 0; i < a.weekly.size(); ++i) {
      CAPTURE(i);
      CHECK(a.weekly[i].start == b.weekly[i].start);
      CHECK(a.weekly[i].opened == b.weekly[i].opened);
      CHECK(a.weekly[i].resolved == b.weekly[i].resolved);
      opened += b.weekly[i].opened;
    }
    CHECK(opened > 0);
  }
}

TEST_CASE("a report asked for the first N repeat customers lists the full order's first N") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  // Names whose NOCASE order runs against the ids, some equal but for case
  // or wholly (then the id decides); counts with ties everywhere, and three
  // customers at or past the 255 cases one byte counts.
  const int customers = 30;
  for (int i = 1; i <= customers; ++i) {
    SQLite::Statement st(store.db(),
                         "INSERT INTO customers(id, name, created_at) VALUES (?, ?, 0)");
    st.bind(1, i);
    std::string name = "Cust " + std::string(1, static_cast<char>('z' - i % 7));
    if (i % 3 == 0) name = "cust " + std::string(1, static_cast<char>('Z' - i % 7));
    st.bind(2, name);
    st.exec();
  }
  Time t = kNow - 20 * kDay;
  const auto cases_of = [](int c) {
    return c == 4 ? 300 : c == 9 ? 256 : c == 17 ? 255 : c == 30 ? 1 : 2 + c % 4;
  };
  for (int c = 1; c <= customers; ++c) {
    for (int k = 0; k < cases_of(c); ++k) {
      insert(store, {c, "other", "other", t});
      t += 60;
    }
    // The period before: fewer, other ties.
    for (int k = 0; k < c % 3 + 1; ++k)
      insert(store, {c, "other", "other", kNow - 40 * kDay + c * kHour + k});
  }
  const ReportPeriod period{kNow - 30 * kDay, kNow + 1, kNow - 60 * kDay, kNow - 30 * kDay};
  for (const auto plan : {ReportPlan::indexed, ReportPlan::scan}) {
    const auto full = build_report(store, period, kNow, plan);
    REQUIRE(full.current.repeat_customers.size() == customers - 1);
    CHECK(full.current.repeat_customers_not_listed == 0);
    CHECK(full.current.repeat_customers[0].count == 300);
    CHECK(full.current.repeat_customers[2].count == 255);
    for (const std::size_t n : {0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 17, 28, 29, 30, 100}) {
      CAPTURE(n);
      const auto r = build_report(store, period, kNow, plan, n);
      for (const auto* f : {&r.current, &r.previous}) {
        const auto& all = (f == &r.current ? full.current : full.previous).repeat_customers;
        const auto listed = std::min(n, all.size());
        REQUIRE(f->repeat_customers.size() == listed);
        CHECK(f->repeat_customers_not_listed == static_cast<std::int64_t>(all.size() - listed));
        for (std::size_t i = 0; i < listed; ++i) {
          CAPTURE(i);
          CHECK(f->repeat_customers[i].id == all[i].id);
          CHECK(f->repeat_customers[i].name == all[i].name);
          CHECK(f->repeat_customers[i].count == all[i].count);
        }
      }
      CHECK(r.current.opened == full.current.opened);
    }
  }
  // Both plans order the full lists alike.
  const auto a = build_report(store, period, kNow, ReportPlan::indexed);
  const auto b = build_report(store, period, kNow, ReportPlan::scan);
  REQUIRE(a.current.repeat_customers.size() == b.current.repeat_customers.size());
  for (std::size_t i = 0; i < a.current.repeat_customers.size(); ++i)
    CHECK(a.current.repeat_customers[i].id == b.current.repeat_customers[i].id);
}

TEST_CASE("the scan plan orders repeat customers by name with or without the index on names") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  // Most customers repeat, so the scan names them all in one walk; the
  // names tie on count and differ in case, in a NUL, past 16 bytes, or not.
  const std::vector<std::string> names = {"bob",
                                          "Bob",
                                          "ALICE",
                                          "alice b",
                                          std::string("Nul\0z", 5),
                                          std::string("Nul\0a", 5),
                                          "Nul",
                                          "A very long customer name, one",
                                          "a very long customer name, One",
                                          "Ölaf",
                                          "olaf",
                                          "zed"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    SQLite::Statement st(store.db(),
                         "INSERT INTO customers(id, name, created_at) VALUES (?, ?, 0)");
    st.bind(1, static_cast<std::int64_t>(names.size() - i));  // ids against the list
    st.bind(2, names[i]);
    st.exec();
  }
  Time t = kNow - 10 * kDay;
  for (std::int64_t c = 1; c <= static_cast<std::int64_t>(names.size()); ++c)
    for (std::int64_t k = 0; k < 2 + c % 2; ++k, t += kHour)
      insert(store, {c, "other", "other", t});
  const ReportPeriod period{kNow - 20 * kDay, kNow + 1, kNow - 40 * kDay, kNow - 20 * kDay};
  const auto expected = build_report(store, period, kNow, ReportPlan::indexed);
  REQUIRE(expected.current.repeat_customers.size() == names.size());
  const auto same = [&](const Report& r) {
    REQUIRE(r.current.repeat_customers.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      CAPTURE(i);
      CHECK(r.current.repeat_customers[i].id == expected.current.repeat_customers[i].id);
      CHECK(r.current.repeat_customers[i].name == expected.current.repeat_customers[i].name);
      CHECK(r.current.repeat_customers[i].count == expected.current.repeat_customers[i].count);
    }
  };
  same(build_report(store, period, kNow, ReportPlan::scan));
  store.db().exec("DROP INDEX customers_by_name");
  same(build_report(store, period, kNow, ReportPlan::scan));
  store.db().exec("CREATE INDEX customers_by_name ON customers(name)");  // not NOCASE
  same(build_report(store, period, kNow, ReportPlan::scan));
}

TEST_CASE("a repeat customer with no row is left out by both plans, listed in full or not") {
  test::ScopedTz tz("UTC");
  SqliteStore store(":memory:");
  add_customers(store, 8);
  // Only a database written without its foreign keys has such cases: the
  // missing customer 9 has the most, and 4 more rows than the rest.
  store.db().exec("PRAGMA foreign_keys = OFF");
  Time t = kNow - 10 * kDay;
  for (std::int64_t c = 1; c <= 9; ++c)
    for (std::int64_t k = 0; k < (c == 9 ? 6 : 2 + c % 2); ++k, t += kHour)
      insert(store, {c, "other", "other", t});
  const ReportPeriod period{kNow - 20 * kDay, kNow + 1, kNow - 40 * kDay, kNow - 20 * kDay};
  for (const std::optional<std::size_t> listed :
       {std::optional<std::size_t>{}, std::optional<std::size_t>{3}}) {
    CAPTURE(listed.value_or(0));
    const auto a = build_report(store, period, kNow, ReportPlan::indexed, listed);
    const auto b = build_report(store, period, kNow, ReportPlan::scan, listed);
    REQUIRE(a.current.repeat_customers.size() == (listed ? 3 : 8));
    CHECK(a.current.repeat_customers_not_listed == (listed ? 5 : 0));
    REQUIRE(b.current.repeat_customers.size() == a.current.repeat_customers.size());
    CHECK(b.current.repeat_customers_not_listed == a.current.repeat_customers_not_listed);
    for (std::size_t i = 0; i < a.current.repeat_customers.size(); ++i) {
      CAPTURE(i);
      CHECK(b.current.repeat_customers[i].id == a.current.repeat_customers[i].id);
      CHECK(b.current.repeat_customers[i].name == a.current.repeat_customers[i].name);
      CHECK(b.current.repeat_customers[i].id != 9);
    }
  }
}
