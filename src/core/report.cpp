#include "core/report.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <new>
#include <type_traits>
#include <unordered_map>

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

PeriodFigures figures(SQLite::Database& db, Time since, Time until) {
  PeriodFigures f;
  f.since = since;
  f.until = until;
  f.opened = count_in(db, "SELECT count(*) FROM cases WHERE opened_at >= ?1 AND opened_at < ?2",
                      since, until);
  f.repeat_customers = repeat_customers(db, since, until);
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
    // Summed here, in 128 bits: SQLite's sum() stops at 64 ("integer overflow").
    SQLite::Statement st(db,
                         "SELECT coalesce(currency, 'USD') AS cur, amount_cents FROM cases "
                         "WHERE resolved_at >= ?1 AND resolved_at < ?2 "
                         "AND amount_cents IS NOT NULL ORDER BY cur");
    st.bind(1, static_cast<std::int64_t>(since));
    st.bind(2, static_cast<std::int64_t>(until));
    while (st.executeStep()) {
      const char* cur = st.getColumn(0).getText();
      if (f.compensation.empty() || f.compensation.back().currency != cur)
        f.compensation.push_back({cur, 0});
      f.compensation.back().amount_cents += st.getColumn(1).getInt64();
    }
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

// Keys counted in a breakdown, then ordered largest first, ties by key (as
// the SQL's ORDER BY n DESC, key with BINARY collation). Every row adds a
// key or several, so the lookup is a small open-addressing table whose slots
// hold each key's length and two words of its bytes: a key of up to 16 bytes
// is found by comparing three integers, without reading the key's string.
class Tally {
 public:
  void add(std::string_view key, std::int64_t n = 1) {
    const Print p = print(key);
    const Slot& s = slots_[slot_of(p)];
    if (s.a == p.a && s.b == p.b && s.size == p.size && s.entry != 0 && p.size <= 16) {
      entries_[s.entry - 1].second += n;
      return;
    }
    add_slowly(p, key, n);
  }
  // Key and count pairs in first-seen order.
  const std::vector<std::pair<std::string, std::int64_t>>& counts() const { return entries_; }
  std::vector<Count> sorted() const {
    std::vector<Count> out;
    for (const auto& [k, n] : entries_)
      out.push_back({k, n});
    std::sort(out.begin(), out.end(), [](const Count& a, const Count& b) {
      return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    return out;
  }

 private:
  // A key's length and two words that hold all of its bytes when it has 16
  // or fewer (overlapping loads from both ends; for 1 to 3 bytes the first,
  // middle and last), so that equal prints of such keys are equal keys.
  struct Print {
    std::uint64_t a = 0, b = 0;
    std::uint64_t size = 0;
  };
  struct Slot {
    std::uint64_t a = 0, b = 0;
    std::uint64_t size = 0;
    std::size_t entry = 0;  // 1 + index into entries_; 0 = empty
  };
  static Print print(std::string_view key) {
    const char* d = key.data();
    const std::size_t n = key.size();
    Print p;
    p.size = n;
    if (n >= 8) {
      std::memcpy(&p.a, d, 8);
      std::memcpy(&p.b, d + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t x, y;
      std::memcpy(&x, d, 4);
      std::memcpy(&y, d + n - 4, 4);
      p.a = x;
      p.b = y;
    } else if (n > 0) {
      const auto byte = [&](std::size_t i) {
        return std::uint64_t{static_cast<unsigned char>(d[i])};
      };
      p.a = byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
    }
    return p;
  }
  // The top bits of a multiplicative mix, so that keys differing only in
  // their last byte (the top of a little-endian word) still part.
  std::size_t slot_of(const Print& p) const {
    std::uint64_t h = (p.a ^ seed_) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 32) ^ p.b) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ p.size) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(h >> shift_);
  }
  // A key not in its first slot, longer than 16 bytes, or new.
  [[gnu::noinline]] void add_slowly(const Print& p, std::string_view key, std::int64_t n) {
    for (std::size_t h = slot_of(p);; h = (h + 1) & mask_) {
      Slot& s = slots_[h];
      if (s.entry == 0) {
        insert(s, p, key, n);
        return;
      }
      if (s.a == p.a && s.b == p.b && s.size == p.size &&
          (p.size <= 16 || entries_[s.entry - 1].first == key)) {
        entries_[s.entry - 1].second += n;
        return;
      }
    }
  }
  void insert(Slot& s, const Print& p, std::string_view key, std::int64_t n) {
    entries_.emplace_back(std::string(key), n);
    s = {p.a, p.b, p.size, entries_.size()};
    const bool home = &s == &slots_[slot_of(p)];
    if (entries_.size() * 2 > slots_.size()) {
      rebuild(slots_.size() * 2);
    } else if (!home && entries_.size() <= kPlaced) {
      rebuild(slots_.size());
    }
  }
  // Places every key again in a table of `size` slots. While there are few
  // keys, tries other seeds of the hash (and then larger tables, up to
  // kPlacedSlots) until each key sits in its first slot, so that add finds it
  // at once. (Keys of over 16 bytes that share their length and both ends
  // may never part; they are found by probing.)
  void rebuild(std::size_t size) {
    for (int attempt = 1;; ++attempt) {
      if (place(size) || entries_.size() > kPlaced) return;
      if (attempt % 8 == 0) {
        if (size >= kPlacedSlots) return;
        size *= 2;
      }
      seed_ += 0x9E3779B97F4A7C16ULL;
    }
  }
  // True if every key went to its first slot.
  bool place(std::size_t size) {
    std::vector<Slot> old(size);
    old.swap(slots_);
    mask_ = size - 1;
    shift_ = 64 - std::countr_zero(size);
    bool all_home = true;
    for (const Slot& o : old) {
      if (o.entry == 0) continue;
      std::size_t h = slot_of({o.a, o.b, o.size});
      while (slots_[h].entry != 0) {
        h = (h + 1) & mask_;
        all_home = false;
      }
      slots_[h] = o;
    }
    return all_home;
  }
  // Up to this many keys, each is kept in its first slot.
  static constexpr std::size_t kPlaced = 64;
  static constexpr std::size_t kPlacedSlots = 4096;
  std::vector<std::pair<std::string, std::int64_t>> entries_;
  std::vector<Slot> slots_ = std::vector<Slot>(16);
  std::size_t mask_ = 15;
  int shift_ = 60;  // 64 - log2 of the slots
  std::uint64_t seed_ = 0;
};

// Cases per customer: one byte per customer id (ids are rowids, so dense),
// with the rare customer past 255 cases counted on in a map. One byte, not
// four: the ids come in random order, and a table a quarter the size stays
// in the CPU cache while the scan streams pages through it.
class CustomerCounts {
 public:
  explicit CustomerCounts(std::int64_t max_id) : max_id_(max_id) {}
  void add(std::int64_t id) {
    if (id >= 0 && id <= max_id_ && max_id_ <= kMaxDense) {
      if (dense_.empty()) dense_.resize(static_cast<std::size_t>(max_id_) + 1);
      auto& n = dense_[static_cast<std::size_t>(id)];
      if (n < UINT8_MAX) {
        ++n;
        return;
      }
    }
    ++more_[id];
  }
  struct Repeaters {
    std::vector<RepeatCustomer> list;  // by id ascending, names still empty
    std::size_t total = 0;             // customers with 2+ cases, listed or not
  };
  // Customers with at least two cases. With a limit, only those that can be
  // among the `limit` with the most cases: those with at least as many as
  // the limit-th largest count (all of a tie there, which their names order).
  Repeaters repeaters(std::optional<std::size_t> limit) const {
    // Exact counts past the dense bytes (255 and more, or ids outside the
    // range), by id; and how many customers have each count below 255.
    std::vector<std::pair<std::int64_t, std::int64_t>> big;
    std::array<std::size_t, UINT8_MAX> by_count{};
    for (std::size_t id = 0; id < dense_.size(); ++id) {
      const auto n = dense_[id];
      if (n < UINT8_MAX) {
        ++by_count[n];
        continue;
      }
      const auto i = static_cast<std::int64_t>(id);
      const auto it = more_.find(i);
      big.emplace_back(i, UINT8_MAX + (it == more_.end() ? 0 : it->second));
    }
    for (const auto& [id, n] : more_) {
      const bool dense = id >= 0 && static_cast<std::uint64_t>(id) < dense_.size();
      if (!dense && n >= 2) big.emplace_back(id, n);
    }
    std::sort(big.begin(), big.end());
    Repeaters out;
    out.total = big.size();
    for (std::size_t n = 2; n < by_count.size(); ++n)
      out.total += by_count[n];
    std::int64_t least = 2;
    if (limit && *limit < out.total) {
      std::vector<std::int64_t> counts;
      for (const auto& [id, n] : big)
        counts.push_back(n);
      std::sort(counts.begin(), counts.end(), std::greater<>());
      if (*limit == 0) {
        least = INT64_MAX;
      } else if (*limit <= counts.size()) {
        least = counts[*limit - 1];
      } else {
        std::size_t rest = *limit - counts.size();
        for (std::size_t n = by_count.size() - 1; n >= 2; --n) {
          least = static_cast<std::int64_t>(n);
          if (by_count[n] >= rest) break;
          rest -= by_count[n];
        }
      }
    }
    for (std::size_t id = 0; id < dense_.size(); ++id) {
      const std::int64_t n = dense_[id];
      if (n >= least && n < UINT8_MAX) out.list.push_back({static_cast<std::int64_t>(id), {}, n});
    }
    const auto dense_end = out.list.size();
    for (const auto& [id, n] : big)
      if (n >= least) out.list.push_back({id, {}, n});
    std::inplace_merge(
        out.list.begin(), out.list.begin() + static_cast<std::ptrdiff_t>(dense_end), out.list.end(),
        [](const RepeatCustomer& a, const RepeatCustomer& b) { return a.id < b.id; });
    return out;
  }
  // Gives the memory back.
  void clear() {
    dense_ = {};
    more_ = {};
  }

 private:
  // One byte a customer: 16 MiB at most; past that the map.
  static constexpr std::int64_t kMaxDense = std::int64_t{1} << 24;
  std::int64_t max_id_;
  std::vector<std::uint8_t> dense_;
  std::unordered_map<std::int64_t, std::int64_t> more_;
};

// SQLite's NOCASE collation: ASCII letters folded, compared byte by byte up to
// the shorter length (stopping at a NUL in the first), then the shorter first.
int nocase_compare(std::string_view a, std::string_view b) {
  const auto fold = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return static_cast<int>(u >= 'A' && u <= 'Z' ? u + 32 : u);
  };
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const int fa = fold(a[i]), fb = fold(b[i]);
    if (a[i] == '\0' || fa != fb) {
      if (fa != fb) return fa - fb;
      break;  // both NUL: equal so far, the lengths decide
    }
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

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

// Puts `list` into the order of `order` (indexes into it), dropping the
// rest: in place, one cycle of the permutation at a time, so that no second
// copy of a long list is held.
void reorder(std::vector<RepeatCustomer>& list, std::vector<std::uint32_t> order) {
  // from[k]: the index whose customer goes to k; the dropped go last.
  std::vector<bool> kept(list.size(), false);
  for (const auto i : order)
    kept[i] = true;
  const auto listed = order.size();
  auto& from = order;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (!kept[i]) from.push_back(static_cast<std::uint32_t>(i));
  for (std::size_t i = 0; i < from.size(); ++i) {
    if (from[i] == i) continue;
    RepeatCustomer held = std::move(list[i]);
    std::size_t k = i;
    while (from[k] != i) {
      const std::size_t f = from[k];
      list[k] = std::move(list[f]);
      from[k] = static_cast<std::uint32_t>(k);
      k = f;
    }
    list[k] = std::move(held);
    from[k] = static_cast<std::uint32_t>(k);
  }
  list.resize(listed);
}

// Names most of the repeat customers (sorted by id) by walking the index of
// customers by name, which holds them in NOCASE order and then by id: a
// stable sort by count then gives the report's order with no name compared.
// False, and nothing done, if that index is not as the schema makes it.
bool name_by_name_index(SQLite::Database& db, std::vector<RepeatCustomer>& list) {
  {
    SQLite::Statement st(db, "SELECT sql FROM sqlite_schema WHERE name = 'customers_by_name'");
    if (!st.executeStep() || st.getColumn(0).getString() !=
                                 "CREATE INDEX customers_by_name ON customers(name COLLATE NOCASE)")
      return false;
  }
  // Where each id is in the list: a table by id while the ids are small
  // and not negative (rowids from 1 up), else a binary search.
  std::vector<std::uint32_t> at;
  constexpr std::uint32_t kAbsent = UINT32_MAX;
  if (list.front().id >= 0 && list.back().id < (std::int64_t{1} << 26)) {
    at.assign(static_cast<std::size_t>(list.back().id) + 1, kAbsent);
    for (std::size_t i = 0; i < list.size(); ++i)
      at[static_cast<std::size_t>(list[i].id)] = static_cast<std::uint32_t>(i);
  }
  const auto find = [&](std::int64_t id) -> std::uint32_t {
    if (!at.empty()) {
      return id >= 0 && static_cast<std::uint64_t>(id) < at.size()
                 ? at[static_cast<std::size_t>(id)]
                 : kAbsent;
    }
    const auto it =
        std::lower_bound(list.begin(), list.end(), id,
                         [](const RepeatCustomer& c, std::int64_t v) { return c.id < v; });
    return it == list.end() || it->id != id ? kAbsent
                                            : static_cast<std::uint32_t>(it - list.begin());
  };
  std::vector<std::uint32_t> by_name;  // indexes into list, in name order
  by_name.reserve(list.size());
  each_row(db, "SELECT mend_each(id, name) FROM customers INDEXED BY customers_by_name", 2, {},
           [&](const Values& row) {
             const auto i = find(row.int64(0));
             if (i == kAbsent) return;
             list[i].name = row.text(1);
             by_name.push_back(i);
           });
  at = {};
  // By count, largest first, keeping the name order within a count: counted
  // into place while the counts are small, else a stable sort.
  std::int64_t most = 0;
  for (const auto i : by_name)
    most = std::max(most, list[i].count);
  std::vector<std::uint32_t> order;
  if (most < (std::int64_t{1} << 20)) {
    std::vector<std::uint32_t> start(static_cast<std::size_t>(most) + 2, 0);
    for (const auto i : by_name)
      ++start[static_cast<std::size_t>(most - list[i].count) + 1];
    for (std::size_t k = 1; k < start.size(); ++k)
      start[k] += start[k - 1];
    order.resize(by_name.size());
    for (const auto i : by_name)
      order[start[static_cast<std::size_t>(most - list[i].count)]++] = i;
  } else {
    order = std::move(by_name);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return list[a].count > list[b].count;
    });
  }
  reorder(list, std::move(order));
  return true;
}

