#include "core/store.hpp"
#include "core/limits.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

// The columns every case query selects, in this order (see case_from_row).
constexpr const char* kCaseColumns =
    "c.id, c.status, c.summary, c.complaint, c.wants, c.channel, c.category, c.priority, "
    "c.reference, c.opened_at, c.due_at, c.resolved_at, c.followup_at, c.closed_at, "
    "c.outcome, c.resolution_text, c.amount_cents, c.currency, c.fault, c.cause, "
    "c.satisfaction, u.id, u.name, u.email, u.phone, "
    "(SELECT group_concat(tag, char(31)) FROM case_tags t WHERE t.case_id = c.id)";

Case case_from_row(SQLite::Statement& st) {
  Case c;
  c.id = st.getColumn(0).getInt64();
  c.status = st.getColumn(1).getString();
  c.summary = st.getColumn(2).getString();
  c.complaint = opt_text(st.getColumn(3));
  c.wants = opt_text(st.getColumn(4));
  c.channel = st.getColumn(5).getString();
  c.category = st.getColumn(6).getString();
  c.priority = st.getColumn(7).getString();
  c.reference = opt_text(st.getColumn(8));
  c.opened_at = st.getColumn(9).getInt64();
  c.due_at = opt_time(st.getColumn(10));
  c.resolved_at = opt_time(st.getColumn(11));
  c.followup_at = opt_time(st.getColumn(12));
  c.closed_at = opt_time(st.getColumn(13));
  if (!st.getColumn(14).isNull()) {
    Resolution r;
    r.outcome = st.getColumn(14).getString();
    r.text = opt_text(st.getColumn(15));
    r.amount_cents = opt_time(st.getColumn(16));
    r.currency = st.getColumn(17).isNull() ? "USD" : st.getColumn(17).getString();
    r.fault = st.getColumn(18).isNull() ? "unknown" : st.getColumn(18).getString();
    r.cause = opt_text(st.getColumn(19));
    c.resolution = std::move(r);
  }
  if (!st.getColumn(20).isNull()) c.satisfaction = st.getColumn(20).getInt();
  c.customer.id = st.getColumn(21).getInt64();
  c.customer.name = st.getColumn(22).getString();
  c.customer.email = opt_text(st.getColumn(23));
  c.customer.phone = opt_text(st.getColumn(24));
  if (!st.getColumn(25).isNull()) {
    const std::string joined = st.getColumn(25).getString();
    std::size_t start = 0;
    for (;;) {
      const auto sep = joined.find('\x1f', start);
      c.tags.push_back(joined.substr(start, sep - start));
      if (sep == std::string::npos) break;
      start = sep + 1;
    }
    std::sort(c.tags.begin(), c.tags.end());
  }
  return c;
}

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

// Shared with the other store modules through store_rows.hpp.
const char* case_columns() {
  return kCaseColumns;
}
Case case_from_statement(SQLite::Statement& st) {
  return case_from_row(st);
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n\f\v");
  return std::string(s.substr(b, e - b + 1));
}

std::string phone_key(std::string_view phone) {
  std::string key;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) key += c;
  }
  if (key.empty()) return lowercase(trimmed(phone));
  return key;
}

