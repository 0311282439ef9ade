// The PostgreSQL store's report: the SQLite store's indexed plan in
// PostgreSQL's words: each figure counted on the time it is about, all in
// one snapshot.
// What a figure means is defined once, for both stores (report_plans.hpp);
// here is only how PostgreSQL counts the totals. SQLite's NOCASE and lower()
// fold ASCII letters only and its text sorts byte by byte, so text is folded
// and ordered under the "C" collation here.
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

#include "core/pg_store.hpp"
#include "core/report.hpp"
#include "core/report_plans.hpp"

namespace mend {
namespace {

using report_plan::PeriodTotals;

// The values of a query that names the period `times` times, each as a
// `since` then an `until` placeholder.
PgParams period_values(Time since, Time until, int times) {
  PgParams p;
  for (int i = 0; i < times; ++i)
    p << static_cast<std::int64_t>(since) << static_cast<std::int64_t>(until);
  return p;
}

// A sum PostgreSQL gives as numeric (sum of a bigint), read in 128 bits.
CentsSum cents_from_numeric(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  CentsSum v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') fail(ErrorKind::io, "PostgreSQL gave a sum that is not whole cents");
    v = v * 10 + (negative ? -(c - '0') : (c - '0'));
  }
  return v;
}

// Two breakdowns from one read of the period's cases: rows of (which, key,
// count), the first breakdown's (which = 0) then the second's, each already
// ordered by the SQL.
std::pair<std::vector<Count>, std::vector<Count>> two_counts_in(PgConn& conn, const char* sql,
                                                                Time since, Time until) {
  const auto r = conn.exec(sql, period_values(since, until, 1));
  std::pair<std::vector<Count>, std::vector<Count>> out;
  for (int i = 0; i < r.rows(); ++i)
    (r.int64(i, 0) == 0 ? out.first : out.second).push_back({r.text(i, 1), r.int64(i, 2)});
  return out;
}

// Customers with 2+ cases opened in the period, largest first, ties by name
// as NOCASE orders it, then id; with `listed`, only the first that many are
// read, and the rest counted.
void repeat_customers(PgConn& conn, PeriodFigures& f, std::optional<std::size_t> listed) {
  PgParams p = period_values(f.since, f.until, 1);
  // LIMIT NULL is no limit; at least one row is read, to learn the total.
  p << (listed ? std::optional<std::int64_t>(
                     static_cast<std::int64_t>(std::max<std::size_t>(*listed, 1)))
               : std::nullopt);
  const auto r = conn.exec(
      "SELECT u.id, u.name, g.n, count(*) OVER () FROM "
      "(SELECT customer_id, count(*) AS n FROM mend.cases "
      "WHERE opened_at >= ? AND opened_at < ? GROUP BY customer_id HAVING count(*) >= 2) g "
      "JOIN mend.customers u ON u.id = g.customer_id "
      "ORDER BY g.n DESC, lower(u.name COLLATE \"C\") COLLATE \"C\", u.id LIMIT ?",
      p);
  for (int i = 0; i < r.rows(); ++i)
    f.repeat_customers.push_back({r.int64(i, 0), r.text(i, 1), r.int64(i, 2)});
  const auto total = r.rows() > 0 ? static_cast<std::size_t>(r.int64(0, 3)) : 0;
  report_plan::list_first(f, listed, total);
}

// One period's figures: a query for the counts, one for the middle
// durations, one for the compensation, one for the repeat customers.
PeriodFigures figures(PgConn& conn, Time since, Time until, std::optional<std::size_t> listed) {
  PeriodTotals t;
  t.since = since;
  t.until = until;
  {
    // Scores are 1 to 5 (a CHECK constraint), so their sum fits any count.
    const auto r = conn.exec(
        "SELECT (SELECT count(*) FROM mend.cases WHERE opened_at >= ? AND opened_at < ?), "
        "(SELECT count(*) FROM mend.cases WHERE closed_at >= ? AND closed_at < ?), "
        "(SELECT count(*) FROM mend.cases WHERE followup_at >= ? AND followup_at < ?), "
        "r.n, r.with_due, r.kept, d.n, d.responses, d.score_sum "
        "FROM (SELECT count(*) AS n, count(due_at) AS with_due, "
        "count(*) FILTER (WHERE resolved_at <= due_at) AS kept "
        "FROM mend.cases WHERE resolved_at >= ? AND resolved_at < ?) r, "
        "(SELECT count(*) AS n, count(satisfaction) AS responses, "
        "coalesce(sum(satisfaction), 0) AS score_sum "
        "FROM mend.cases WHERE followup_done_at >= ? AND followup_done_at < ?) d",
        period_values(since, until, 5));
    t.opened = r.int64(0, 0);
    t.closed = r.int64(0, 1);
    t.followups_due = r.int64(0, 2);
    t.resolved = r.int64(0, 3);
    t.with_due = r.int64(0, 4);
    t.kept = r.int64(0, 5);
    t.followups_done = r.int64(0, 6);
    t.csat_responses = r.int64(0, 7);
    t.csat_sum = r.int64(0, 8);
  }
  if (t.resolved > 0) {
    // Only the middle one or two durations leave the server.
    PgParams p = period_values(since, until, 1);
    p << static_cast<std::int64_t>(t.resolved % 2 == 0 ? 2 : 1)
      << static_cast<std::int64_t>((t.resolved - 1) / 2);
    const auto r = conn.exec(
        "SELECT resolved_at - opened_at AS d FROM mend.cases "
        "WHERE resolved_at >= ? AND resolved_at < ? ORDER BY d LIMIT ? OFFSET ?",
        p);
    std::vector<std::int64_t> middle;
    for (int i = 0; i < r.rows(); ++i)
      middle.push_back(r.int64(i, 0));
    t.median_seconds_to_resolve = median(std::move(middle));
  }
  {
    // sum() of a bigint is numeric in PostgreSQL: exact past 64 bits.
    const auto r = conn.exec(
        "SELECT coalesce(currency, 'USD') AS cur, sum(amount_cents)::text FROM mend.cases "
        "WHERE resolved_at >= ? AND resolved_at < ? AND amount_cents IS NOT NULL "
        "GROUP BY cur",
        period_values(since, until, 1));
    for (int i = 0; i < r.rows(); ++i)
      t.compensation.push_back({r.text(i, 0), cents_from_numeric(r.view(i, 1))});
  }
  auto f = report_plan::period_figures(std::move(t));
  repeat_customers(conn, f, listed);
  return f;
}

}  // namespace

