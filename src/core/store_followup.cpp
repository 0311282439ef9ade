// Follow-ups: what needs attention now, and recording the follow-up call.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "core/event_texts.hpp"
#include "core/limits.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// Each query walks one partial index: cases_pending_followup (status =
// 'resolved') and cases_open_by_due (status = 'open'), so closed cases, which
// keep their followup_at for the report, are never read. LEFT JOIN: a case
// whose customer is missing (a damaged file) is not passed over silently.
constexpr const char* kFollowupsDue =
    "SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone "
    "FROM cases c LEFT JOIN customers u ON u.id = c.customer_id "
    "WHERE c.status = 'resolved' AND c.followup_at <= ?1 AND "
    "(?2 = 0 OR (?2 = 1 AND c.owner = ?3 COLLATE NOCASE) OR (?2 = 2 AND c.owner IS NULL))";
constexpr const char* kOpenDue =
    "SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone "
    "FROM cases c LEFT JOIN customers u ON u.id = c.customer_id "
    "WHERE c.status = 'open' AND c.due_at <= ?1 AND "
    "(?2 = 0 OR (?2 = 1 AND c.owner = ?3 COLLATE NOCASE) OR (?2 = 2 AND c.owner IS NULL))";

// A case whose latest entry that speaks with the customer is mail from them.
constexpr const char* kUnanswered =
    "SELECT c.id, c.summary, e.at, u.id, u.name, u.email, u.phone "
    "FROM events e JOIN cases c ON c.id = e.case_id "
    "LEFT JOIN customers u ON u.id = c.customer_id "
    "WHERE e.message_direction = 'in' AND e.kind = 'email' AND e.id = "
    "(SELECT x.id FROM events x WHERE x.case_id = e.case_id AND x.kind IN "
    "('email', 'reply', 'call', 'meeting', 'apology', 'offer') "
    // mend mail --ack's acknowledgements (Message-IDs "ack.…") answer nobody.
    "AND NOT (x.kind = 'reply' AND COALESCE(substr(x.message_id, 1, 4), '') = 'ack.') "
    "ORDER BY x.at DESC, x.id DESC "
    "LIMIT 1) AND "
    "(?2 = 0 OR (?2 = 1 AND c.owner = ?3 COLLATE NOCASE) OR (?2 = 2 AND c.owner IS NULL))";

DueItem item_from_row(SQLite::Statement& q, const std::string& db_path) {
  if (q.getColumn(3).isNull())
    throw missing_customer(db_path, q.getColumn(0).getInt64(), "it cannot be shown as due");
  DueItem d;
  d.case_id = q.getColumn(0).getInt64();
  d.summary = q.getColumn(1).getString();
  d.at = q.getColumn(2).getInt64();
  d.customer.id = q.getColumn(3).getInt64();
  d.customer.name = q.getColumn(4).getString();
  if (!q.getColumn(5).isNull()) d.customer.email = q.getColumn(5).getString();
  if (!q.getColumn(6).isNull()) d.customer.phone = q.getColumn(6).getString();
  return d;
}

// Binds ?2 and ?3 of the due queries: 0 anyone's, 1 the person ?3's, 2 nobody's.
void bind_owner(SQLite::Statement& q, const OwnerFilter& owner) {
  q.bind(2, !owner ? 0 : *owner ? 1 : 2);
  if (owner && *owner) {
    q.bind(3, **owner);
  } else {
    q.bind(3);
  }
}

}  // namespace

std::vector<DueItem> SqliteStore::due_items(Time now, Time followups_until, Time due_until,
                                            const OwnerFilter& owner) {
  return guarded(path_, [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    std::vector<DueItem> out;
    SQLite::Statement f(db_, kFollowupsDue);
    f.bind(1, static_cast<std::int64_t>(followups_until));
    bind_owner(f, owner);
    while (f.executeStep()) {
      out.push_back(item_from_row(f, path_));
      out.back().reason = "followup";
    }
    SQLite::Statement o(db_, kOpenDue);
    o.bind(1, static_cast<std::int64_t>(due_until));
    bind_owner(o, owner);
    while (o.executeStep()) {
      out.push_back(item_from_row(o, path_));
      out.back().reason = out.back().at < now ? "overdue" : "due-soon";
    }
    SQLite::Statement u(db_, kUnanswered);
    u.bind(1);
    bind_owner(u, owner);
    while (u.executeStep()) {
      out.push_back(item_from_row(u, path_));
      out.back().reason = "unanswered";
    }
    std::sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
      return a.at != b.at ? a.at < b.at : a.case_id < b.case_id;
    });
    return out;
  });
}

std::string SqliteStore::explain_due_items() {
  return guarded(path_, [&] {
    std::string plan;
    for (const char* sql : {kFollowupsDue, kOpenDue}) {
      SQLite::Statement q(db_, std::string("EXPLAIN QUERY PLAN ") + sql);
      q.bind(1, static_cast<std::int64_t>(0));
      while (q.executeStep())
        plan += q.getColumn(3).getString() + "\n";
    }
    return plan;
  });
}

Case SqliteStore::record_followup(std::int64_t id, const FollowupRecord& r, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const Status status = status_of(db_, id);
    if (status != Status::resolved) fail(ErrorKind::data, followup_refused(id, status));
    using Action = FollowupRecord::Action;
    auto search = SearchUpdate::of_case(db_, id);
    if (r.action == Action::done) {
      SQLite::Statement up(db_,
                           "UPDATE cases SET status = 'closed', closed_at = ?2, satisfaction = ?3, "
                           "followup_done_at = ?2 WHERE id = ?1");
      up.bind(1, id);
      up.bind(2, static_cast<std::int64_t>(now));
      up.bind(3, r.csat);
      up.exec();
      insert_event(db_, id, now, EventKind::followup_done, r.done_text, user_);
    } else {
      if (r.action == Action::no_answer)
        insert_event(db_, id, now, EventKind::followup_attempt, r.attempt_text, user_);
      SQLite::Statement up(db_, "UPDATE cases SET followup_at = ?2 WHERE id = ?1");
      up.bind(1, id);
      up.bind(2, static_cast<std::int64_t>(r.next));
      up.exec();
      insert_event(db_, id, now, EventKind::followup_scheduled, r.scheduled_text, user_);
    }
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

}  // namespace mend
