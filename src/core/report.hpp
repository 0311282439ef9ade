// The look back (`mend report`): plain figures over a period, computed in SQL
// on the time indexes, so that a one-month report reads only that month's
// rows (report.cpp), or in one scan of the cases table when the period holds
// much of the history (report_scan.cpp). This is the store module for
// reports: it owns the report's SQL and never prints; the CLI turns a Report
// into text, JSON, CSV, Markdown or HTML.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/money.hpp"

namespace mend {

class Store;

// [since, until): since inclusive, until exclusive.
struct ReportPeriod {
  Time since = 0;
  Time until = 0;
  // The period `previous` covers: the equal span just before, or for a
  // calendar period the calendar period before.
  Time previous_since = 0;
  Time previous_until = 0;
  // The default end, "up to and including now": `until` is now and shown as
  // such, and the moment itself counts (queries run to until + 1 second).
  bool includes_until = false;
};

// How the user named the period: --since/--until, --period, or neither.
struct PeriodRequest {
  std::optional<std::string> since;   // WHEN, DateRole::since
  std::optional<std::string> until;   // WHEN, DateRole::until
  std::optional<std::string> period;  // week|month|quarter|year|last-week|last-month|YYYY-MM
  WorkCalendar calendar;              // for working-day words (-5bd)
};

// The default period is the 30 days up to and including now: since = now - 30
// days (same local time of day), until = now, shown as now, with
// includes_until set so that a case opened this very second counts;
// previous = the 30 days before that.
// --since alone runs to now (inclusive); --until alone starts 30 days before it.
// Calendar periods are in local time; weeks run Monday to Sunday.
// Throws Error(usage) for a bad word, a bad date, both forms at once, or an
// empty or reversed range.
ReportPeriod parse_report_period(const PeriodRequest& request, Time now);

struct Count {
  std::string key;
  std::int64_t count = 0;
};

struct RepeatCustomer {
  std::int64_t id = 0;
  std::string name;
  std::int64_t count = 0;
};

struct Money {
  std::string currency;
  CentsSum amount_cents = 0;
};

// Every figure that depends on the period (the `previous` block has the same
// ones; breakdowns are left empty there).
struct PeriodFigures {
  Time since = 0;
  Time until = 0;
  // Over cases opened in the period.
  std::int64_t opened = 0;
  // 2+ cases, largest first, ties by name (NOCASE) then id; only the first
  // `listed` when build_report is given a limit, the rest counted here.
  std::vector<RepeatCustomer> repeat_customers;
  std::int64_t repeat_customers_not_listed = 0;
  // Over cases resolved in the period (resolved_at inside).
  std::int64_t resolved = 0;
  std::optional<double> median_hours_to_resolve;  // null when none resolved
  std::optional<double> promises_kept_pct;        // 0-100; null when none had a due_at
  std::vector<Money> compensation;                // per currency, by currency code
  std::int64_t closed = 0;                        // closed_at inside
  std::int64_t followups_due = 0;                 // followup_at inside
  std::int64_t followups_done = 0;                // followup_done_at inside
  std::optional<double> csat_avg;                 // over those done with a score
  std::int64_t csat_responses = 0;
};

struct Report {
  PeriodFigures current;
  // Breakdowns of the current period: largest first, ties by key ascending.
  std::vector<Count> by_category;  // opened
  std::vector<Count> by_channel;   // opened
  std::vector<Count> by_outcome;   // resolved
  std::vector<Count> by_cause;     // resolved, cause set
  // At the moment the report runs.
  std::int64_t open_now = 0;
  std::int64_t overdue_now = 0;  // open and due_at < now
  PeriodFigures previous;
  // Cases opened and resolved per local calendar week (Monday first) over the
  // period, for the trend chart: one entry per week touching the period.
  struct Week {
    Time start = 0;
    std::int64_t opened = 0;
    std::int64_t resolved = 0;
  };
  std::vector<Week> weekly;
};

// How the figures are read: `indexed` walks the time indexes (cost follows the
// period's cases), `scan` reads the cases table once (cost follows the
// history); `automatic` picks by how much of the history the periods hold.
// Every plan gives the same report.
enum class ReportPlan { automatic, indexed, scan };

// Reads every figure in one snapshot. With `listed`, each period lists only
// its first `listed` repeat customers (named and in order; what a reader is
// shown) and counts the rest, so that hundreds of thousands of names are not
// read to be dropped. The count of the rest assumes every case's customer
// exists, as the foreign key keeps it.
Report build_report(Store& store, const ReportPeriod& period, Time now,
                    ReportPlan plan = ReportPlan::automatic,
                    std::optional<std::size_t> listed = std::nullopt);

// The median of `values` (sorted or not); the mean of the middle two for an
// even count; empty for none.
std::optional<double> median(std::vector<std::int64_t> values);

// Monday 00:00 local of the week holding t.
Time start_of_local_week(Time t);

}  // namespace mend
