// Follow-ups: what needs attention now, and recording the follow-up call.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "core/limits.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/store.hpp"

namespace mend {
namespace {

// Each query walks one partial index: cases_pending_followup (status =
// 'resolved') and cases_open_by_due (status = 'open'), so closed cases, which
// keep their followup_at for the report, are never read. LEFT JOIN: a case
// whose customer is missing (a damaged file) is not passed over silently.
constexpr const char* kFollowupsDue =
    "SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone "
    "FROM cases c LEFT JOIN customers u ON u.id = c.customer_id "
    "WHERE c.status = 'resolved' AND c.followup_at <= ?1";
constexpr const char* kOpenDue =
    "SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone "
    "FROM cases c LEFT JOIN customers u ON u.id = c.customer_id "
    "WHERE c.status = 'open' AND c.due_at <= ?1";

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

void add_event(SQLite::Database& db, std::int64_t id, Time at, const char* kind,
               const std::string& text) {
  SQLite::Statement ev(db, "INSERT INTO events (case_id, at, kind, text) VALUES (?, ?, ?, ?)");
  ev.bind(1, id);
  ev.bind(2, static_cast<std::int64_t>(at));
  ev.bind(3, kind);
  ev.bind(4, text);
  ev.exec();
}

}  // namespace

std::vector<DueItem> Store::due_items(Time now, Time followups_until, Time due_until) {
  return guarded(path_, [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    std::vector<DueItem> out;
    SQLite::Statement f(db_, kFollowupsDue);
    f.bind(1, static_cast<std::int64_t>(followups_until));
    while (f.executeStep()) {
      out.push_back(item_from_row(f, path_));
      out.back().reason = "followup";
    }
    SQLite::Statement o(db_, kOpenDue);
    o.bind(1, static_cast<std::int64_t>(due_until));
    while (o.executeStep()) {
      out.push_back(item_from_row(o, path_));
      out.back().reason = out.back().at < now ? "overdue" : "due-soon";
    }
    std::sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
      return a.at != b.at ? a.at < b.at : a.case_id < b.case_id;
    });
    return out;
  });
}

std::string Store::explain_due_items() {
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

Case Store::record_followup(std::int64_t id, const FollowupRecord& r, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement st(db_, "SELECT status FROM cases WHERE id = ?");
    st.bind(1, id);
    if (!st.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    const std::string status = st.getColumn(0).getString();
    const std::string n = std::to_string(id);
    if (status == "open")
      fail(ErrorKind::data, "case #" + n + " is open: resolve it first (mend resolve " + n +
                                " --outcome ...), then record its follow-up");
    if (status == "closed")
      fail(ErrorKind::data, "case #" + n +
                                " is closed: its follow-up is over; reopen it first (mend reopen " +
                                n + ") to work on it again");
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
      add_event(db_, id, now, "followup-done", r.done_text);
    } else {
      if (r.action == Action::no_answer)
        add_event(db_, id, now, "followup-attempt", r.attempt_text);
      SQLite::Statement up(db_, "UPDATE cases SET followup_at = ?2 WHERE id = ?1");
      up.bind(1, id);
      up.bind(2, static_cast<std::int64_t>(r.next));
      up.exec();
      add_event(db_, id, now, "followup-scheduled", r.scheduled_text);
    }
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

}  // namespace mend
