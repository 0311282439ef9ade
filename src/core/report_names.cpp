// Naming the scan plan's repeat customers and putting them in the report's
// order, without a JOIN: the scan counted them by id.
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/report_plans.hpp"
#include "core/schema_expected.hpp"

namespace mend::report_plan {
namespace {

// The definition mend's migrations give a schema object (listed at build
// time from the migrations), or nullptr.
const char* expected_sql(std::string_view name) {
  for (const auto& object : kExpectedSchema)
    if (name == object.name) return object.sql;
  return nullptr;
}

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
    const char* expected = expected_sql("customers_by_name");
    SQLite::Statement st(db, "SELECT sql FROM sqlite_schema WHERE name = 'customers_by_name'");
    if (expected == nullptr || !st.executeStep() || st.getColumn(0).getString() != expected)
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

}  // namespace

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

}  // namespace mend::report_plan
