// The PostgreSQL store: cases, customers and the lifecycle.
#include "core/pg_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "core/edit_plan.hpp"
#include "core/event_texts.hpp"
#include "core/limits.hpp"
#include "core/pg_rows.hpp"
#include "core/sqlite_error.hpp"
#include "core/status_filter.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// The columns every case query selects, in the order case_from reads them
// (the SQLite store's, in PostgreSQL's words).
constexpr const char* kPgCaseColumns =
    "c.id, c.status, c.summary, c.complaint, c.wants, c.channel, c.category, c.priority, "
    "c.reference, c.opened_at, c.due_at, c.resolved_at, c.followup_at, c.closed_at, "
    "c.outcome, c.resolution_text, c.amount_cents, c.currency, c.fault, c.cause, "
    "c.satisfaction, u.id, u.name, u.email, u.phone, "
    "(SELECT string_agg(t.tag, chr(31)) FROM mend.case_tags t WHERE t.case_id = c.id), c.owner";

}  // namespace

const char* pg_case_columns() {
  return kPgCaseColumns;
}

Case pg_case_from(const PgResult& r, int i) {
  Case c;
  c.id = r.int64(i, 0);
  c.status = stored_value<Status>(r.text(i, 1));
  c.summary = r.text(i, 2);
  c.complaint = r.opt_text(i, 3);
  c.wants = r.opt_text(i, 4);
  c.channel = stored_value<Channel>(r.text(i, 5));
  c.category = r.text(i, 6);
  c.priority = stored_value<Priority>(r.text(i, 7));
  c.reference = r.opt_text(i, 8);
  c.opened_at = r.int64(i, 9);
  c.due_at = r.opt_int64(i, 10);
  c.resolved_at = r.opt_int64(i, 11);
  c.followup_at = r.opt_int64(i, 12);
  c.closed_at = r.opt_int64(i, 13);
  if (!r.null(i, 14)) {
    Resolution res;
    res.outcome = stored_value<Outcome>(r.text(i, 14));
    res.text = r.opt_text(i, 15);
    res.amount_cents = r.opt_int64(i, 16);
    res.currency = r.null(i, 17) ? "USD" : r.text(i, 17);
    res.fault = r.null(i, 18) ? Fault::unknown : stored_value<Fault>(r.text(i, 18));
    res.cause = r.opt_text(i, 19);
    c.resolution = std::move(res);
  }
  if (!r.null(i, 20)) c.satisfaction = static_cast<int>(r.int64(i, 20));
  c.customer.id = r.int64(i, 21);
  c.customer.name = r.text(i, 22);
  c.customer.email = r.opt_text(i, 23);
  c.customer.phone = r.opt_text(i, 24);
  if (!r.null(i, 25)) c.tags = split_tags(r.text(i, 25));
  c.owner = r.opt_text(i, 26);
  return c;
}

// The shared list and search conditions (CaseConditions) in PostgreSQL's
// words: the same fragments with instr, NOCASE and CAST spelt its way.
// Letter case is folded as SQLite folds it (ASCII only: lower() under the
// "C" collation), so both stores match the same names.
std::string pg_words(std::string sql) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto p = sql.find(from); p != std::string::npos; p = sql.find(from, p + to.size()))
      sql.replace(p, from.size(), to);
  };
  replace_all("CAST(? AS INTEGER)", "CAST(? AS bigint)");
  replace_all("instr(lower(u.name), lower(?))",
              "strpos(lower(u.name COLLATE \"C\"), lower(?::text COLLATE \"C\"))");
  replace_all("instr(lower(u.email), lower(?))",
              "strpos(lower(u.email COLLATE \"C\"), lower(?::text COLLATE \"C\"))");
  replace_all("instr(u.phone_key, ?)", "strpos(u.phone_key, ?)");
  replace_all("FROM case_tags t WHERE t.case_id = c.id AND t.tag = ?",
              "FROM mend.case_tags t WHERE t.case_id = c.id AND "
              "lower(t.tag COLLATE \"C\") = lower(?::text COLLATE \"C\")");
  replace_all("c.owner = ? COLLATE NOCASE",
              "lower(c.owner COLLATE \"C\") = lower(?::text COLLATE \"C\")");
  return sql;
}

