// Reads for shell completion (`mend __complete`): each is one statement with a
// LIMIT over an index or the rowid, so a TAB stays fast on a million cases.
#include <SQLiteCpp/Statement.h>

#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"

namespace mend {

std::vector<CompletionItem> SqliteStore::completion_cases(int limit) {
  return guarded(path_, [&] {
    // Open cases come from the partial index on open cases; the rest are the
    // newest by id (the rowid), so neither part scans the table.
    SQLite::Statement st(db_,
                         "SELECT id, summary FROM ("
                         " SELECT * FROM (SELECT id, summary, 0 AS part FROM cases"
                         "   INDEXED BY cases_open_by_due WHERE status = 'open'"
                         "   ORDER BY id DESC LIMIT ?1)"
                         " UNION ALL"
                         " SELECT * FROM (SELECT id, summary, 1 AS part FROM cases"
                         "   WHERE status <> 'open' ORDER BY id DESC LIMIT ?1))"
                         " ORDER BY part, id DESC LIMIT ?1");
    st.bind(1, static_cast<std::int64_t>(limit));
    std::vector<CompletionItem> items;
    while (st.executeStep()) {
      items.push_back({std::to_string(st.getColumn(0).getInt64()), st.getColumn(1).getString()});
    }
    return items;
  });
}

std::vector<CompletionItem> SqliteStore::completion_categories(int limit) {
  return guarded(path_, [&] {
    // Only the newest cases count: categories in use show up there, and the
    // read stays bounded however large the database grows.
    SQLite::Statement st(db_,
                         "SELECT category, count(*) AS n FROM"
                         " (SELECT category FROM cases ORDER BY id DESC LIMIT 5000)"
                         " GROUP BY category ORDER BY n DESC, category LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    std::vector<CompletionItem> items;
    while (st.executeStep()) {
      const auto n = st.getColumn(1).getInt64();
      items.push_back(
          {st.getColumn(0).getString(), std::to_string(n) + (n == 1 ? " case" : " cases")});
    }
    return items;
  });
}

std::vector<CompletionItem> SqliteStore::completion_customers(int limit) {
  return guarded(path_, [&] {
    SQLite::Statement st(db_,
                         "SELECT id, name FROM customers WHERE forgotten_at IS NULL"
                         " ORDER BY id DESC LIMIT ?");
    st.bind(1, static_cast<std::int64_t>(limit));
    std::vector<CompletionItem> items;
    while (st.executeStep()) {
      items.push_back({std::to_string(st.getColumn(0).getInt64()), st.getColumn(1).getString()});
    }
    return items;
  });
}

}  // namespace mend
