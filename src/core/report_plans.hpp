// What the report's two plans share (report.hpp's ReportPlan): the totals a
// period's figures are made of, the one function that turns them into
// figures, and the raw SQLite access the scan plan needs. Internal to the
// core: report.cpp holds the indexed plan and chooses, report_scan.cpp holds
// the scan plan, report_names.cpp names and orders its repeat customers, and
// pg_report.cpp is the PostgreSQL store's report, the indexed plan in its SQL.
#pragma once

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "core/report.hpp"

namespace mend::report_plan {

// What a period's figures are made of, as either plan counts them.
struct PeriodTotals {
  Time since = 0, until = 0;
  std::int64_t opened = 0;          // opened_at inside
  std::int64_t resolved = 0;        // resolved_at inside
  std::int64_t with_due = 0;        // of those resolved, with a due_at
  std::int64_t kept = 0;            // of those, resolved by their due_at
  std::int64_t closed = 0;          // closed_at inside
  std::int64_t followups_due = 0;   // followup_at inside
  std::int64_t followups_done = 0;  // followup_done_at inside
  std::int64_t csat_responses = 0;  // of those done, with a satisfaction score
  std::int64_t csat_sum = 0;        // the sum of those scores
  std::optional<double> median_seconds_to_resolve;
  std::vector<Money> compensation;  // per currency, any order
};

// The period's figures from its totals: each derived figure (promises kept,
// the median in hours, the satisfaction average) is defined here only.
PeriodFigures period_figures(PeriodTotals t);

// open_now and overdue_now, from the small index of open cases.
void now_figures(SQLite::Database& db, Time now, Report& r);

// The span the figures run on, which is half-open: a period that includes its
// end moment runs one second further (and still shows its end as given).
ReportPeriod queried_span(const ReportPeriod& shown);

// The trend's weeks: one empty entry in r.weekly per week touching the
// period, and each week's span clipped to the period in `week_from` and
// `week_to`.
void trend_weeks(const ReportPeriod& period, Time now, Report& r, std::vector<Time>& week_from,
                 std::vector<Time>& week_to);

// Keeps the first `listed` repeat customers (all without a limit) of `total`,
// and counts the rest.
void list_first(PeriodFigures& f, std::optional<std::size_t> listed, std::size_t total);

// The whole report from one pass over the cases table (report_scan.cpp).
// `week_from` and `week_to` are the trend's week slots clipped to the period.
void scan_report(SQLite::Database& db, const ReportPeriod& period, Time now, Report& r,
                 std::vector<Time> week_from, std::vector<Time> week_to,
                 std::optional<std::size_t> listed);

// Names the repeat customers (sorted by id) and puts them in the report's
// order: largest first, ties by name (NOCASE), then id, as the indexed plan's
// SQL orders them (report_names.cpp). `customers` is the highest customer id.
void name_and_order(SQLite::Database& db, std::vector<RepeatCustomer>& list,
                    std::int64_t customers);

// A prepared statement on the raw C API: the scan reads a million rows, and
// SQLiteCpp's Column objects (a shared_ptr copy per value) cost more than
// reading the value itself.
class RawStatement {
 public:
  RawStatement(SQLite::Database& db, const char* sql) : db_(db.getHandle()) {
    const int rc = sqlite3_prepare_v2(db_, sql, -1, &st_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  ~RawStatement() { sqlite3_finalize(st_); }

  void bind(int i, std::int64_t v) {
    const int rc = sqlite3_bind_int64(st_, i, v);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  void bind(int i, std::string_view v) {
    const int rc =
        sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  // True while there is a row; throws on an error.
  bool step() {
    const int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  bool null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }
  std::int64_t int64(int i) const { return sqlite3_column_int64(st_, i); }
  std::optional<Time> time(int i) const {
    if (null(i)) return std::nullopt;
    return int64(i);
  }
  // The column's text without a copy: valid until the next step.
  std::string_view text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
    if (p == nullptr) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i))};
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

// One row's values as SQLite hands them to an aggregate function.
struct Values {
  sqlite3_value** v;
  [[gnu::always_inline]] bool null(int i) const { return sqlite3_value_type(v[i]) == SQLITE_NULL; }
  [[gnu::always_inline]] std::int64_t int64(int i) const { return sqlite3_value_int64(v[i]); }
  // The value as an integer, or nothing for NULL. NULL reads as 0, so the
  // type is asked only of a 0: one call, not two, for most values.
  [[gnu::always_inline]] std::optional<std::int64_t> int64_or_null(int i) const {
    const std::int64_t x = sqlite3_value_int64(v[i]);
    if (x == 0 && null(i)) return std::nullopt;
    return x;
  }
  [[gnu::always_inline]] std::optional<Time> time(int i) const { return int64_or_null(i); }
  // The text without a copy (valid during the call), or nothing for NULL.
  [[gnu::always_inline]] std::optional<std::string_view> text_or_null(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v[i]));
    if (p == nullptr) {
      // Only NULL has no text, unless SQLite ran out of memory converting.
      if (!null(i)) throw std::bad_alloc();
      return std::nullopt;
    }
    return std::string_view{p, static_cast<std::size_t>(sqlite3_value_bytes(v[i]))};
  }
  // The text, empty for NULL.
  [[gnu::always_inline]] std::string_view text(int i) const {
    return text_or_null(i).value_or(std::string_view{});
  }
};

// Runs `sql`, a SELECT of mend_each(...) over some table, calling `f` with
// each row's values from inside SQLite's own loop: no step and no column call
// per row, which is most of what reading a million rows costs beyond SQLite's
// own work. The function lives on the connection only while the query runs;
// an exception from `f` stops the query and is rethrown.
template <class F>
void each_row(SQLite::Database& db, const char* sql, int args,
              std::initializer_list<std::int64_t> binds, F&& f) {
  struct Context {
    F& f;
    std::exception_ptr error;
    static void step(sqlite3_context* ctx, int, sqlite3_value** values) {
      auto* self = static_cast<Context*>(sqlite3_user_data(ctx));
      try {
        self->f(Values{values});
      } catch (...) {
        self->error = std::current_exception();
        sqlite3_result_error(ctx, "mend_each failed", -1);
      }
    }
    static void final(sqlite3_context*) {}
  } context{f, nullptr};
  sqlite3* handle = db.getHandle();
  const int rc =
      sqlite3_create_function_v2(handle, "mend_each", args, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                 &context, nullptr, &Context::step, &Context::final, nullptr);
  if (rc != SQLITE_OK) throw SQLite::Exception(handle, rc);
  struct Unregister {
    sqlite3* handle;
    int args;
    ~Unregister() {
      sqlite3_create_function_v2(handle, "mend_each", args, SQLITE_UTF8, nullptr, nullptr, nullptr,
                                 nullptr, nullptr);
    }
  } unregister{handle, args};
  try {
    RawStatement st(db, sql);
    int i = 1;
    for (const auto v : binds)
      st.bind(i++, v);
    while (st.step()) {
    }
  } catch (const SQLite::Exception&) {
    if (context.error) std::rethrow_exception(context.error);
    throw;
  }
}

}  // namespace mend::report_plan