// Names the repeat customers (sorted by id) and puts them in the report's
// order: largest first, ties by name (NOCASE), then id, as the indexed plan's
// ORDER BY n DESC, u.name COLLATE NOCASE, c.customer_id. A customer with no
// row is dropped, as the JOIN drops it.
void name_and_order(SQLite::Database& db, std::vector<RepeatCustomer>& list,
                    std::int64_t customers) {
  if (list.empty()) return;
  if (static_cast<std::int64_t>(list.size()) * 10 > customers && list.size() < UINT32_MAX &&
      name_by_name_index(db, list))
    return;
  std::vector<bool> found(list.size(), false);
  if (static_cast<std::int64_t>(list.size()) * 10 > customers) {
    // Most customers are listed: one pass over the table, merged by id.
    std::size_t i = 0;
    each_row(db, "SELECT mend_each(id, name) FROM customers WHERE id >= ?1", 2, {list.front().id},
             [&](const Values& row) {
               const auto id = row.int64(0);
               while (i < list.size() && list[i].id < id)
                 ++i;
               if (i < list.size() && list[i].id == id) {
                 list[i].name = row.text(1);
                 found[i] = true;
                 ++i;
               }
             });
  } else {
    RawStatement st(db, "SELECT name FROM customers WHERE id = ?1");
    for (std::size_t i = 0; i < list.size(); ++i) {
      st.reset();
      st.bind(1, list[i].id);
      if (st.step()) {
        list[i].name = st.text(0);
        found[i] = true;
      }
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!found[i]) continue;
    if (kept != i) list[kept] = std::move(list[i]);
    ++kept;
  }
  list.resize(kept);
  // Sorted as small items: the count, then the name's first 16 bytes folded
  // (up to a NUL, zero-padded), which order as NOCASE does wherever they
  // differ. Equal prefixes of names that fit whole are equal names; only
  // longer ones compare in full. The list is in id order, so the index breaks
  // the last ties.
  struct Item {
    std::uint64_t high, low;
    std::uint32_t count;
    std::uint32_t index;  // top bit: the name does not fit the prefix
  };
  constexpr std::uint32_t kLong = 0x80000000U;
  std::vector<Item> items(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& name = list[i].name;
    std::uint64_t words[2] = {0, 0};
    bool whole = name.size() <= 16;
    for (std::size_t k = 0; k < 16 && k < name.size(); ++k) {
      auto b = static_cast<unsigned char>(name[k]);
      if (b == 0) {
        whole = false;
        break;
      }
      if (b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
      words[k / 8] |= static_cast<std::uint64_t>(b) << (8 * (7 - k % 8));
    }
    items[i] = {words[0], words[1],
                static_cast<std::uint32_t>(std::min<std::int64_t>(list[i].count, UINT32_MAX)),
                static_cast<std::uint32_t>(i) | (whole ? 0 : kLong)};
  }
  std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.high != b.high) return a.high < b.high;
    if (a.low != b.low) return a.low < b.low;
    const auto ia = a.index & ~kLong, ib = b.index & ~kLong;
    if ((a.index | b.index) & kLong) {
      const auto& x = list[ia];
      const auto& y = list[ib];
      if (x.count != y.count) return x.count > y.count;
      const int c = nocase_compare(x.name, y.name);
      if (c != 0) return c < 0;
    }
    return ia < ib;
  });
  // Into that order in place, one cycle of the permutation at a time.
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto at = [&](std::size_t k) { return static_cast<std::size_t>(items[k].index & ~kLong); };
    if (items[i].index == UINT32_MAX || at(i) == i) continue;  // done, or in place
    RepeatCustomer held = std::move(list[i]);
    std::size_t k = i;
    while (at(k) != i) {
      const auto from = at(k);
      list[k] = std::move(list[from]);
      items[k].index = UINT32_MAX;
      k = from;
    }
    list[k] = std::move(held);
    items[k].index = UINT32_MAX;
  }
}