std::optional<std::int64_t> Store::find_customer(const NewCase& in) {
  std::optional<std::int64_t> found;
  if (in.email) {
    SQLite::Statement q(db_,
                        "SELECT id FROM customers WHERE email = ? COLLATE NOCASE "
                        "AND forgotten_at IS NULL ORDER BY id DESC LIMIT 1");
    q.bind(1, *in.email);
    if (q.executeStep()) found = q.getColumn(0).getInt64();
  }
  if (!found && in.phone) {
    SQLite::Statement q(db_,
                        "SELECT id FROM customers WHERE phone_key = ? AND forgotten_at IS NULL "
                        "ORDER BY id DESC LIMIT 1");
    q.bind(1, phone_key(*in.phone));
    if (q.executeStep()) found = q.getColumn(0).getInt64();
  }
  if (!found) {
    // Same name, and nothing on file that contradicts what was given.
    SQLite::Statement q(db_,
                        "SELECT id FROM customers WHERE name = ? COLLATE NOCASE "
                        "AND forgotten_at IS NULL "
                        "AND (?2 IS NULL OR email IS NULL OR email = ?2 COLLATE NOCASE) "
                        "AND (?3 IS NULL OR phone_key IS NULL OR phone_key = ?3) "
                        "ORDER BY id DESC LIMIT 1");
    q.bind(1, in.customer_name);
    bind_opt(q, 2, in.email);
    bind_opt(q, 3, in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
    if (q.executeStep()) found = q.getColumn(0).getInt64();
  }
  return found;
}

std::int64_t Store::find_or_create_customer(const NewCase& in, Time now, bool importing) {
  const auto found = find_customer(in);
  if (found) {
    // What was given fills what is empty; nothing on file is overwritten.
    // The customer's words are in each of their cases' search documents, so
    // those are updated too, when something is filled.
    SQLite::Statement fills(db_,
                            "SELECT (email IS NULL AND ?2 IS NOT NULL) OR "
                            "(phone IS NULL AND ?3 IS NOT NULL) FROM customers WHERE id = ?1");
    fills.bind(1, *found);
    bind_opt(fills, 2, in.email);
    bind_opt(fills, 3, in.phone);
    if (!fills.executeStep() || fills.getColumn(0).getInt() == 0) return *found;
    fills.reset();
    auto search = SearchUpdate::of_customer(db_, *found, importing);
    SQLite::Statement fill(db_,
                           "UPDATE customers SET email = coalesce(email, ?2), "
                           "phone = coalesce(phone, ?3), phone_key = coalesce(phone_key, ?4) "
                           "WHERE id = ?1");
    fill.bind(1, *found);
    bind_opt(fill, 2, in.email);
    bind_opt(fill, 3, in.phone);
    bind_opt(fill, 4, in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
    fill.exec();
    search.done();
    return *found;
  }
  SQLite::Statement ins(db_,
                        "INSERT INTO customers (name, email, phone, phone_key, created_at) "
                        "VALUES (?, ?, ?, ?, ?)");
  ins.bind(1, in.customer_name);
  bind_opt(ins, 2, in.email);
  bind_opt(ins, 3, in.phone);
  bind_opt(ins, 4, in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
  ins.bind(5, static_cast<std::int64_t>(now));
  ins.exec();
  const auto id = db_.getLastInsertRowid();
  if (id > kMaxId)
    fail(ErrorKind::data, "no customer id is left: ids go up to " + std::to_string(kMaxId));
  return id;
}

Case Store::open_case(const NewCase& in, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto customer_id = find_or_create_customer(in, now);
    SQLite::Statement ins(db_,
                          "INSERT INTO cases (customer_id, status, summary, complaint, wants, "
                          "channel, category, priority, reference, opened_at, due_at) "
                          "VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, customer_id);
    ins.bind(2, in.summary);
    bind_opt(ins, 3, in.complaint);
    bind_opt(ins, 4, in.wants);
    ins.bind(5, in.channel);
    ins.bind(6, in.category);
    ins.bind(7, in.priority);
    bind_opt(ins, 8, in.reference);
    ins.bind(9, static_cast<std::int64_t>(now));
    bind_opt(ins, 10, in.due_at);
    ins.exec();
    const auto id = db_.getLastInsertRowid();
    if (id > kMaxId)
      fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
    SQLite::Statement tag(db_, "INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES (?, ?)");
    for (const auto& t : in.tags) {
      tag.bind(1, id);
      tag.bind(2, t);
      tag.exec();
      tag.reset();
    }
    SQLite::Statement ev(db_,
                         "INSERT INTO events (case_id, at, kind, text) VALUES (?, ?, 'opened', ?)");
    ev.bind(1, id);
    ev.bind(2, static_cast<std::int64_t>(now));
    ev.bind(3, in.summary);
    ev.exec();
    NewCaseIndexer(db_).add(id);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

Case Store::read_case(std::int64_t id, bool with_events) {
  SQLite::Statement q(db_, std::string("SELECT ") + kCaseColumns +
                               " FROM cases c JOIN customers u ON u.id = c.customer_id "
                               "WHERE c.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) {
    // Not there, or there without its customer (a damaged file): never "no case".
    SQLite::Statement bare(db_, "SELECT 1 FROM cases WHERE id = ?");
    bare.bind(1, id);
    if (bare.executeStep()) throw missing_customer(path_, id, "it cannot be shown");
    fail(ErrorKind::not_found, "no case #" + std::to_string(id));
  }
  Case c = case_from_row(q);
  if (with_events) {
    SQLite::Statement ev(db_,
                         "SELECT id, at, kind, text FROM events WHERE case_id = ? ORDER BY id");
    ev.bind(1, id);
    while (ev.executeStep()) {
      c.events.push_back(Event{ev.getColumn(0).getInt64(), ev.getColumn(1).getInt64(),
                               ev.getColumn(2).getString(), ev.getColumn(3).getString()});
    }
    c.attachments = read_attachments(id);
  }
  return c;
}

Case Store::get_case(std::int64_t id) {
  return guarded(path_, [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    return read_case(id, true);
  });
}

std::vector<HistoryItem> Store::customer_history(std::int64_t customer_id,
                                                 std::int64_t except_case) {
  return guarded(path_, [&] {
    SQLite::Statement q(db_,
                        "SELECT id, status, summary, opened_at FROM cases "
                        "WHERE customer_id = ? AND id <> ? ORDER BY opened_at DESC, id DESC");
    q.bind(1, customer_id);
    q.bind(2, except_case);
    std::vector<HistoryItem> out;
    while (q.executeStep()) {
      out.push_back(HistoryItem{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                q.getColumn(2).getString(), q.getColumn(3).getInt64()});
    }
    return out;
  });
}

std::vector<Case> Store::list_cases(const ListFilter& f, Time now) {
  std::vector<Case> out;
  each_case(f, now, 1, [&](int, const Case& c) { out.push_back(c); });
  return out;
}

void Store::each_case(const ListFilter& f, Time now, int passes,
                      const std::function<void(int pass, const Case&)>& each,
                      const std::function<void()>& between) {
  guarded(path_, [&] {
    // LEFT JOIN, so that a case whose customer is missing (a damaged file) is
    // not left out silently, except when filtering on the customer, which such
    // a case cannot match (and the plain join lets SQLite start from them).
    std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases c " +
                      (f.customer ? "JOIN" : "LEFT JOIN") +
                      " customers u ON u.id = c.customer_id WHERE 1";
    // Each filter adds a fixed fragment; values are always bound.
    std::vector<std::function<void(SQLite::Statement&, int&)>> binds;
    auto add_text = [&](const char* fragment, std::string value) {
      sql += fragment;
      binds.push_back([value](SQLite::Statement& st, int& i) { st.bind(++i, value); });
    };
    if (f.status) add_text(" AND c.status = ?", *f.status);
    if (f.category) add_text(" AND c.category = ?", lowercase(*f.category));
    if (f.channel) add_text(" AND c.channel = ?", *f.channel);
    if (f.tag)
      add_text(" AND EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag = ?)",
               *f.tag);
    if (f.customer) {
      if (all_digits(*f.customer)) {
        add_text(" AND u.id = CAST(? AS INTEGER)", *f.customer);
      } else {
        add_text(" AND (u.email = ? COLLATE NOCASE", *f.customer);
        // instr, not LIKE: a LIKE pattern over 50,000 bytes is an SQLite error.
        // lower() folds ASCII only, as LIKE did.
        add_text(" OR instr(lower(u.name), lower(?)) > 0)", *f.customer);
      }
    }
    auto add_time = [&](const char* fragment, Time value) {
      sql += fragment;
      binds.push_back([value](SQLite::Statement& st, int& i) {
        st.bind(++i, static_cast<std::int64_t>(value));
      });
    };
    if (f.overdue) add_time(" AND c.status = 'open' AND c.due_at < ?", now);
    if (f.since) add_time(" AND c.opened_at >= ?", *f.since);
    if (f.until) add_time(" AND c.opened_at < ?", *f.until);
    sql += " ORDER BY c.opened_at DESC, c.id DESC";
    if (f.limit) {
      sql += " LIMIT ?";
      const std::int64_t limit = *f.limit;
      binds.push_back([limit](SQLite::Statement& st, int& i) { st.bind(++i, limit); });
    }
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_, sql);
    int index = 0;
    for (auto& b : binds)
      b(q, index);
    for (int pass = 0; pass < passes; ++pass) {
      if (pass > 0 && between) between();
      q.reset();
      while (q.executeStep()) {
        // Column 21 is u.id, NULL when the LEFT JOIN found no customer.
        if (q.getColumn(21).isNull())
          throw missing_customer(path_, q.getColumn(0).getInt64(), "it cannot be listed");
        each(pass, case_from_row(q));
      }
    }
  });
}

}  // namespace mend
