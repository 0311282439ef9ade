// The PostgreSQL store's follow-ups: what is due, and recording a follow-up.
#include "core/event_texts.hpp"
#include "core/limits.hpp"
#include "core/pg_rows.hpp"
#include "core/pg_store.hpp"
#include "core/sqlite_error.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

DueItem due_from(const PgResult& r, int i, const std::string& where) {
  if (r.null(i, 3)) throw missing_customer(where, r.int64(i, 0), "it cannot be shown as due");
  DueItem d;
  d.case_id = r.int64(i, 0);
  d.summary = r.text(i, 1);
  d.at = r.int64(i, 2);
  d.customer.id = r.int64(i, 3);
  d.customer.name = r.text(i, 4);
  d.customer.email = r.opt_text(i, 5);
  d.customer.phone = r.opt_text(i, 6);
  return d;
}

}  // namespace

std::vector<DueItem> PgStore::due_items(Time now, Time followups_until, Time due_until,
                                        const OwnerFilter& owner) {
  // 0: anyone's, 1: the person's, 2: nobody's.
  const std::int64_t who = !owner ? 0 : *owner ? 1 : 2;
  const std::optional<std::string> name = owner && *owner ? **owner : std::optional<std::string>();
  constexpr const char* kOwner =
      " AND (?::int = 0 OR (?::int = 1 AND lower(c.owner COLLATE \"C\") = lower(?::text COLLATE "
      "\"C\")) OR "
      "(?::int = 2 AND c.owner IS NULL))";
  auto owner_params = [&](PgParams p) { return p << who << who << name << who; };
  return read([&] {
    std::vector<DueItem> out;
    auto f = conn_.exec(
        std::string("SELECT c.id, c.summary, c.followup_at, u.id, u.name, u.email, u.phone "
                    "FROM mend.cases c LEFT JOIN mend.customers u ON u.id = c.customer_id "
                    "WHERE c.status = 'resolved' AND c.followup_at <= ?") +
            kOwner,
        owner_params(PgParams{} << static_cast<std::int64_t>(followups_until)));
    for (int i = 0; i < f.rows(); ++i) {
      out.push_back(due_from(f, i, path_));
      out.back().reason = "followup";
    }
    auto o = conn_.exec(
        std::string("SELECT c.id, c.summary, c.due_at, u.id, u.name, u.email, u.phone "
                    "FROM mend.cases c LEFT JOIN mend.customers u ON u.id = c.customer_id "
                    "WHERE c.status = 'open' AND c.due_at <= ?") +
            kOwner,
        owner_params(PgParams{} << static_cast<std::int64_t>(due_until)));
    for (int i = 0; i < o.rows(); ++i) {
      out.push_back(due_from(o, i, path_));
      out.back().reason = out.back().at < now ? "overdue" : "due-soon";
    }
    // A case whose latest entry that speaks with the customer is mail from them.
    auto u = conn_.exec(
        std::string(
            "SELECT c.id, c.summary, e.at, u.id, u.name, u.email, u.phone "
            "FROM mend.events e JOIN mend.cases c ON c.id = e.case_id "
            "LEFT JOIN mend.customers u ON u.id = c.customer_id "
            "WHERE e.message_direction = 'in' AND e.kind = 'email' AND e.id = "
            "(SELECT x.id FROM mend.events x WHERE x.case_id = e.case_id AND x.kind IN "
            "('email', 'reply', 'call', 'meeting', 'apology', 'offer') "
            "AND NOT (x.kind = 'reply' AND coalesce(substr(x.message_id, 1, 4), '') = 'ack.') "
            "ORDER BY x.at DESC, x.id DESC LIMIT 1)") +
            kOwner,
        owner_params(PgParams{}));
    for (int i = 0; i < u.rows(); ++i) {
      out.push_back(due_from(u, i, path_));
      out.back().reason = "unanswered";
    }
    std::sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
      return a.at != b.at ? a.at < b.at : a.case_id < b.case_id;
    });
    return out;
  });
}

Case PgStore::record_followup(std::int64_t id, const FollowupRecord& r, Time now) {
  return write([&] {
    const auto status = status_of(id);
    if (status != Status::resolved) fail(ErrorKind::data, followup_refused(id, status));
    using Action = FollowupRecord::Action;
    if (r.action == Action::done) {
      conn_.exec(
          "UPDATE mend.cases SET status = 'closed', closed_at = ?, satisfaction = ?, "
          "followup_done_at = ? WHERE id = ?",
          PgParams{} << static_cast<std::int64_t>(now) << r.csat << static_cast<std::int64_t>(now)
                     << id);
      insert_event(id, now, EventKind::followup_done, r.done_text);
    } else {
      if (r.action == Action::no_answer)
        insert_event(id, now, EventKind::followup_attempt, r.attempt_text);
      conn_.exec("UPDATE mend.cases SET followup_at = ? WHERE id = ?",
                 PgParams{} << static_cast<std::int64_t>(r.next) << id);
      insert_event(id, now, EventKind::followup_scheduled, r.scheduled_text);
    }
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

}  // namespace mend