// Seconds from opening to resolution, one per resolved case, for the median:
// 4 bytes each while they fit (68 years), 8 once one does not.
class Durations {
 public:
  void push(std::int64_t d) {
    if (wide_.empty() && d >= INT32_MIN && d <= INT32_MAX) {
      narrow_.push_back(static_cast<std::int32_t>(d));
      return;
    }
    if (wide_.empty()) {
      wide_.assign(narrow_.begin(), narrow_.end());
      narrow_ = {};
    }
    wide_.push_back(d);
  }
  // The median, as the SQL's ORDER BY d LIMIT 1 or 2 OFFSET (n-1)/2 gives
  // its middle values; the memory is given back.
  std::optional<double> take_median() {
    auto m = wide_.empty() ? middle(narrow_) : middle(wide_);
    narrow_ = {};
    wide_ = {};
    return m;
  }

 private:
  template <class T>
  static std::optional<double> middle(const std::vector<T>& v) {
    if (v.empty()) return std::nullopt;
    const auto n = v.size();
    const auto k = (n - 1) / 2;
    const T low = kth_smallest(v, k);
    std::vector<std::int64_t> values{low};
    if (n % 2 == 0) {
      // The next one up: `low` again if it repeats past k, else the least above it.
      std::size_t at_most = 0;
      std::optional<T> above;
      for (const T x : v) {
        if (x <= low) {
          ++at_most;
        } else if (!above || x < *above) {
          above = x;
        }
      }
      values.push_back(at_most > k + 1 ? low : *above);
    }
    return median(values);
  }
  // The k-th smallest (from 0) by radix selection: 11 bits at a time from the
  // top, each pass counting the values that share the bits found so far.
  // Reads the values a few times over and copies nothing, unlike nth_element,
  // which shuffles a million of them.
  template <class T>
  static T kth_smallest(const std::vector<T>& v, std::size_t k) {
    using U = std::make_unsigned_t<T>;
    constexpr int kBits = static_cast<int>(sizeof(T) * 8);
    constexpr int kDigit = 11;
    const auto key = [](T x) { return static_cast<U>(static_cast<U>(x) ^ (U{1} << (kBits - 1))); };
    U prefix = 0;  // the bits above `shift` found so far
    int shift = kBits;
    std::vector<std::size_t> counts(std::size_t{1} << kDigit);
    while (shift > 0) {
      const int width = std::min(kDigit, shift);
      const int next = shift - width;
      const U mask = static_cast<U>((U{1} << width) - 1);
      std::fill(counts.begin(), counts.end(), 0);
      for (const T x : v) {
        const U u = key(x);
        if (shift == kBits || (u >> shift) == prefix) ++counts[(u >> next) & mask];
      }
      std::size_t digit = 0;
      while (k >= counts[digit])
        k -= counts[digit++];
      prefix = static_cast<U>((shift == kBits ? 0 : prefix << width) | digit);
      shift = next;
    }
    return static_cast<T>(prefix ^ (U{1} << (kBits - 1)));
  }
  std::vector<std::int32_t> narrow_;
  std::vector<std::int64_t> wide_;
};