Report PgStore::report(const ReportPeriod& shown, Time now, ReportPlan,
                       std::optional<std::size_t> listed) {
  const ReportPeriod period = report_plan::queried_span(shown);
  return read([&] {
    Report r;
    std::vector<Time> week_from, week_to;
    report_plan::trend_weeks(period, now, r, week_from, week_to);
    r.current = figures(conn_, period.since, period.until, listed);
    r.previous = figures(conn_, period.previous_since, period.previous_until, listed);
    // Each pair of breakdowns in one read: grouping sets, so that a set's
    // rows come together (GROUPING() is 0 for the first), largest first, ties
    // by key in byte order.
    std::tie(r.by_category, r.by_channel) =
        two_counts_in(conn_,
                      "SELECT GROUPING(category), CASE WHEN GROUPING(category) = 0 "
                      "THEN category COLLATE \"C\" ELSE channel COLLATE \"C\" END, count(*) "
                      "FROM mend.cases WHERE opened_at >= ? AND opened_at < ? "
                      "GROUP BY GROUPING SETS ((category), (channel)) ORDER BY 1, 3 DESC, 2",
                      period.since, period.until);
    // Outcomes set, and causes set and not empty, folded as SQLite's lower().
    std::tie(r.by_outcome, r.by_cause) =
        two_counts_in(conn_,
                      "SELECT GROUPING(outcome), CASE WHEN GROUPING(outcome) = 0 "
                      "THEN outcome COLLATE \"C\" ELSE lower(cause COLLATE \"C\") END, count(*) "
                      "FROM mend.cases WHERE resolved_at >= ? AND resolved_at < ? "
                      "GROUP BY GROUPING SETS ((outcome), (lower(cause COLLATE \"C\"))) "
                      "HAVING CASE WHEN GROUPING(outcome) = 0 THEN outcome IS NOT NULL "
                      "ELSE coalesce(lower(cause COLLATE \"C\"), '') <> '' END "
                      "ORDER BY 1, 3 DESC, 2",
                      period.since, period.until);
    {
      const auto now_rows = conn_.exec(
          "SELECT count(*), count(*) FILTER (WHERE due_at < ?) FROM mend.cases "
          "WHERE status = 'open'",
          PgParams{} << static_cast<std::int64_t>(now));
      r.open_now = now_rows.int64(0, 0);
      r.overdue_now = now_rows.int64(0, 1);
    }
    {
      // Every week in one statement: the weeks' bounds go as two arrays.
      const auto array = [](const std::vector<Time>& times) {
        std::string s = "{";
        for (const Time t : times) {
          if (s.size() > 1) s += ',';
          s += std::to_string(t);
        }
        return s + "}";
      };
      const auto weeks = conn_.exec(
          "SELECT (SELECT count(*) FROM mend.cases WHERE opened_at >= w.f AND opened_at < w.t), "
          "(SELECT count(*) FROM mend.cases WHERE resolved_at >= w.f AND resolved_at < w.t) "
          "FROM unnest(?::bigint[], ?::bigint[]) WITH ORDINALITY AS w(f, t, i) ORDER BY w.i",
          PgParams{} << array(week_from) << array(week_to));
      for (int i = 0; i < weeks.rows() && static_cast<std::size_t>(i) < r.weekly.size(); ++i) {
        r.weekly[static_cast<std::size_t>(i)].opened = weeks.int64(i, 0);
        r.weekly[static_cast<std::size_t>(i)].resolved = weeks.int64(i, 1);
      }
    }
    r.current.until = shown.until;
    return r;
  });
}

}  // namespace mend
