#include "core/report.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "core/errors.hpp"
#include "core/sqlite_error.hpp"
#include "core/store.hpp"

namespace mend {
namespace {

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

// Customers with 2+ cases opened in the period. On a wide period the unary +
// keeps SQLite off the opened_at index: it walks cases_by_customer, which
// holds both columns, instead of looking up every row.
std::vector<RepeatCustomer> repeat_customers(SQLite::Database& db, Time since, Time until,
                                             bool wide) {
  SQLite::Statement st(db, wide ? "SELECT c.customer_id, u.name, count(*) AS n FROM cases c "
                                  "JOIN customers u ON u.id = c.customer_id "
                                  "WHERE +c.opened_at >= ?1 AND +c.opened_at < ?2 "
                                  "GROUP BY c.customer_id HAVING n >= 2 "
                                  "ORDER BY n DESC, u.name COLLATE NOCASE, c.customer_id"
                                : "SELECT c.customer_id, u.name, count(*) AS n FROM cases c "
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

PeriodFigures figures(SQLite::Database& db, Time since, Time until) {
  PeriodFigures f;
  f.since = since;
  f.until = until;
  f.opened = count_in(db, "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
                      since, until);
  f.repeat_customers = repeat_customers(db, since, until, false);
  std::int64_t with_due = 0, kept = 0;
  {
    SQLite::Statement st(db,
                         "SELECT count(*), count(due_at), "
                         "coalesce(sum(due_at IS NOT NULL AND resolved_at <= due_at), 0) "
                         "FROM cases WHERE resolved_at >= ?1 AND resolved_at < ?2");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    if (st.executeStep()) {
      f.resolved = st.getColumn(0).getInt64();
      with_due = st.getColumn(1).getInt64();
      kept = st.getColumn(2).getInt64();
    }
  }
  if (with_due > 0)
    f.promises_kept_pct = 100.0 * static_cast<double>(kept) / static_cast<double>(with_due);
  if (f.resolved > 0) {
    // Only the middle one or two durations leave SQLite.
    SQLite::Statement st(db,
                         "SELECT resolved_at - opened_at AS d FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 "
                         "ORDER BY d LIMIT ?3 OFFSET ?4");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    st.bind(3, static_cast<std::int64_t>(f.resolved % 2 == 0 ? 2 : 1));
    st.bind(4, static_cast<std::int64_t>((f.resolved - 1) / 2));
    std::vector<std::int64_t> middle;
    while (st.executeStep())
      middle.push_back(st.getColumn(0).getInt64());
    if (auto m = median(middle)) f.median_hours_to_resolve = *m / 3600.0;
  }
  {
    SQLite::Statement st(db,
                         "SELECT coalesce(currency, 'USD') AS cur, sum(amount_cents) FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 "
                         "AND amount_cents IS NOT NULL GROUP BY cur ORDER BY cur");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    while (st.executeStep())
      f.compensation.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64()});
  }
  f.closed = count_in(db, "SELECT count(*) FROM cases WHERE closed_at >= ?1 AND closed_at < ?2",
                      since, until);
  f.followups_due = count_in(
      db, "SELECT count(*) FROM cases WHERE followup_at >= ?1 AND followup_at < ?2", since, until);
  {
    SQLite::Statement st(db,
                         "SELECT count(*), count(satisfaction), avg(satisfaction) FROM cases "
                         "WHERE followup_done_at >= ?1 AND followup_done_at < ?2");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    if (st.executeStep()) {
      f.followups_done = st.getColumn(0).getInt64();
      f.csat_responses = st.getColumn(1).getInt64();
      if (f.csat_responses > 0) f.csat_avg = st.getColumn(2).getDouble();
    }
  }
  return f;
}

// Keys counted in a breakdown, then ordered largest first, ties by key (as
// the SQL's ORDER BY n DESC, key with BINARY collation).
struct Tally {
  std::map<std::string, std::int64_t, std::less<>> counts;
  void add(std::string_view key) {
    auto it = counts.find(key);
    if (it == counts.end()) {
      counts.emplace(std::string(key), 1);
    } else {
      ++it->second;
    }
  }
  std::vector<Count> sorted() const {
    std::vector<Count> out;
    for (const auto& [k, n] : counts)
      out.push_back({k, n});
    std::stable_sort(out.begin(), out.end(),
                     [](const Count& a, const Count& b) { return a.count > b.count; });
    return out;
  }
};

// The period figures of one pass, before they become PeriodFigures.
struct PassFigures {
  Time since = 0, until = 0;
  std::int64_t opened = 0, resolved = 0, with_due = 0, kept = 0, closed = 0, followups_due = 0,
               followups_done = 0, csat_responses = 0, csat_sum = 0;
  std::vector<std::int64_t> durations;
  std::map<std::string, std::int64_t> compensation;
  bool in(Time t) const { return t >= since && t < until; }
};

PeriodFigures finish(PassFigures& p, std::vector<RepeatCustomer> repeat) {
  PeriodFigures f;
  f.since = p.since;
  f.until = p.until;
  f.opened = p.opened;
  f.repeat_customers = std::move(repeat);
  f.resolved = p.resolved;
  if (p.with_due > 0)
    f.promises_kept_pct = 100.0 * static_cast<double>(p.kept) / static_cast<double>(p.with_due);
  if (!p.durations.empty()) {
    // The middle one or two, as the SQL's ORDER BY d LIMIT .. OFFSET (n-1)/2.
    const auto n = p.durations.size();
    const auto mid = (n - 1) / 2;
    std::nth_element(p.durations.begin(), p.durations.begin() + static_cast<std::ptrdiff_t>(mid),
                     p.durations.end());
    std::vector<std::int64_t> middle{p.durations[mid]};
    if (n % 2 == 0)
      middle.push_back(*std::min_element(p.durations.begin() + static_cast<std::ptrdiff_t>(mid) + 1,
                                         p.durations.end()));
    if (auto m = median(middle)) f.median_hours_to_resolve = *m / 3600.0;
  }
  for (const auto& [currency, cents] : p.compensation)
    f.compensation.push_back({currency, cents});
  f.closed = p.closed;
  f.followups_due = p.followups_due;
  f.followups_done = p.followups_done;
  f.csat_responses = p.csat_responses;
  if (p.csat_responses > 0)
    f.csat_avg = static_cast<double>(p.csat_sum) / static_cast<double>(p.csat_responses);
  return f;
}

std::optional<Time> opt_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// The whole report from one pass over the cases table: for a period that
// covers much of the history, one sequential scan beats a dozen index walks
// that each look up most rows.
void scan_report(SQLite::Database& db, const ReportPeriod& period, Time now, Report& r,
                 const std::vector<Time>& week_starts, const std::vector<Time>& week_ends) {
  PassFigures cur, prev;
  cur.since = period.since;
  cur.until = period.until;
  prev.since = period.previous_since;
  prev.until = period.previous_until;
  Tally category, channel, outcome, cause;
  SQLite::Statement st(db,
                       "SELECT opened_at, due_at, resolved_at, followup_at, closed_at, "
                       "followup_done_at, satisfaction, amount_cents, coalesce(currency, 'USD'), "
                       "status, category, channel, outcome, lower(cause) FROM cases");
  std::string key;
  while (st.executeStep()) {
    const Time opened = st.getColumn(0).getInt64();
    const auto due = opt_time(st.getColumn(1));
    const auto resolved = opt_time(st.getColumn(2));
    const auto followup = opt_time(st.getColumn(3));
    const auto closed = opt_time(st.getColumn(4));
    const auto done = opt_time(st.getColumn(5));
    for (PassFigures* p : {&cur, &prev}) {
      const bool current = p == &cur;
      if (p->in(opened)) {
        ++p->opened;
        if (current) {
          category.add(st.getColumn(10).getText());
          channel.add(st.getColumn(11).getText());
        }
      }
      if (resolved && p->in(*resolved)) {
        ++p->resolved;
        p->durations.push_back(*resolved - opened);
        if (due) {
          ++p->with_due;
          if (*resolved <= *due) ++p->kept;
        }
        if (!st.getColumn(7).isNull())
          p->compensation[st.getColumn(8).getString()] += st.getColumn(7).getInt64();
        if (current) {
          if (!st.getColumn(12).isNull()) outcome.add(st.getColumn(12).getText());
          const auto c = st.getColumn(13);
          if (!c.isNull() && c.getBytes() > 0) cause.add(c.getText());
        }
      }
      if (closed && p->in(*closed)) ++p->closed;
      if (followup && p->in(*followup)) ++p->followups_due;
      if (done && p->in(*done)) {
        ++p->followups_done;
        if (!st.getColumn(6).isNull()) {
          ++p->csat_responses;
          p->csat_sum += st.getColumn(6).getInt64();
        }
      }
    }
    key = st.getColumn(9).getText();
    if (key == "open") {
      ++r.open_now;
      if (due && *due < now) ++r.overdue_now;
    }
    // The week of each time inside the trend's span.
    for (std::size_t i = 0; i < 2; ++i) {
      const std::optional<Time> t = i == 0 ? std::optional<Time>(opened) : resolved;
      if (!t || week_starts.empty()) continue;
      const auto it = std::upper_bound(week_starts.begin(), week_starts.end(), *t);
      if (it == week_starts.begin()) continue;
      const auto w = static_cast<std::size_t>(it - week_starts.begin() - 1);
      if (*t >= week_ends[w]) continue;
      (i == 0 ? r.weekly[w].opened : r.weekly[w].resolved) += 1;
    }
  }
  r.current = finish(cur, repeat_customers(db, cur.since, cur.until, true));
  r.previous = finish(prev, repeat_customers(db, prev.since, prev.until, true));
  r.by_category = category.sorted();
  r.by_channel = channel.sorted();
  r.by_outcome = outcome.sorted();
  r.by_cause = cause.sorted();
}

}  // namespace

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
  const Time until = r.until ? *parse_when(*r.until, now, DateRole::until).at : now;
  const Time since = r.since ? *parse_when(*r.since, now, DateRole::since).at
                             : add_local_days(until, -kDefaultDays);
  const bool includes_until = !r.until;
  if (since >= until + (includes_until ? 1 : 0))
    fail(ErrorKind::usage, "--since must be before --until");
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

Report build_report(Store& store, const ReportPeriod& shown, Time now) {
  return build_report(store, shown, now, ReportPlan::automatic);
}

Report build_report(Store& store, const ReportPeriod& shown, Time now, ReportPlan plan) {
  // The figures run on a half-open span; a period that includes its end
  // moment runs one second further and still shows its end as given.
  ReportPeriod period = shown;
  if (period.includes_until) period.until += 1;
  return guarded(store.path(), [&] {
    auto& db = store.db();
    // One snapshot for every figure.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::DEFERRED);
    if (plan == ReportPlan::automatic) {
      // Index walks cost a row lookup per case in the periods, a dozen times
      // over; one scan costs every case once. Scan when the periods hold more
      // than a tenth of the history (cases opened in them, from the covering
      // opened_at index, against the highest id).
      const auto in_periods =
          count_in(db, "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
                   std::min(period.since, period.previous_since),
                   std::max(period.until, period.previous_until));
      const auto total = db.execAndGet("SELECT coalesce(max(id), 0) FROM cases").getInt64();
      plan = in_periods * 10 > total ? ReportPlan::scan : ReportPlan::indexed;
    }
    Report r;
    const auto starts = week_starts(period, now);
    std::vector<Time> ends;
    for (const Time start : starts) {
      const auto lt = to_local(start);
      ends.push_back(from_local(lt.year, lt.month, lt.day + 7, 0, 0, 0));
      r.weekly.push_back(Report::Week{start, 0, 0});
    }
    if (plan == ReportPlan::scan) {
      // Week slots clipped to the period, as the indexed plan counts them.
      std::vector<Time> from, to;
      for (std::size_t i = 0; i < starts.size(); ++i) {
        from.push_back(std::max(starts[i], period.since));
        to.push_back(std::min(ends[i], period.until));
      }
      scan_report(db, period, now, r, from, to);
      r.current.until = shown.until;
      tx.commit();
      return r;
    }
    r.current = figures(db, period.since, period.until);
    r.current.until = shown.until;
    r.previous = figures(db, period.previous_since, period.previous_until);
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
    {
      SQLite::Statement st(db,
                           "SELECT count(*), coalesce(sum(due_at < ?1), 0) FROM cases "
                           "WHERE status = 'open'");
      st.bind(1, static_cast<std::int64_t>(now));
      if (st.executeStep()) {
        r.open_now = st.getColumn(0).getInt64();
        r.overdue_now = st.getColumn(1).getInt64();
      }
    }
    SQLite::Statement opened(db,
                             "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2");
    SQLite::Statement resolved(
        db, "SELECT count(*) FROM cases WHERE resolved_at >= ?1 AND resolved_at < ?2");
    for (std::size_t i = 0; i < starts.size(); ++i) {
      const Time from = std::max(starts[i], period.since), to = std::min(ends[i], period.until);
      auto& week = r.weekly[i];
      for (auto* st : {&opened, &resolved}) {
        st->reset();
        st->bind(1, static_cast<std::int64_t>(from));
        st->bind(2, static_cast<std::int64_t>(to));
        const auto n = st->executeStep() ? st->getColumn(0).getInt64() : 0;
        (st == &opened ? week.opened : week.resolved) = n;
      }
    }
    tx.commit();
    return r;
  });
}

}  // namespace mend