// The period figures of one pass, before they become PeriodFigures.
struct PassFigures {
  Time since = 0, until = 0;
  std::int64_t opened = 0, resolved = 0, with_due = 0, kept = 0, closed = 0, followups_due = 0,
               followups_done = 0, csat_responses = 0, csat_sum = 0;
  Durations durations;
  std::vector<Money> compensation;  // per currency, in first-seen order (few currencies)
  CustomerCounts customers;
  PassFigures(Time s, Time u, std::int64_t max_customer)
      : since(s), until(u), customers(max_customer) {}
  bool in(Time t) const { return t >= since && t < until; }
};

PeriodFigures finish(PassFigures& p) {
  PeriodFigures f;
  f.since = p.since;
  f.until = p.until;
  f.opened = p.opened;
  f.resolved = p.resolved;
  if (p.with_due > 0)
    f.promises_kept_pct = 100.0 * static_cast<double>(p.kept) / static_cast<double>(p.with_due);
  if (auto m = p.durations.take_median()) f.median_hours_to_resolve = *m / 3600.0;
  // By currency code, as the SQL's GROUP BY cur ORDER BY cur.
  f.compensation = p.compensation;
  std::sort(f.compensation.begin(), f.compensation.end(),
            [](const Money& a, const Money& b) { return a.currency < b.currency; });
  f.closed = p.closed;
  f.followups_due = p.followups_due;
  f.followups_done = p.followups_done;
  f.csat_responses = p.csat_responses;
  if (p.csat_responses > 0)
    f.csat_avg = static_cast<double>(p.csat_sum) / static_cast<double>(p.csat_responses);
  return f;
}

