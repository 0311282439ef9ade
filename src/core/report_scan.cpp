// The report's scan plan: every figure from one pass over the cases table,
// counted row by row inside SQLite's own loop. For a period that covers much
// of the history (a year's report on a million cases) one sequential scan
// beats the indexed plan's dozen index walks that each look up most rows;
// the README's benchmark of the all-time report at 1M cases relies on it.
// It gives the same report as the indexed plan (the core tests run both and
// compare).
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <functional>
#include <map>
#include <type_traits>
#include <unordered_map>

#include "core/report_plans.hpp"

namespace mend::report_plan {
namespace {

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

// The totals of one pass, with what the scan needs to finish them.
struct PassFigures : PeriodTotals {
  Durations durations;
  CustomerCounts customers;
  PassFigures(Time s, Time u, std::int64_t max_customer) : customers(max_customer) {
    since = s;
    until = u;
  }
  bool in(Time t) const { return t >= since && t < until; }
};

PeriodFigures finish(PassFigures& p) {
  p.median_seconds_to_resolve = p.durations.take_median();
  return period_figures(p);
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

}  // namespace

void scan_report(SQLite::Database& db, const ReportPeriod& period, Time now, Report& r,
                 std::vector<Time> week_from, std::vector<Time> week_to,
                 std::optional<std::size_t> listed) {
  const WeekSlots weeks(std::move(week_from), std::move(week_to));
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

}  // namespace mend::report_plan
