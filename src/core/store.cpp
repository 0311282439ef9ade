#include "core/limits.hpp"
#include "core/sqlite_store.hpp"

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
    "(SELECT group_concat(tag, char(31)) FROM case_tags t WHERE t.case_id = c.id), c.owner";

Case case_from_row(SQLite::Statement& st) {
  Case c;
  c.id = st.getColumn(0).getInt64();
  c.status = word_of<Status>(st.getColumn(1));
  c.summary = st.getColumn(2).getString();
  c.complaint = opt_text(st.getColumn(3));
  c.wants = opt_text(st.getColumn(4));
  c.channel = word_of<Channel>(st.getColumn(5));
  c.category = st.getColumn(6).getString();
  c.priority = word_of<Priority>(st.getColumn(7));
  c.reference = opt_text(st.getColumn(8));
  c.opened_at = st.getColumn(9).getInt64();
  c.due_at = opt_time(st.getColumn(10));
  c.resolved_at = opt_time(st.getColumn(11));
  c.followup_at = opt_time(st.getColumn(12));
  c.closed_at = opt_time(st.getColumn(13));
  if (!st.getColumn(14).isNull()) {
    Resolution r;
    r.outcome = word_of<Outcome>(st.getColumn(14));
    r.text = opt_text(st.getColumn(15));
    r.amount_cents = opt_time(st.getColumn(16));
    r.currency = st.getColumn(17).isNull() ? "USD" : st.getColumn(17).getString();
    r.fault = st.getColumn(18).isNull() ? Fault::unknown : word_of<Fault>(st.getColumn(18));
    r.cause = opt_text(st.getColumn(19));
    c.resolution = std::move(r);
  }
  if (!st.getColumn(20).isNull()) c.satisfaction = st.getColumn(20).getInt();
  c.customer.id = st.getColumn(21).getInt64();
  c.customer.name = st.getColumn(22).getString();
  c.customer.email = opt_text(st.getColumn(23));
  c.customer.phone = opt_text(st.getColumn(24));
  if (!st.getColumn(25).isNull()) c.tags = split_tags(st.getColumn(25).getString());
  c.owner = opt_text(st.getColumn(26));
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

std::vector<Event> events_of(SQLite::Statement& q, std::int64_t case_id) {
  std::vector<Event> out;
  q.reset();
  q.bind(1, case_id);
  while (q.executeStep()) {
    Event e;
    e.id = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getInt64();
    e.kind = word_of<EventKind>(q.getColumn(2));
    e.text = q.getColumn(3).getString();
    e.by = opt_text(q.getColumn(4));
    if (!q.getColumn(9).isNull()) {
      Message m;
      m.id = opt_text(q.getColumn(5));
      m.from = opt_text(q.getColumn(6));
      m.to = opt_text(q.getColumn(7));
      m.subject = opt_text(q.getColumn(8));
      m.direction = word_of<Direction>(q.getColumn(9));
      e.message = std::move(m);
    }
    out.push_back(std::move(e));
  }
  return out;
}

void insert_event(SQLite::Database& db, std::int64_t case_id, Time at, EventKind kind,
                  const std::string& text, const std::optional<std::string>& by,
                  const std::optional<Message>& message) {
  SQLite::Statement ev(db,
                       "INSERT INTO events (case_id, at, kind, text, author, message_id, "
                       "message_from, message_to, message_subject, message_direction) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ev.bind(1, case_id);
  ev.bind(2, static_cast<std::int64_t>(at));
  bind_word(ev, 3, kind);
  ev.bind(4, text);
  bind_opt(ev, 5, by);
  if (message) {
    bind_opt(ev, 6, message->id);
    bind_opt(ev, 7, message->from);
    bind_opt(ev, 8, message->to);
    bind_opt(ev, 9, message->subject);
    bind_word(ev, 10, message->direction);
  } else {
    for (int i = 6; i <= 10; ++i)
      ev.bind(i);
  }
  ev.exec();
  if (message && message->id) {
    SQLite::Statement seen(db, "INSERT OR IGNORE INTO mail_seen (key, case_id) VALUES (?, ?)");
    seen.bind(1, *message->id);
    seen.bind(2, case_id);
    seen.exec();
  }
}
Case case_from_statement(SQLite::Statement& st) {
  return case_from_row(st);
}

namespace {

// Digits and what people write between them: "+44 (0)7700 900-123".
bool looks_like_phone(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789 +-().") == std::string_view::npos;
}

// Fewer digits than this are a customer id, not a part of a phone number.
constexpr std::size_t kPhoneDigits = 5;

}  // namespace

CaseConditions::CaseConditions(const StatusSet& statuses,
                               const std::optional<std::string>& customer, const OwnerFilter& owner,
                               std::optional<Time> since, std::optional<Time> until) {
  this->statuses(statuses);
  if (customer) this->customer(*customer);
  this->owner(owner);
  if (since) opened_since(*since);
  if (until) opened_until(*until);
}

CaseConditions CaseConditions::of_list(const ListFilter& f, Time now) {
  CaseConditions c(f.statuses, f.customer, f.owner, f.since, f.until);
  if (f.category) c.add(" AND c.category = ?", lowercase(*f.category));
  if (f.channel) c.add(" AND c.channel = ?", std::string(spelling(*f.channel)));
  if (f.tag)  // case_tags.tag is NOCASE
    c.add(" AND EXISTS (SELECT 1 FROM case_tags t WHERE t.case_id = c.id AND t.tag = ?)", *f.tag);
  if (f.overdue) c.add(" AND c.status = 'open' AND c.due_at < ?", static_cast<std::int64_t>(now));
  return c;
}

void CaseConditions::add(const char* fragment, std::string value) {
  sql_ += fragment;
  values_.emplace_back(std::move(value));
}

void CaseConditions::add(const char* fragment, std::int64_t value) {
  sql_ += fragment;
  values_.emplace_back(value);
}

void CaseConditions::statuses(const StatusSet& statuses) {
  sql_ += status_condition("c.status", statuses);
  for (const auto& status : statuses)
    values_.emplace_back(std::string(spelling(status)));
}

void CaseConditions::customer(const std::string& who) {
  const std::string digits = phone_key(who);
  if (all_digits(who)) {
    add(" AND (u.id = CAST(? AS INTEGER)", who);
    // A longer number is more likely a part of a phone number: either matches.
    if (digits.size() >= kPhoneDigits) add(" OR instr(u.phone_key, ?) > 0", digits);
  } else {
    // A part of the name or of the email, case-insensitively. instr, not
    // LIKE: a LIKE pattern over 50,000 bytes is an SQLite error. lower()
    // folds ASCII only.
    add(" AND (instr(lower(u.name), lower(?)) > 0", who);
    add(" OR instr(lower(u.email), lower(?)) > 0", who);
    // A part of the phone number, written any way ("900 123" finds
    // +44 7700 900123): its digits within the stored digits.
    if (looks_like_phone(who) && digits.size() >= kPhoneDigits)
      add(" OR instr(u.phone_key, ?) > 0", digits);
  }
  sql_ += ")";
}

void CaseConditions::owner(const OwnerFilter& owner) {
  if (!owner) return;
  if (*owner) {
    add(" AND c.owner = ? COLLATE NOCASE", **owner);
  } else {
    sql_ += " AND c.owner IS NULL";
  }
}

void CaseConditions::opened_since(Time since) {
  add(" AND c.opened_at >= ?", static_cast<std::int64_t>(since));
}

void CaseConditions::opened_until(Time until) {
  add(" AND c.opened_at < ?", static_cast<std::int64_t>(until));
}

int CaseConditions::bind(SQLite::Statement& st, int index) const {
  for (const auto& v : values_)
    std::visit([&](const auto& value) { st.bind(++index, value); }, v);
  return index;
}

SqliteStore::~SqliteStore() = default;

void SqliteStore::index_new_case(std::int64_t id) {
  if (!new_cases_) new_cases_ = std::make_unique<NewCaseIndexer>(db_);
  new_cases_->add(id);
}

std::optional<std::int64_t> SqliteStore::find_customer(const NewCase& in) {
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

std::int64_t SqliteStore::find_or_create_customer(const NewCase& in, Time now, bool importing) {
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

std::int64_t SqliteStore::create_case(const NewCase& in, Time opened_at, Time now) {
  const auto customer_id = find_or_create_customer(in, now);
  SQLite::Statement ins(db_,
                        "INSERT INTO cases (customer_id, status, summary, complaint, wants, "
                        "channel, category, priority, reference, opened_at, due_at, owner) "
                        "VALUES (?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, customer_id);
  ins.bind(2, in.summary);
  bind_opt(ins, 3, in.complaint);
  bind_opt(ins, 4, in.wants);
  bind_word(ins, 5, in.channel);
  ins.bind(6, in.category);
  bind_word(ins, 7, in.priority);
  bind_opt(ins, 8, in.reference);
  ins.bind(9, static_cast<std::int64_t>(opened_at));
  bind_opt(ins, 10, in.due_at);
  bind_opt(ins, 11, in.owner);
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
  insert_event(db_, id, opened_at, EventKind::opened, in.summary, user_);
  return id;
}

Case SqliteStore::open_case(const NewCase& in, Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto id = create_case(in, now, now);
    index_new_case(id);
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);  // what is stored can be exported and imported
    tx.commit();
    return result;
  });
}

Case SqliteStore::read_case(std::int64_t id, bool with_events) {
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
    SQLite::Statement ev(db_, kEventsOfCase);
    c.events = events_of(ev, id);
    c.attachments = read_attachments(id);
  }
  return c;
}

Case SqliteStore::get_case(std::int64_t id) {
  return guarded(path_, [&] {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    return read_case(id, true);
  });
}

std::vector<HistoryItem> SqliteStore::customer_history(std::int64_t customer_id,
                                                       std::int64_t except_case) {
  return guarded(path_, [&] {
    SQLite::Statement q(db_,
                        "SELECT id, status, summary, opened_at FROM cases "
                        "WHERE customer_id = ? AND id <> ? ORDER BY opened_at DESC, id DESC");
    q.bind(1, customer_id);
    q.bind(2, except_case);
    std::vector<HistoryItem> out;
    while (q.executeStep()) {
      out.push_back(HistoryItem{q.getColumn(0).getInt64(), word_of<Status>(q.getColumn(1)),
                                q.getColumn(2).getString(), q.getColumn(3).getInt64()});
    }
    return out;
  });
}

void SqliteStore::each_case(const ListFilter& f, Time now, int passes,
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
    const CaseConditions conditions = CaseConditions::of_list(f, now);
    sql += conditions.sql();
    sql += " ORDER BY c.opened_at DESC, c.id DESC";
    if (f.limit) sql += " LIMIT ?";
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_, sql);
    const int last = conditions.bind(q, 0);
    if (f.limit) q.bind(last + 1, *f.limit);
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