// Causes are counted as written and merged by SQLite's own lower() at the end:
// a handful of calls instead of one per row, with the same folding.
std::vector<Count> lowered(SQLite::Database& db, const Tally& raw) {
  Tally merged;
  RawStatement st(db, "SELECT lower(?1)");
  for (const auto& [key, n] : raw.counts()) {
    st.reset();
    st.bind(1, key);
    st.step();
    merged.add(st.text(0), n);
  }
  return merged.sorted();
}

// The trend's week slots (clipped to the period), and which one holds a
// moment. Weeks are 7 local days, so the slot is found by a division and
// corrected by a step or two where a clipped first week or a change of
// clocks moves the edges.
class WeekSlots {
 public:
  WeekSlots(std::vector<Time> from, std::vector<Time> to)
      : from_(std::move(from)), to_(std::move(to)) {}
  // The slot holding t, or -1.
  std::ptrdiff_t find(Time t) const {
    if (from_.empty() || t < from_.front() || t >= to_.back()) return -1;
    const auto last = static_cast<std::ptrdiff_t>(from_.size()) - 1;
    auto w = std::min<std::ptrdiff_t>((t - from_.front()) / kWeek, last);
    while (w > 0 && t < from_[static_cast<std::size_t>(w)])
      --w;
    while (w < last && t >= from_[static_cast<std::size_t>(w + 1)])
      ++w;
    return t < to_[static_cast<std::size_t>(w)] ? w : -1;
  }

