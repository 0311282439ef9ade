// Search: the cases whose words match a query, best first. Part of class
// Store (store.hpp); the query language is search_query.cpp, the index
// search_index.hpp.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/search_index.hpp"
#include "core/search_query.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// bm25 weights of the index's columns (migration 4): summary, customer,
// details (complaint, wants, reference, resolution, cause, category, tags,
// file names), events, the phone's digits. What the case is about and who
// raised it weigh most.
constexpr const char* kRank = "bm25(cases_fts, 10.0, 5.0, 2.0, 1.0, 5.0)";

// Words of context around the match in a snippet.
constexpr int kSnippetTokens = 12;

}  // namespace

void SqliteStore::search_cases(std::string_view query, const SearchFilter& f,
                               const std::function<void(const SearchHit&)>& each) {
  guarded(path_, [&] {
    const Fts5Words words(db_.getHandle());
    const std::string match =
        fts_query(query, [&](std::string_view text) { return words.last_word(text); });
    // The snippet of the first column with a match, in this order: the
    // complaint and the other details, the timeline, the customer, and only
    // then the summary, which is shown beside it anyway. A case found by its
    // phone's digits alone shows the customer.
    std::string snippets;
    for (const char* column : {"2", "3", "1", "0"}) {
      snippets += std::string(snippets.empty() ? "" : ", ") + "snippet(cases_fts, " + column +
                  ", :open, :close, '…', " + std::to_string(kSnippetTokens) + ")";
    }
    const auto pick_snippet = [](SQLite::Statement& st, int first) {
      for (int k = 0; k < 4; ++k) {
        std::string text = st.getColumn(first + k).getString();
        if (text.find(kMatchStart) != std::string::npos) return text;
      }
      return st.getColumn(first + 2).getString();
    };
    // The matching cases and the filters (as `mend list` has them); values
    // are always bound: the conditions' placeholders follow :match.
    const CaseConditions conditions(f.statuses, f.customer, f.owner, f.since, f.until);
    std::string from_where =
        " FROM cases_fts JOIN cases c ON c.id = cases_fts.rowid"
        " LEFT JOIN customers u ON u.id = c.customer_id WHERE cases_fts MATCH :match" +
        conditions.sql();
    from_where += std::string(" ORDER BY ") + kRank + ", c.opened_at DESC, c.id DESC";
    if (f.limit) from_where += " LIMIT :limit";
    const auto bind_filters = [&](SQLite::Statement& st) {
      st.bind(":match", match);
      conditions.bind(st, st.getIndex(":match"));
      if (f.limit) st.bind(":limit", *f.limit);
    };

    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    SearchHit hit;
    if (!f.limit) {
      // Every match is printed: one pass reads each case and makes its
      // snippet as FTS5 finds it, and sorts them (SQLite's sorter spills to
      // a temporary file rather than growing in memory).
      SQLite::Statement all(db_,
                            std::string("SELECT ") + case_columns() + ", " + snippets + from_where);
      bind_filters(all);
      all.bind(":open", std::string(kMatchStart));
      all.bind(":close", std::string(kMatchEnd));
      const int first_snippet = all.getColumnCount() - 4;  // after the case columns
      while (all.executeStep()) {
        // Column 21 is u.id: NULL when the customer row is missing (a damaged file).
        if (all.getColumn(21).isNull())
          throw missing_customer(path_, all.getColumn(0).getInt64(), "it cannot be shown");
        hit.c = case_from_statement(all);
        hit.snippet = pick_snippet(all, first_snippet);
        each(hit);
      }
      return;
    }
    // A few of them (--limit): first the order, ids only, so that a query
    // matching most cases sorts small rows, and reads a case and makes a
    // snippet only for those it returns.
    SQLite::Statement hits(db_, "SELECT c.id" + from_where);
    bind_filters(hits);
    SQLite::Statement read(db_, std::string("SELECT ") + case_columns() +
                                    " FROM cases c LEFT JOIN customers u ON u.id = c.customer_id "
                                    "WHERE c.id = ?");
    SQLite::Statement snippet(
        db_, "SELECT " + snippets + " FROM cases_fts WHERE cases_fts MATCH :match AND rowid = :id");
    snippet.bind(":match", match);
    snippet.bind(":open", std::string(kMatchStart));
    snippet.bind(":close", std::string(kMatchEnd));
    while (hits.executeStep()) {
      const std::int64_t id = hits.getColumn(0).getInt64();
      read.reset();
      read.bind(1, id);
      if (!read.executeStep() || read.getColumn(21).isNull())
        throw missing_customer(path_, id, "it cannot be shown");
      hit.c = case_from_statement(read);
      snippet.reset();
      snippet.bind(":id", id);
      hit.snippet = snippet.executeStep() ? pick_snippet(snippet, 0) : std::string();
      each(hit);
    }
  });
}

}  // namespace mend