void add_values(PgParams& p, const CaseConditions& shared) {
  for (const auto& v : shared.values())
    std::visit([&](const auto& value) { p << value; }, v);
}

PgStore::PgStore(const std::string& location)
    : Store(pg_location_shown(location)), conn_(location) {
  path_ = conn_.where();
  // Locks wait as long as SQLite's busy timeout; a statement never hangs a cron job.
  conn_.exec(
      "SELECT set_config('lock_timeout', ?, false), set_config('statement_timeout', ?, false)",
      PgParams{} << std::to_string(busy_timeout_ms()) << std::string("600000"));
  migrate();
}

void PgStore::transact(bool writes, const std::function<void()>& body) {
  std::mt19937 jitter(std::random_device{}());
  for (int attempt = 0;; ++attempt) {
    try {
      conn_.run(writes ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                       : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      body();
      conn_.run("COMMIT");
      return;
    } catch (const PgRetry&) {
      try {
        conn_.run("ROLLBACK");
      } catch (...) {
      }
      if (attempt >= 20)
        fail(ErrorKind::busy, path_ +
                                  " stayed busy with other writers; nothing was written; "
                                  "try again");
      // 2, 4, 8 ... ms, at most 250, with jitter so two writers part.
      const int ms = std::min(250, 2 << std::min(attempt, 7));
      std::this_thread::sleep_for(
          std::chrono::milliseconds(ms + std::uniform_int_distribution<int>(0, ms)(jitter)));
    } catch (...) {
      try {
        conn_.run("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  }
}

Status PgStore::status_of(std::int64_t id) {
  auto r = conn_.exec("SELECT status FROM mend.cases WHERE id = ?", PgParams{} << id);
  if (r.rows() == 0) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
  return stored_value<Status>(r.text(0, 0));
}

Event pg_event_from(const PgResult& r, int i) {
  Event e;
  e.id = r.int64(i, 0);
  e.at = r.int64(i, 1);
  e.kind = stored_value<EventKind>(r.text(i, 2));
  e.text = r.text(i, 3);
  e.by = r.opt_text(i, 4);
  if (!r.null(i, 9)) {
    Message m;
    m.id = r.opt_text(i, 5);
    m.from = r.opt_text(i, 6);
    m.to = r.opt_text(i, 7);
    m.subject = r.opt_text(i, 8);
    m.direction = stored_value<Direction>(r.text(i, 9));
    e.message = std::move(m);
  }
  return e;
}

std::vector<Event> PgStore::events_of(std::int64_t case_id) {
  auto r = conn_.exec(
      std::string("SELECT ") + kPgEventColumns + " FROM mend.events WHERE case_id = ? ORDER BY id",
      PgParams{} << case_id);
  std::vector<Event> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(pg_event_from(r, i));
  return out;
}

std::vector<Attachment> PgStore::attachments_of(std::int64_t case_id) {
  auto r = conn_.exec(
      "SELECT name, type, size, sha256, at FROM mend.attachments WHERE case_id = ? ORDER BY id",
      PgParams{} << case_id);
  std::vector<Attachment> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(
        Attachment{r.text(i, 0), r.text(i, 1), r.int64(i, 2), r.text(i, 3), r.int64(i, 4)});
  return out;
}

void PgStore::insert_event(std::int64_t case_id, Time at, EventKind kind, const std::string& text,
                           const std::optional<Message>& message) {
  PgParams p;
  p << case_id << static_cast<std::int64_t>(at) << kind << text << user_;
  if (message) {
    p << message->id << message->from << message->to << message->subject << message->direction;
  } else {
    p << nullptr << nullptr << nullptr << nullptr << nullptr;
  }
  conn_.exec(
      "INSERT INTO mend.events (case_id, at, kind, text, author, message_id, message_from, "
      "message_to, message_subject, message_direction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      p);
  if (message && message->id)
    conn_.exec("INSERT INTO mend.mail_seen (key, case_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
               PgParams{} << *message->id << case_id);
}

Case PgStore::read_case(std::int64_t id, bool with_events) {
  auto r = conn_.exec(std::string("SELECT ") + kPgCaseColumns +
                          " FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id "
                          "WHERE c.id = ?",
                      PgParams{} << id);
  if (r.rows() == 0) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
  Case c = pg_case_from(r, 0);
  if (with_events) {
    c.events = events_of(id);
    c.attachments = attachments_of(id);
  }
  return c;
}

std::optional<std::int64_t> PgStore::find_customer(const NewCase& in) {
  if (in.email) {
    auto r = conn_.exec(
        "SELECT id FROM mend.customers WHERE lower(email COLLATE \"C\") = lower(?::text COLLATE "
        "\"C\") AND forgotten_at IS NULL "
        "ORDER BY id DESC LIMIT 1",
        PgParams{} << *in.email);
    if (r.rows() > 0) return r.int64(0, 0);
  }
  if (in.phone) {
    auto r = conn_.exec(
        "SELECT id FROM mend.customers WHERE phone_key = ? AND forgotten_at IS NULL "
        "ORDER BY id DESC LIMIT 1",
        PgParams{} << phone_key(*in.phone));
    if (r.rows() > 0) return r.int64(0, 0);
  }
  // Same name, and nothing on file that contradicts what was given.
  const std::optional<std::string> key =
      in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt;
  auto r = conn_.exec(
      "SELECT id FROM mend.customers WHERE lower(name COLLATE \"C\") = lower(?::text COLLATE "
      "\"C\") AND forgotten_at IS NULL "
      "AND (?::text IS NULL OR email IS NULL OR lower(email COLLATE \"C\") = lower(?::text COLLATE "
      "\"C\")) "
      "AND (?::text IS NULL OR phone_key IS NULL OR phone_key = ?) "
      "ORDER BY id DESC LIMIT 1",
      PgParams{} << in.customer_name << in.email << in.email << key << key);
  if (r.rows() > 0) return r.int64(0, 0);
  return std::nullopt;
}

std::int64_t PgStore::find_or_create_customer(const NewCase& in, Time now) {
  const std::optional<std::string> key =
      in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt;
  if (const auto found = find_customer(in)) {
    // What was given fills what is empty; nothing on file is overwritten.
    conn_.exec(
        "UPDATE mend.customers SET email = coalesce(email, ?), phone = coalesce(phone, ?), "
        "phone_key = coalesce(phone_key, ?) WHERE id = ? AND "
        "((email IS NULL AND ?::text IS NOT NULL) OR (phone IS NULL AND ?::text IS NOT NULL))",
        PgParams{} << in.email << in.phone << key << *found << in.email << in.phone);
    return *found;
  }
  auto r = conn_.exec(
      "INSERT INTO mend.customers (name, email, phone, phone_key, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      PgParams{} << in.customer_name << in.email << in.phone << key
                 << static_cast<std::int64_t>(now));
  const auto id = r.int64(0, 0);
  if (id > kMaxId)
    fail(ErrorKind::data, "no customer id is left: ids go up to " + std::to_string(kMaxId));
  return id;
}

std::int64_t PgStore::create_case(const NewCase& in, Time opened_at, Time now) {
  const auto customer_id = find_or_create_customer(in, now);
  auto r = conn_.exec(
      "INSERT INTO mend.cases (customer_id, status, summary, complaint, wants, channel, "
      "category, priority, reference, opened_at, due_at, owner) "
      "VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      PgParams{} << customer_id << in.summary << in.complaint << in.wants << in.channel
                 << in.category << in.priority << in.reference
                 << static_cast<std::int64_t>(opened_at) << in.due_at << in.owner);
  const auto id = r.int64(0, 0);
  if (id > kMaxId)
    fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
  for (const auto& t : in.tags)
    conn_.exec("INSERT INTO mend.case_tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
               PgParams{} << id << t);
  insert_event(id, opened_at, EventKind::opened, in.summary);
  return id;
}

Case PgStore::open_case(const NewCase& in, Time now) {
  return write([&] {
    const auto id = create_case(in, now, now);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    return result;
  });
}

Case PgStore::get_case(std::int64_t id) {
  return read([&] { return read_case(id, true); });
}

std::vector<HistoryItem> PgStore::customer_history(std::int64_t customer_id,
                                                   std::int64_t except_case) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT id, status, summary, opened_at FROM mend.cases WHERE customer_id = ? AND id <> ? "
        "ORDER BY opened_at DESC, id DESC",
        PgParams{} << customer_id << except_case);
    std::vector<HistoryItem> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(HistoryItem{r.int64(i, 0), stored_value<Status>(r.text(i, 1)), r.text(i, 2),
                                r.int64(i, 3)});
    return out;
  });
}

void PgStore::each_case(const ListFilter& f, Time now, int passes,
                        const std::function<void(int pass, const Case&)>& each,
                        const std::function<void()>& between) {
  std::string sql = std::string("SELECT ") + kPgCaseColumns +
                    " FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id WHERE true";
  PgParams p;
  const CaseConditions shared = CaseConditions::of_list(f, now);
  sql += pg_words(shared.sql());
  add_values(p, shared);
  sql += " ORDER BY c.opened_at DESC, c.id DESC";
  if (f.limit) {
    sql += " LIMIT ?";
    p << *f.limit;
  }
  read([&] {
    auto r = conn_.exec(sql, p);
    for (int pass = 0; pass < passes; ++pass) {
      if (pass > 0 && between) between();
      for (int i = 0; i < r.rows(); ++i)
        each(pass, pg_case_from(r, i));
    }
  });
}

void PgStore::each_calendar_case(const std::function<void(const Case&)>& each) {
  read([&] {
    const std::string from = std::string("SELECT ") + kPgCaseColumns +
                             " FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id ";
    for (const std::string& sql :
         {from + "WHERE c.status = 'open' AND c.due_at IS NOT NULL ORDER BY c.due_at, c.id",
          from + "WHERE c.status = 'resolved' AND c.followup_at IS NOT NULL "
                 "ORDER BY c.followup_at, c.id"}) {
      auto r = conn_.exec(sql);
      for (int i = 0; i < r.rows(); ++i)
        each(pg_case_from(r, i));
    }
  });
}

std::vector<CompletionItem> PgStore::completion_cases(int limit) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT id, summary FROM ("
        "(SELECT id, summary, 0 AS part FROM mend.cases WHERE status = 'open' "
        "ORDER BY id DESC LIMIT ?) UNION ALL "
        "(SELECT id, summary, 1 AS part FROM mend.cases WHERE status <> 'open' "
        "ORDER BY id DESC LIMIT ?)) both_parts ORDER BY part, id DESC LIMIT ?",
        PgParams{} << limit << limit << limit);
    std::vector<CompletionItem> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1)});
    return out;
  });
}