 private:
  static constexpr Time kWeek = 7 * 24 * 3600;
  std::vector<Time> from_, to_;
};

// open_now and overdue_now, from the small index of open cases.
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

// Keeps the first `listed` repeat customers (all without a limit) of `total`,
// and counts the rest.
void list_first(PeriodFigures& f, std::optional<std::size_t> listed, std::size_t total) {
  if (listed && f.repeat_customers.size() > *listed) f.repeat_customers.resize(*listed);
  f.repeat_customers_not_listed = static_cast<std::int64_t>(total - f.repeat_customers.size());
}

// Everything the scan counts, row by row.
struct Scan {
  enum Col {
    kCustomer,
    kOpened,
    kDue,
    kResolved,
    kFollowup,
    kClosed,
    kDone,
    kSatisfaction,
    kAmount,
    kCurrency,
    kCategory,
    kChannel,
    kOutcome,
    kCause,
    kColumns
  };
  static constexpr const char* kSql =
      "SELECT mend_each(customer_id, opened_at, due_at, resolved_at, followup_at, "
      "closed_at, followup_done_at, satisfaction, amount_cents, currency, category, channel, "
      "outcome, cause) FROM cases";

  PassFigures cur, prev;
  Report& r;
  const WeekSlots& weeks;
  Tally category, channel, outcome, cause;

