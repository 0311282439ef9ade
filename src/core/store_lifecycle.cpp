// The case lifecycle: notes, resolving, reopening and editing. Each public
// method is one BEGIN IMMEDIATE transaction that checks the case's state,
// changes it, appends its events and reads the case back.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/edit_plan.hpp"
#include "core/event_texts.hpp"
#include "core/limits.hpp"
#include "core/money.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
Status status_of(SQLite::Database& db, std::int64_t id) {
  SQLite::Statement q(db, "SELECT status FROM cases WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
  return stored_value<Status>(q.getColumn(0).getText());
}

Case SqliteStore::add_note(std::int64_t id, EventKind kind, const std::string& text, Time now) {
  require_note_kind(kind);
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    status_of(db_, id);
    auto search = SearchUpdate::of_case(db_, id);
    insert_event(db_, id, now, kind, text, user_);
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

Case SqliteStore::resolve_case(std::int64_t id, const ResolveInput& in, Time now) {
  const auto& r = in.resolution;
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto status = status_of(db_, id);
    if (status != Status::open) {
      fail(ErrorKind::data, not_open_to_resolve(id, status));
    }
    const bool closes = !in.followup_at;
    auto search = SearchUpdate::of_case(db_, id);
    SQLite::Statement up(db_,
                         "UPDATE cases SET status = ?2, resolved_at = ?3, followup_at = ?4, "
                         "closed_at = ?5, outcome = ?6, resolution_text = ?7, amount_cents = ?8, "
                         "currency = ?9, fault = ?10, cause = ?11, satisfaction = NULL, "
                         "followup_done_at = NULL WHERE id = ?1");
    up.bind(1, id);
    bind_word(up, 2, closes ? Status::closed : Status::resolved);
    up.bind(3, static_cast<std::int64_t>(now));
    bind_opt(up, 4, in.followup_at);
    bind_opt(up, 5, closes ? std::optional<std::int64_t>(now) : std::nullopt);
    bind_word(up, 6, r.outcome);
    bind_opt(up, 7, r.text);
    bind_opt(up, 8, r.amount_cents);
    up.bind(9, r.currency);
    bind_word(up, 10, r.fault);
    bind_opt(up, 11, r.cause);
    up.exec();
    insert_event(db_, id, now, EventKind::resolved, resolved_event_text(in), user_);
    if (in.followup_at) {
      insert_event(db_, id, now, EventKind::followup_scheduled,
                   "follow-up due " + event_stamp(*in.followup_at), user_);
    }
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

Case SqliteStore::reopen_case(std::int64_t id, const std::string& reason, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto status = status_of(db_, id);
    if (status == Status::open) {
      fail(ErrorKind::data, open_already(id));
    }
    auto search = SearchUpdate::of_case(db_, id);
    SQLite::Statement up(
        db_,
        "UPDATE cases SET status = 'open', resolved_at = NULL, followup_at = NULL, "
        "closed_at = NULL, outcome = NULL, resolution_text = NULL, "
        "amount_cents = NULL, currency = NULL, fault = NULL, cause = NULL, "
        "satisfaction = NULL, followup_done_at = NULL WHERE id = ?");
    up.bind(1, id);
    up.exec();
    insert_event(db_, id, now, EventKind::reopened, reason, user_);
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

EditResult SqliteStore::edit_case(std::int64_t id, const CaseEdit& e, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const Case before = read_case(id, false);
    // A new email or phone changes the words of every case of the customer.
    const bool customer_changes = (e.email && *e.email != before.customer.email) ||
                                  (e.phone && *e.phone != before.customer.phone);
    auto search = customer_changes ? SearchUpdate::of_customer(db_, before.customer.id)
                                   : SearchUpdate::of_case(db_, id);

    EditPlan plan = plan_edit(before, e);
    std::vector<std::string>& changes = plan.changes;
    for (const auto& [column, value] : plan.columns) {
      // The column's name is one of plan_edit's own literals, never input.
      SQLite::Statement up(db_, std::string("UPDATE cases SET ") + column + " = ? WHERE id = ?");
      bind_opt(up, 1, value);
      up.bind(2, id);
      up.exec();
    }
    if (plan.due_at) {
      SQLite::Statement up(db_, "UPDATE cases SET due_at = ? WHERE id = ?");
      up.bind(1, static_cast<std::int64_t>(*plan.due_at));
      up.bind(2, id);
      up.exec();
    }
    if (plan.email) {
      SQLite::Statement up(db_, "UPDATE customers SET email = ? WHERE id = ?");
      bind_opt(up, 1, *plan.email);
      up.bind(2, before.customer.id);
      up.exec();
    }
    if (plan.phone) {
      SQLite::Statement up(db_, "UPDATE customers SET phone = ?, phone_key = ? WHERE id = ?");
      bind_opt(up, 1, *plan.phone);
      bind_opt(up, 2,
               *plan.phone ? std::optional<std::string>(phone_key(**plan.phone)) : std::nullopt);
      up.bind(3, before.customer.id);
      up.exec();
    }

    for (const auto& tag : e.add_tags) {
      SQLite::Statement ins(db_, "INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES (?, ?)");
      ins.bind(1, id);
      ins.bind(2, tag);
      if (ins.exec() > 0) changes.push_back("tag: +" + tag);
    }
    for (const auto& tag : e.remove_tags) {
      SQLite::Statement del(db_, "DELETE FROM case_tags WHERE case_id = ? AND tag = ?");
      del.bind(1, id);
      del.bind(2, tag);
      if (del.exec() > 0) changes.push_back("tag: -" + tag);
    }

    if (!changes.empty())
      insert_event(db_, id, now, EventKind::edited, edited_event_text(changes), user_);
    search.done();
    EditResult result{read_case(id, true), std::move(changes)};
    check_case(result.updated, ErrorKind::data);
    // Nothing changed: nothing is written (the search index was touched).
    if (!result.changes.empty()) tx.commit();
    return result;
  });
}

Case SqliteStore::assign_case(std::int64_t id, const std::optional<std::string>& owner, Time now,
                              bool* changed) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_, "SELECT owner FROM cases WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    const auto before = opt_text(q.getColumn(0));
    q.reset();
    // The same name (in any case) is no change.
    const bool same = before.has_value() == owner.has_value() &&
                      (!owner || lowercase(*before) == lowercase(*owner));
    if (changed) *changed = !same;
    if (!same) {
      SQLite::Statement up(db_, "UPDATE cases SET owner = ? WHERE id = ?");
      bind_opt(up, 1, owner);
      up.bind(2, id);
      up.exec();
      const std::string text = assigned_event_text(before, owner);
      auto search = SearchUpdate::of_case(db_, id);  // the event's words
      insert_event(db_, id, now, EventKind::assigned, text, user_);
      search.done();
    }
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    if (!same) tx.commit();
    return result;
  });
}

}  // namespace mend
