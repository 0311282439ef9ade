// The report's periods, its indexed plan, and the choice between the two
// plans (the scan plan is report_scan.cpp).
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <charconv>

#include "core/errors.hpp"
#include "core/report.hpp"
#include "core/report_plans.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"

namespace mend {
namespace {

using report_plan::PeriodTotals;

constexpr int kDefaultDays = 30;
// The trend chart shows at most this many weeks (the last ones of the period).
constexpr std::size_t kMaxWeeks = 104;

Time add_local_days(Time t, int days) {
  const auto lt = to_local(t);
  return from_local(lt.year, lt.month, lt.day + days, lt.hour, lt.minute, lt.second);
}

Time month_start(int year, int month) {
  return from_local(year, month, 1, 0, 0, 0);
}

// A calendar period and the one before it.
ReportPeriod calendar(Time since, Time until, Time previous_since) {
  return ReportPeriod{since, until, previous_since, since};
}

ReportPeriod named_period(const std::string& word, Time now) {
  const auto lt = to_local(now);
  if (word == "week" || word == "last-week") {
    const Time this_week = start_of_local_week(now);
    const auto w = to_local(this_week);
    const auto week = [&](int offset) {
      return from_local(w.year, w.month, w.day + offset, 0, 0, 0);
    };
    if (word == "week") return calendar(this_week, week(7), week(-7));
    return calendar(week(-7), this_week, week(-14));
  }
  if (word == "month") {
    return calendar(month_start(lt.year, lt.month), month_start(lt.year, lt.month + 1),
                    month_start(lt.year, lt.month - 1));
  }
  if (word == "last-month") {
    return calendar(month_start(lt.year, lt.month - 1), month_start(lt.year, lt.month),
                    month_start(lt.year, lt.month - 2));
  }
  if (word == "quarter") {
    const int first = (lt.month - 1) / 3 * 3 + 1;
    return calendar(month_start(lt.year, first), month_start(lt.year, first + 3),
                    month_start(lt.year, first - 3));
  }
  if (word == "year") {
    return calendar(month_start(lt.year, 1), month_start(lt.year + 1, 1),
                    month_start(lt.year - 1, 1));
  }
  // YYYY-MM
  if (word.size() == 7 && word[4] == '-') {
    int year = 0, month = 0;
    const char* b = word.data();
    auto [p1, e1] = std::from_chars(b, b + 4, year);
    auto [p2, e2] = std::from_chars(b + 5, b + 7, month);
    const bool digits = std::all_of(word.begin(), word.begin() + 4, ::isdigit) &&
                        std::all_of(word.begin() + 5, word.end(), ::isdigit);
    if (digits && e1 == std::errc() && e2 == std::errc() && p1 == b + 4 && p2 == b + 7 &&
        year >= 1900 && year <= 9999 && month >= 1 && month <= 12) {
      return calendar(month_start(year, month), month_start(year, month + 1),
                      month_start(year, month - 1));
    }
  }
  fail(ErrorKind::usage,
       "--period takes week, month, quarter, year, last-week, last-month or "
       "a month like 2026-11, not '" +
           word + "'");
}

// Runs a one-value query with the period bound to ?1 and ?2.
std::int64_t count_in(SQLite::Database& db, const char* sql, Time since, Time until) {
  SQLite::Statement st(db, sql);
  st.bind(1, static_cast<std::int64_t>(since));
  st.bind(2, static_cast<std::int64_t>(until));
  return st.executeStep() ? st.getColumn(0).getInt64() : 0;
}

// A breakdown query: rows of (key, count), already ordered by the SQL.
std::vector<Count> counts_in(SQLite::Database& db, const char* sql, Time since, Time until) {
  SQLite::Statement st(db, sql);
  st.bind(1, static_cast<std::int64_t>(since));
  st.bind(2, static_cast<std::int64_t>(until));
  std::vector<Count> out;
  while (st.executeStep())
    out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()});
  return out;
}

// Customers with 2+ cases opened in the period (the indexed plan; the scan
// counts them as it reads).
std::vector<RepeatCustomer> repeat_customers(SQLite::Database& db, Time since, Time until) {
  SQLite::Statement st(db,
                       "SELECT c.customer_id, u.name, count(*) AS n FROM cases c "
                       "JOIN customers u ON u.id = c.customer_id "
                       "WHERE c.opened_at >= ?1 AND c.opened_at < ?2 "
                       "GROUP BY c.customer_id HAVING n >= 2 "
                       "ORDER BY n DESC, u.name COLLATE NOCASE, c.customer_id");
  st.bind(1, static_cast<std::int64_t>(since));
  st.bind(2, static_cast<std::int64_t>(until));
  std::vector<RepeatCustomer> out;
  while (st.executeStep()) {
    out.push_back(
        {st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getInt64()});
  }
  return out;
}