  // A case's opening and resolution in one period; the breakdowns are of
  // the current one only.
  template <bool kCurrent>
  [[gnu::always_inline]] void add_opened_resolved(PassFigures& p, const Values& row, Time opened,
                                                  std::optional<Time> resolved) {
    if (p.in(opened)) {
      ++p.opened;
      p.customers.add(row.int64(kCustomer));
      if (kCurrent) {
        category.add(row.text(kCategory));
        channel.add(row.text(kChannel));
      }
    }
    if (resolved && p.in(*resolved)) {
      ++p.resolved;
      p.durations.push(*resolved - opened);
      if (const auto due = row.time(kDue)) {
        ++p.with_due;
        if (*resolved <= *due) ++p.kept;
      }
      if (const auto amount = row.int64_or_null(kAmount)) {
        const auto cur = row.text_or_null(kCurrency).value_or("USD");
        auto it = std::find_if(p.compensation.begin(), p.compensation.end(),
                               [&](const Money& m) { return m.currency == cur; });
        if (it == p.compensation.end()) it = p.compensation.insert(it, Money{std::string(cur), 0});
        it->amount_cents += *amount;
      }
      if (kCurrent) {
        if (const auto o = row.text_or_null(kOutcome)) outcome.add(*o);
        if (const auto c = row.text_or_null(kCause); c && !c->empty()) cause.add(*c);
      }
    }
  }

  void add(const Values& row) {
    const Time opened = row.int64(kOpened);
    const auto resolved = row.time(kResolved);
    add_opened_resolved<true>(cur, row, opened, resolved);
    add_opened_resolved<false>(prev, row, opened, resolved);
    const auto followup = row.time(kFollowup);
    const auto closed = row.time(kClosed);
    const auto done = row.time(kDone);
    const auto add_later = [&](PassFigures& p) {
      if (closed && p.in(*closed)) ++p.closed;
      if (followup && p.in(*followup)) ++p.followups_due;
      if (done && p.in(*done)) {
        ++p.followups_done;
        if (const auto score = row.int64_or_null(kSatisfaction)) {
          ++p.csat_responses;
          p.csat_sum += *score;
        }
      }
    };
    add_later(cur);
    add_later(prev);
    if (const auto w = weeks.find(opened); w >= 0) ++r.weekly[static_cast<std::size_t>(w)].opened;
    if (resolved) {
      if (const auto w = weeks.find(*resolved); w >= 0)
        ++r.weekly[static_cast<std::size_t>(w)].resolved;
    }
  }
};