std::vector<CompletionItem> PgStore::completion_categories(int limit) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT category, count(*) AS n FROM (SELECT category FROM mend.cases ORDER BY id DESC "
        "LIMIT 5000) recent GROUP BY category ORDER BY n DESC, category COLLATE \"C\" LIMIT ?",
        PgParams{} << limit);
    std::vector<CompletionItem> out;
    for (int i = 0; i < r.rows(); ++i) {
      const auto n = r.int64(i, 1);
      out.push_back({r.text(i, 0), std::to_string(n) + (n == 1 ? " case" : " cases")});
    }
    return out;
  });
}

std::vector<CompletionItem> PgStore::completion_customers(int limit) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT id, name FROM mend.customers WHERE forgotten_at IS NULL ORDER BY id DESC LIMIT ?",
        PgParams{} << limit);
    std::vector<CompletionItem> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1)});
    return out;
  });
}

Case PgStore::add_note(std::int64_t id, EventKind kind, const std::string& text, Time now) {
  require_note_kind(kind);
  return write([&] {
    status_of(id);
    insert_event(id, now, kind, text);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

Case PgStore::resolve_case(std::int64_t id, const ResolveInput& in, Time now) {
  const auto& r = in.resolution;
  return write([&] {
    const auto status = status_of(id);
    if (status != Status::open) fail(ErrorKind::data, not_open_to_resolve(id, status));
    const bool closes = !in.followup_at;
    conn_.exec(
        "UPDATE mend.cases SET status = ?, resolved_at = ?, followup_at = ?, closed_at = ?, "
        "outcome = ?, resolution_text = ?, amount_cents = ?, currency = ?, fault = ?, cause = ?, "
        "satisfaction = NULL, followup_done_at = NULL WHERE id = ?",
        PgParams{} << (closes ? Status::closed : Status::resolved) << static_cast<std::int64_t>(now)
                   << in.followup_at << (closes ? std::optional<std::int64_t>(now) : std::nullopt)
                   << r.outcome << r.text << r.amount_cents << r.currency << r.fault << r.cause
                   << id);
    insert_event(id, now, EventKind::resolved, resolved_event_text(in));
    if (in.followup_at)
      insert_event(id, now, EventKind::followup_scheduled,
                   "follow-up due " + event_stamp(*in.followup_at));
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

Case PgStore::reopen_case(std::int64_t id, const std::string& reason, Time now) {
  return write([&] {
    if (status_of(id) == Status::open) fail(ErrorKind::data, open_already(id));
    conn_.exec(
        "UPDATE mend.cases SET status = 'open', resolved_at = NULL, followup_at = NULL, "
        "closed_at = NULL, outcome = NULL, resolution_text = NULL, amount_cents = NULL, "
        "currency = NULL, fault = NULL, cause = NULL, satisfaction = NULL, "
        "followup_done_at = NULL WHERE id = ?",
        PgParams{} << id);
    insert_event(id, now, EventKind::reopened, reason);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

EditResult PgStore::edit_case(std::int64_t id, const CaseEdit& e, Time now) {
  return write([&] {
    const Case before = read_case(id, false);
    EditPlan plan = plan_edit(before, e);
    std::vector<std::string>& changes = plan.changes;
    for (const auto& [column, value] : plan.columns)  // plan_edit's own column names
      conn_.exec(std::string("UPDATE mend.cases SET ") + column + " = ? WHERE id = ?",
                 PgParams{} << value << id);
    if (plan.due_at)
      conn_.exec("UPDATE mend.cases SET due_at = ? WHERE id = ?",
                 PgParams{} << static_cast<std::int64_t>(*plan.due_at) << id);
    if (plan.email)
      conn_.exec("UPDATE mend.customers SET email = ? WHERE id = ?",
                 PgParams{} << *plan.email << before.customer.id);
    if (plan.phone)
      conn_.exec("UPDATE mend.customers SET phone = ?, phone_key = ? WHERE id = ?",
                 PgParams{} << *plan.phone
                            << (*plan.phone ? std::optional<std::string>(phone_key(**plan.phone))
                                            : std::nullopt)
                            << before.customer.id);
    for (const auto& tag : e.add_tags) {
      auto r = conn_.exec(
          "INSERT INTO mend.case_tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
          PgParams{} << id << tag);
      if (r.affected() > 0) changes.push_back("tag: +" + tag);
    }
    for (const auto& tag : e.remove_tags) {
      auto r = conn_.exec(
          "DELETE FROM mend.case_tags WHERE case_id = ? AND lower(tag COLLATE \"C\") = "
          "lower(?::text COLLATE \"C\")",
          PgParams{} << id << tag);
      if (r.affected() > 0) changes.push_back("tag: -" + tag);
    }
    if (!changes.empty()) insert_event(id, now, EventKind::edited, edited_event_text(changes));
    EditResult result{read_case(id, true), std::move(changes)};
    check_case(result.updated, ErrorKind::data);
    return result;
  });
}

Case PgStore::assign_case(std::int64_t id, const std::optional<std::string>& owner, Time now,
                          bool* changed) {
  return write([&] {
    auto q = conn_.exec("SELECT owner FROM mend.cases WHERE id = ?", PgParams{} << id);
    if (q.rows() == 0) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    const auto before = q.opt_text(0, 0);
    const bool same = before.has_value() == owner.has_value() &&
                      (!owner || lowercase(*before) == lowercase(*owner));
    if (changed) *changed = !same;
    if (!same) {
      conn_.exec("UPDATE mend.cases SET owner = ? WHERE id = ?", PgParams{} << owner << id);
      insert_event(id, now, EventKind::assigned, assigned_event_text(before, owner));
    }
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    return result;
  });
}

}  // namespace mend