// The indexed plan's figures of one period: a query or two per figure, each
// on the index of the time it counts.
PeriodFigures figures(SQLite::Database& db, Time since, Time until) {
  PeriodTotals t;
  t.since = since;
  t.until = until;
  t.opened = count_in(db, "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
                      since, until);
  {
    SQLite::Statement st(db,
                         "SELECT count(*), count(due_at), "
                         "coalesce(sum(due_at IS NOT NULL AND resolved_at <= due_at), 0) "
                         "FROM cases WHERE resolved_at >= ?1 AND resolved_at < ?2");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    if (st.executeStep()) {
      t.resolved = st.getColumn(0).getInt64();
      t.with_due = st.getColumn(1).getInt64();
      t.kept = st.getColumn(2).getInt64();
    }
  }
  if (t.resolved > 0) {
    // Only the middle one or two durations leave SQLite.
    SQLite::Statement st(db,
                         "SELECT resolved_at - opened_at AS d FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 "
                         "ORDER BY d LIMIT ?3 OFFSET ?4");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    st.bind(3, static_cast<std::int64_t>(t.resolved % 2 == 0 ? 2 : 1));
    st.bind(4, static_cast<std::int64_t>((t.resolved - 1) / 2));
    std::vector<std::int64_t> middle;
    while (st.executeStep())
      middle.push_back(st.getColumn(0).getInt64());
    t.median_seconds_to_resolve = median(middle);
  }
  {
    // Summed here, in 128 bits: SQLite's sum() stops at 64 ("integer overflow").
    SQLite::Statement st(db,
                         "SELECT coalesce(currency, 'USD') AS cur, amount_cents FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 "
                         "AND amount_cents IS NOT NULL ORDER BY cur");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    while (st.executeStep()) {
      const char* cur = st.getColumn(0).getText();
      if (t.compensation.empty() || t.compensation.back().currency != cur)
        t.compensation.push_back({cur, 0});
      t.compensation.back().amount_cents += st.getColumn(1).getInt64();
    }
  }
  t.closed = count_in(db, "SELECT count(*) FROM cases WHERE closed_at >= ?1 AND closed_at < ?2",
                      since, until);
  t.followups_due = count_in(
      db, "SELECT count(*) FROM cases WHERE followup_at >= ?1 AND followup_at < ?2", since, until);
  {
    // Scores are 1 to 5 (a CHECK constraint), so their sum fits any count.
    SQLite::Statement st(db,
                         "SELECT count(*), count(satisfaction), coalesce(sum(satisfaction), 0) "
                         "FROM cases WHERE followup_done_at >= ?1 AND followup_done_at < ?2");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    if (st.executeStep()) {
      t.followups_done = st.getColumn(0).getInt64();
      t.csat_responses = st.getColumn(1).getInt64();
      t.csat_sum = st.getColumn(2).getInt64();
    }
  }
  auto f = report_plan::period_figures(std::move(t));
  f.repeat_customers = repeat_customers(db, since, until);
  return f;
}

}  // namespace

namespace report_plan {

PeriodFigures period_figures(PeriodTotals t) {
  PeriodFigures f;
  f.since = t.since;
  f.until = t.until;
  f.opened = t.opened;
  f.resolved = t.resolved;
  if (t.with_due > 0)
    f.promises_kept_pct = 100.0 * static_cast<double>(t.kept) / static_cast<double>(t.with_due);
  if (t.median_seconds_to_resolve)
    f.median_hours_to_resolve = *t.median_seconds_to_resolve / 3600.0;
  // By currency code.
  f.compensation = std::move(t.compensation);
  std::sort(f.compensation.begin(), f.compensation.end(),
            [](const Money& a, const Money& b) { return a.currency < b.currency; });
  f.closed = t.closed;
  f.followups_due = t.followups_due;
  f.followups_done = t.followups_done;
  f.csat_responses = t.csat_responses;
  if (t.csat_responses > 0)
    f.csat_avg = static_cast<double>(t.csat_sum) / static_cast<double>(t.csat_responses);
  return f;
}

void now_figures(SQLite::Database& db, Time now, Report& r) {
  SQLite::Statement st(db,
                       "SELECT count(*), coalesce(sum(due_at < ?1), 0) FROM cases "
                       "WHERE status = 'open'");
  st.bind(1, static_cast<std::int64_t>(now));
  if (st.executeStep()) {
    r.open_now = st.getColumn(0).getInt64();
    r.overdue_now = st.getColumn(1).getInt64();
  }
}

void list_first(PeriodFigures& f, std::optional<std::size_t> listed, std::size_t total) {
  if (listed && f.repeat_customers.size() > *listed) f.repeat_customers.resize(*listed);
  f.repeat_customers_not_listed = static_cast<std::int64_t>(total - f.repeat_customers.size());
}

}  // namespace report_plan