// The whole report from one pass over the cases table: for a period that
// covers much of the history, one sequential scan beats a dozen index walks
// that each look up most rows.
void scan_report(SQLite::Database& db, const ReportPeriod& period, Time now, Report& r,
                 const WeekSlots& weeks, std::optional<std::size_t> listed) {
  const auto max_customer = db.execAndGet("SELECT coalesce(max(id), 0) FROM customers").getInt64();
  Scan scan{PassFigures(period.since, period.until, max_customer),
            PassFigures(period.previous_since, period.previous_until, max_customer),
            r,
            weeks,
            {},
            {},
            {},
            {}};
  each_row(db, Scan::kSql, Scan::kColumns, {}, [&](const Values& row) { scan.add(row); });
  now_figures(db, now, r);
  auto& cur = scan.cur;
  auto& prev = scan.prev;
  // The figures first, so that the durations are given back before the
  // repeat customers take their names.
  r.current = finish(cur);
  r.previous = finish(prev);
  for (auto* p : {&cur, &prev}) {
    auto& f = p == &cur ? r.current : r.previous;
    auto rep = p->customers.repeaters(listed);
    const auto candidates = rep.list.size();
    name_and_order(db, rep.list, max_customer);
    if (!listed) {
      rep.total = rep.list.size();
    } else if (rep.list.size() < candidates) {
      // A customer without a row (a database written without its foreign
      // keys) is left out, as the index plan's join leaves it out; to count
      // the others as the join does, every one is named.
      rep = p->customers.repeaters(std::nullopt);
      name_and_order(db, rep.list, max_customer);
      rep.total = rep.list.size();
    }
    p->customers.clear();
    f.repeat_customers = std::move(rep.list);
    list_first(f, listed, rep.total);
  }
  r.by_category = scan.category.sorted();
  r.by_channel = scan.channel.sorted();
  r.by_outcome = scan.outcome.sorted();
  r.by_cause = lowered(db, scan.cause);
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

Report build_report(Store& store, const ReportPeriod& shown, Time now, ReportPlan plan,
                    std::optional<std::size_t> listed) {
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
      // The count stops once it has decided, and is not needed at all when
      // the first and the last case opened inside (then every case did).
      const Time from = std::min(period.since, period.previous_since);
      const Time to = std::max(period.until, period.previous_until);
      const auto inside = [&](const char* sql) {
        SQLite::Statement st(db, sql);
        return st.executeStep() && !st.getColumn(0).isNull() &&
               st.getColumn(0).getInt64() >= from && st.getColumn(0).getInt64() < to;
      };
      if (inside("SELECT min(opened_at) FROM cases") &&
          inside("SELECT max(opened_at) FROM cases")) {
        plan = ReportPlan::scan;
      } else {
        const auto total = db.execAndGet("SELECT coalesce(max(id), 0) FROM cases").getInt64();
        SQLite::Statement st(db,
                             "SELECT count(*) FROM (SELECT 1 FROM cases "
                             "WHERE opened_at >= ?1 AND opened_at < ?2 LIMIT ?3)");
        st.bind(1, static_cast<std::int64_t>(from));
        st.bind(2, static_cast<std::int64_t>(to));
        st.bind(3, total / 10 + 1);
        const auto in_periods = st.executeStep() ? st.getColumn(0).getInt64() : 0;
        plan = in_periods * 10 > total ? ReportPlan::scan : ReportPlan::indexed;
      }
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
      scan_report(db, period, now, r, WeekSlots(std::move(from), std::move(to)), listed);
      r.current.until = shown.until;
      tx.commit();
      return r;
    }
    r.current = figures(db, period.since, period.until);
    r.current.until = shown.until;
    r.previous = figures(db, period.previous_since, period.previous_until);
    for (auto* f : {&r.current, &r.previous})
      list_first(*f, listed, f->repeat_customers.size());
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
    now_figures(db, now, r);
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
