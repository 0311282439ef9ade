// The cases `mend calendar` shows: two reads over the partial indexes on open
// cases by due_at and resolved cases by followup_at, so the feed costs what
// the promises and follow-ups cost, not what the whole history costs.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {

void SqliteStore::each_calendar_case(const std::function<void(const Case&)>& each) {
  guarded(path_, [&] {
    const std::string from = std::string("SELECT ") + case_columns() + " FROM cases c ";
    const std::string join = " LEFT JOIN customers u ON u.id = c.customer_id ";
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);  // one snapshot
    for (const std::string& sql :
         {from + "INDEXED BY cases_open_by_due" + join +
              "WHERE c.status = 'open' AND c.due_at IS NOT NULL ORDER BY c.due_at, c.id",
          from + "INDEXED BY cases_pending_followup" + join +
              "WHERE c.status = 'resolved' AND c.followup_at IS NOT NULL "
              "ORDER BY c.followup_at, c.id"}) {
      SQLite::Statement q(db_, sql);
      while (q.executeStep()) {
        // Column 21 is u.id, NULL when the LEFT JOIN found no customer.
        if (q.getColumn(21).isNull())
          throw missing_customer(path_, q.getColumn(0).getInt64(), "it cannot be shown");
        each(case_from_statement(q));
      }
    }
  });
}

}  // namespace mend