Time start_of_local_week(Time t) {
  const auto lt = to_local(t);
  const int back = (lt.weekday + 6) % 7;  // Monday = 0
  return from_local(lt.year, lt.month, lt.day - back, 0, 0, 0);
}

std::optional<double> median(std::vector<std::int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  if (n % 2 == 1) return static_cast<double>(values[n / 2]);
  return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
}

ReportPeriod parse_report_period(const PeriodRequest& r, Time now) {
  if (r.period && (r.since || r.until))
    fail(ErrorKind::usage, "give either --period or --since/--until, not both");
  if (r.period) {
    std::string word;
    for (char c : *r.period)
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return named_period(trimmed(word), now);
  }
  if (!r.since && !r.until) {
    const Time since = add_local_days(now, -kDefaultDays);
    return ReportPeriod{since, now, add_local_days(since, -kDefaultDays), since, true};
  }
  const Time since_at =
      r.since ? *parse_when(*r.since, now, DateRole::since, false, r.calendar).at : 0;
  // A --since in the future without --until: an empty period (the CLI warns).
  const Time until = r.until   ? *parse_when(*r.until, now, DateRole::until, false, r.calendar).at
                     : r.since ? std::max(now, since_at)
                               : now;
  const Time since = r.since ? since_at : add_local_days(until, -kDefaultDays);
  const bool includes_until = !r.until;
  if (since >= until + (includes_until ? 1 : 0))
    fail(ErrorKind::usage, "--since " + trimmed(r.since.value_or("")) +
                               (since > until ? " is later than" : " is the same time as") +
                               " --until " + trimmed(r.until.value_or("")) +
                               "; the period must start before it ends");
  const Time span = until - since;
  return ReportPeriod{since, until, since - span, since, includes_until};
}

namespace {

// The weekly trend: the weeks touching the period, at most kMaxWeeks of them,
// ending with the week of the period's last instant (or of now).
std::vector<Time> week_starts(const ReportPeriod& period, Time now) {
  const Time last = std::min(period.until - 1, std::max(now, period.since));
  std::vector<Time> starts;
  for (Time w = start_of_local_week(last); starts.size() < kMaxWeeks;) {
    starts.push_back(w);
    if (w <= period.since) break;
    const auto lt = to_local(w);
    w = from_local(lt.year, lt.month, lt.day - 7, 0, 0, 0);
  }
  std::reverse(starts.begin(), starts.end());
  return starts;
}

}  // namespace

namespace report_plan {

ReportPeriod queried_span(const ReportPeriod& shown) {
  ReportPeriod period = shown;
  if (period.includes_until) period.until += 1;
  return period;
}

void trend_weeks(const ReportPeriod& period, Time now, Report& r, std::vector<Time>& week_from,
                 std::vector<Time>& week_to) {
  for (const Time start : week_starts(period, now)) {
    const auto lt = to_local(start);
    r.weekly.push_back(Report::Week{start, 0, 0});
    week_from.push_back(std::max(start, period.since));
    week_to.push_back(std::min(from_local(lt.year, lt.month, lt.day + 7, 0, 0, 0), period.until));
  }
}

}  // namespace report_plan

namespace {

// Index walks cost a row lookup per case in the periods, a dozen times over;
// one scan costs every case once. Scan when the periods hold more than a
// tenth of the history (cases opened in them, from the covering opened_at
// index, against the highest id). The count stops once it has decided, and
// is not needed at all when the first and the last case opened inside (then
// every case did).
ReportPlan choose_plan(SQLite::Database& db, const ReportPeriod& period) {
  const Time from = std::min(period.since, period.previous_since);
  const Time to = std::max(period.until, period.previous_until);
  const auto inside = [&](const char* sql) {
    SQLite::Statement st(db, sql);
    return st.executeStep() && !st.getColumn(0).isNull() && st.getColumn(0).getInt64() >= from &&
           st.getColumn(0).getInt64() < to;
  };
  if (inside("SELECT min(opened_at) FROM cases") && inside("SELECT max(opened_at) FROM cases"))
    return ReportPlan::scan;
  const auto total = db.execAndGet("SELECT coalesce(max(id), 0) FROM cases").getInt64();
  SQLite::Statement st(db,
                       "SELECT count(*) FROM (SELECT 1 FROM cases "
                       "WHERE opened_at >= ?1 AND opened_at < ?2 LIMIT ?3)");
  st.bind(1, static_cast<std::int64_t>(from));
  st.bind(2, static_cast<std::int64_t>(to));
  st.bind(3, total / 10 + 1);
  const auto in_periods = st.executeStep() ? st.getColumn(0).getInt64() : 0;
  return in_periods * 10 > total ? ReportPlan::scan : ReportPlan::indexed;
}

// The indexed plan: every figure from the time indexes, so that the cost
// follows the cases in the periods.
void indexed_report(SQLite::Database& db, const ReportPeriod& period, Time now, Report& r,
                    const std::vector<Time>& week_from, const std::vector<Time>& week_to,
                    std::optional<std::size_t> listed) {
  r.current = figures(db, period.since, period.until);
  r.previous = figures(db, period.previous_since, period.previous_until);
  for (auto* f : {&r.current, &r.previous})
    report_plan::list_first(*f, listed, f->repeat_customers.size());
  r.by_category = counts_in(db,
                            "SELECT category, count(*) AS n FROM cases "
                            "WHERE opened_at >= ?1 AND opened_at < ?2 "
                            "GROUP BY category ORDER BY n DESC, category",
                            period.since, period.until);
  r.by_channel = counts_in(db,
                           "SELECT channel, count(*) AS n FROM cases "
                           "WHERE opened_at >= ?1 AND opened_at < ?2 "
                           "GROUP BY channel ORDER BY n DESC, channel",
                           period.since, period.until);
  r.by_outcome = counts_in(db,
                           "SELECT outcome, count(*) AS n FROM cases "
                           "WHERE resolved_at >= ?1 AND resolved_at < ?2 AND outcome IS NOT NULL "
                           "GROUP BY outcome ORDER BY n DESC, outcome",
                           period.since, period.until);
  r.by_cause = counts_in(db,
                         "SELECT lower(cause) AS k, count(*) AS n FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 AND cause IS NOT NULL "
                         "AND cause <> '' GROUP BY k ORDER BY n DESC, k",
                         period.since, period.until);
  report_plan::now_figures(db, now, r);
  SQLite::Statement opened(db,
                           "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2");
  SQLite::Statement resolved(
      db, "SELECT count(*) FROM cases WHERE resolved_at >= ?1 AND resolved_at < ?2");
  for (std::size_t i = 0; i < week_from.size(); ++i) {
    auto& week = r.weekly[i];
    for (auto* st : {&opened, &resolved}) {
      st->reset();
      st->bind(1, static_cast<std::int64_t>(week_from[i]));
      st->bind(2, static_cast<std::int64_t>(week_to[i]));
      const auto n = st->executeStep() ? st->getColumn(0).getInt64() : 0;
      (st == &opened ? week.opened : week.resolved) = n;
    }
  }
}

}  // namespace

Report build_report(Store& store, const ReportPeriod& period, Time now, ReportPlan plan,
                    std::optional<std::size_t> listed) {
  return store.report(period, now, plan, listed);
}

Report SqliteStore::report(const ReportPeriod& shown, Time now, ReportPlan plan,
                           std::optional<std::size_t> listed) {
  SqliteStore& store = *this;
  const ReportPeriod period = report_plan::queried_span(shown);
  return guarded(store.path(), [&] {
    auto& db = store.db();
    // One snapshot for every figure.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::DEFERRED);
    if (plan == ReportPlan::automatic) plan = choose_plan(db, period);
    Report r;
    std::vector<Time> week_from, week_to;
    report_plan::trend_weeks(period, now, r, week_from, week_to);
    if (plan == ReportPlan::scan) {
      report_plan::scan_report(db, period, now, r, std::move(week_from), std::move(week_to),
                               listed);
    } else {
      indexed_report(db, period, now, r, week_from, week_to, listed);
    }
    r.current.until = shown.until;
    tx.commit();
    return r;
  });
}

}  // namespace mend
