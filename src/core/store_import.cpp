// The SQLite bulk load: SqliteStore::import_cases and its Importer
// (store_import.hpp). The JSON Lines reader is import_reader.cpp.
#include "core/store_import.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "core/import_reader.hpp"
#include "core/limits.hpp"
#include "core/pipeline.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"
#include "core/wal_buffer.hpp"

namespace mend {
namespace {

void bind_text(SQLite::Statement& st, int index, const std::optional<std::string>& v) {
  if (v) {
    st.bindNoCopy(index, *v);
  } else {
    st.bind(index);
  }
}

constexpr const char* kCaseColumns =
    "id, customer_id, status, summary, complaint, wants, channel, category, priority, "
    "reference, opened_at, due_at, resolved_at, followup_at, closed_at, outcome, "
    "resolution_text, amount_cents, currency, fault, cause, satisfaction, "
    "followup_done_at, owner";

// A case's columns (kCaseColumns) from parameter `first` on; an empty id
// takes the next one from the sequence. The strings must outlive the
// statement's execution.
void bind_case(SQLite::Statement& st, int first, const Case& c, std::optional<std::int64_t> id,
               std::int64_t customer_id) {
  const auto at = [&](int column) { return first + column - 1; };
  bind_opt(st, at(1), id);
  st.bind(at(2), customer_id);
  bind_word(st, at(3), c.status);
  st.bindNoCopy(at(4), c.summary);
  bind_text(st, at(5), c.complaint);
  bind_text(st, at(6), c.wants);
  bind_word(st, at(7), c.channel);
  st.bindNoCopy(at(8), c.category);
  bind_word(st, at(9), c.priority);
  bind_text(st, at(10), c.reference);
  st.bind(at(11), static_cast<std::int64_t>(c.opened_at));
  bind_opt(st, at(12), c.due_at);
  bind_opt(st, at(13), c.resolved_at);
  bind_opt(st, at(14), c.followup_at);
  bind_opt(st, at(15), c.closed_at);
  if (c.resolution) {
    const auto& r = *c.resolution;
    bind_word(st, at(16), r.outcome);
    bind_text(st, at(17), r.text);
    bind_opt(st, at(18), r.amount_cents);
    st.bindNoCopy(at(19), r.currency);
    bind_word(st, at(20), r.fault);
    bind_text(st, at(21), r.cause);
  } else {
    for (int i = 16; i <= 21; ++i)
      st.bind(at(i));
  }
  if (c.satisfaction) {
    st.bind(at(22), static_cast<std::int64_t>(*c.satisfaction));
  } else {
    st.bind(at(22));
  }
  bind_opt(st, at(23), followup_done_at(c));
  bind_text(st, at(24), c.owner);
}

bool database_is_empty(SQLite::Database& db) {
  return db.execAndGet(
               "SELECT NOT EXISTS (SELECT 1 FROM customers) AND "
               "NOT EXISTS (SELECT 1 FROM cases)")
             .getInt() != 0;
}

}  // namespace

ImportSummary SqliteStore::import_cases(const LineReader& read_line, const std::string& source,
                                        Time now,
                                        const std::function<void(const Reassignment&)>& reassigned,
                                        const std::optional<std::string>& files_dir) {
  return guarded(path_, [&] {
    require_writable();
    Importer importer(*this, db_, now, files_dir);
    return importer.run(read_line, source, reassigned);
  });
}

bool IdBitmap::has(std::int64_t id) const {
  const auto word = static_cast<std::size_t>(id >> 6);
  return fits(id) && word < words_.size() && ((words_[word] >> (id & 63)) & 1);
}

void IdBitmap::add(std::int64_t id) {
  const auto word = static_cast<std::size_t>(id >> 6);
  if (word >= words_.size()) words_.resize(std::max(word + 1, words_.size() * 2));
  words_[word] |= std::uint64_t{1} << (id & 63);
}

// A bigger page cache for the one long transaction: the index pages it keeps
// touching stay in memory instead of spilling to the WAL and being read back
// (peak memory stays under 64 MiB: 54 MiB for a million cases, with the
// parsing thread's batches).
// The reader has already checked every value the table's CHECK constraints
// test (status, satisfaction), and SQLite evaluates `status IN (...)` by
// building a temporary b-tree for every row, about a tenth of an import's
// instructions. Both settings are per connection.
BulkSettings::BulkSettings(SQLite::Database& db)
    : db_(db), cache_size_(db.execAndGet("PRAGMA cache_size").getInt64()) {
  db_.exec("PRAGMA cache_size=-24576");
  db_.exec("PRAGMA ignore_check_constraints=ON");
}

BulkSettings::~BulkSettings() {
  try {
    db_.exec("PRAGMA ignore_check_constraints=OFF");
    db_.exec("PRAGMA cache_size=" + std::to_string(cache_size_));
  } catch (...) {  // the connection is closing; nothing to restore then
  }
}

// The sorts behind CREATE INDEX take as much memory as the page cache again:
// a smaller cache for them keeps the import's peak well under 64 MiB.
void BulkSettings::for_index_builds() {
  db_.exec("PRAGMA cache_size=-12288");
}

// The frames of the one long transaction reach the WAL file in 124 KiB
// writes instead of two small ones each; written out before the commit's
// sync. Nothing happens on a connection that is not on the buffering VFS.
WalBuffering::WalBuffering(SQLite::Database& db) : db_(db) {
  set_wal_buffering(db_.getHandle(), true);
}

WalBuffering::~WalBuffering() {
  set_wal_buffering(db_.getHandle(), false);
}

// Per-import state lives in temporary tables, not in memory: a million
// customers or reassignments cost disk pages, not RAM.
ImportTables::ImportTables(SQLite::Database& db) : db_(db) {
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS import_customers "
      "(old INTEGER PRIMARY KEY, new INTEGER NOT NULL);"
      "CREATE TEMP TABLE IF NOT EXISTS import_reassigned "
      "(seq INTEGER PRIMARY KEY, what TEXT NOT NULL, old INTEGER NOT NULL, new INTEGER NOT "
      "NULL);"
      "CREATE TEMP TABLE IF NOT EXISTS import_deferred "
      "(seq INTEGER PRIMARY KEY, line_no INTEGER NOT NULL, line TEXT NOT NULL);"
      "DELETE FROM temp.import_customers; DELETE FROM temp.import_reassigned; "
      "DELETE FROM temp.import_deferred;");
}

ImportTables::~ImportTables() {
  try {
    db_.exec(
        "DROP TABLE IF EXISTS temp.import_customers; DROP TABLE IF EXISTS temp.import_reassigned; "
        "DROP TABLE IF EXISTS temp.import_deferred;");
  } catch (...) {  // the connection is closing; the tables go with it
  }
}

// With foreign keys deferred, and OR FAIL on the inserts (any failure ends
// the import anyway), an insert into events can never need undoing on its
// own, so SQLite keeps no statement journal for it (a copy of each page the
// statement changes). Inserts into cases and customers still keep one, as
// tables other rows point at. A broken key fails the commit, and the import
// rolls back whole.
DeferredForeignKeys::DeferredForeignKeys(SQLite::Database& db) {
  db.exec("PRAGMA defer_foreign_keys=ON");
}

// Into an empty database (a restore, a move to a new machine), the indexes
// whose keys arrive in random order (customer ids, emails, phones, names) are
// dropped and built again at the end, by one sort each, inside the same
// transaction. Kept up row by row they are a working set of about 30 MiB per
// million cases, more than the page cache, and the import spent a third of
// its time re-reading pages. Only an empty database: there no customer id is
// ever taken, so the matching that reads these indexes never runs mid-import.
DroppedIndexes::DroppedIndexes(SQLite::Database& db, bool drop) : db_(db) {
  if (!drop) return;
  SQLite::Statement q(db_,
                      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                      "('cases_by_customer', 'customers_by_email', 'customers_by_phone', "
                      "'customers_by_name')");
  std::vector<std::string> names;
  while (q.executeStep()) {
    names.push_back(q.getColumn(0).getString());
    sql_.push_back(q.getColumn(1).getString());
  }
  q.reset();
  for (const auto& name : names)
    db_.exec("DROP INDEX \"" + name + "\"");
}

void DroppedIndexes::rebuild() {
  for (const auto& sql : sql_)
    db_.exec(sql);
  sql_.clear();
}

// Rows go in many to a statement. SQLite's cost per statement (start, a
// cursor opened on the table and on each index and every one sought from the
// root, the AUTOINCREMENT bookkeeping, halt) outweighs a row's, and within
// one statement each cursor stays where the last row left it, so the next row
// of a rising key is placed without a search.
Importer::Importer(SqliteStore& store, SQLite::Database& db, Time now,
                   const std::optional<std::string>& files_dir)
    : store_(store),
      db_(db),
      now_(now),
      files_dir_(files_dir),
      settings_(db),
      buffering_(db),
      tables_(db),
      tx_(db, SQLite::TransactionBehavior::IMMEDIATE),
      deferred_keys_(db),
      empty_before_(database_is_empty(db)),
      indexes_(db, empty_before_),
      defer_(db, "INSERT INTO temp.import_deferred (line_no, line) VALUES (?, ?)"),
      mapped_(db, "SELECT new FROM temp.import_customers WHERE old = ?"),
      map_(db, "INSERT INTO temp.import_customers (old, new) VALUES (?, ?)"),
      note_(db, "INSERT INTO temp.import_reassigned (what, old, new) VALUES (?, ?, ?)"),
      customer_exists_(db, "SELECT 1 FROM customers WHERE id = ?"),
      case_exists_(db, "SELECT 1 FROM cases WHERE id = ?"),
      add_customer_(db,  // under the next free id
                    "INSERT INTO customers (name, email, phone, phone_key, created_at, "
                    "forgotten_at) VALUES (?, ?, ?, ?, ?, ?)"),
      add_case_(db, std::string("INSERT INTO cases (") + kCaseColumns +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"),
      // Every imported Message-ID is known afterwards, so `mend mail` never
      // takes the same message twice; one already recorded keeps its case.
      seen_insert_(db, "INSERT OR IGNORE INTO mail_seen (key, case_id) VALUES (?, ?)"),
      cases_insert_{std::string("INSERT OR FAIL INTO cases (") + kCaseColumns + ") VALUES ", 24,
                    64},
      events_insert_{
          "INSERT OR FAIL INTO events (case_id, at, kind, text, author, message_id, message_from, "
          "message_to, message_subject, message_direction) VALUES ",
          10, 256},
      tags_insert_{"INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES ", 2, 256},
      customers_insert_{
          "INSERT OR FAIL INTO customers (id, name, email, phone, phone_key, created_at, "
          "forgotten_at) VALUES ",
          7, 64},
      highest_before_(db.execAndGet("SELECT coalesce(max(id), 0) FROM cases").getInt64()) {
  // The search index too is built once at the end, from the rows: a document
  // at a time, even inside this one transaction, made a 100k import twice as
  // slow. Into an empty database, the whole index; into one that holds cases,
  // the new ones (PendingCases), while a customer matched by the import who
  // gains an email or phone has the words of their cases already there
  // updated.
  if (!empty_before_) pending_.emplace(db_);
}

// Inserts n rows, bind_row(statement, first parameter, row) binding each:
// n rows take at most log2(max_rows) + 1 statements.
template <class BindRow>
void Importer::insert_rows(MultiRow& m, std::size_t n, const BindRow& bind_row) {
  for (std::size_t done = 0; done < n;) {
    std::size_t rows = 1;
    std::size_t log = 0;
    while (rows * 2 <= std::min(n - done, m.max_rows)) {
      rows *= 2;
      ++log;
    }
    if (m.by_log.size() <= log) m.by_log.resize(log + 1);
    auto& st = m.by_log[log];
    if (!st) {
      std::string sql = m.head;
      for (std::size_t r = 0; r < rows; ++r) {
        sql += r == 0 ? "(?" : ", (?";
        for (int k = 1; k < m.columns; ++k)
          sql += ", ?";
        sql += ")";
      }
      st = std::make_unique<SQLite::Statement>(db_, sql);
    }
    st->reset();
    for (std::size_t r = 0; r < rows; ++r)
      bind_row(*st, static_cast<int>(1 + r * static_cast<std::size_t>(m.columns)), done + r);
    st->exec();
    done += rows;
  }
}

ImportSummary Importer::run(const LineReader& read_line, const std::string& source,
                            const std::function<void(const Reassignment&)>& reassigned) {
  read_lines(read_line, source);
  place_deferred();
  finish();
  report(reassigned);
  return summary_;
}

// Reading and parsing run on this thread while another writes: they cost
// about a third of the work and the machine has a second core.
void Importer::read_lines(const LineReader& read_line, const std::string& source) {
  const std::function<bool(Parsed&)> next = [&](Parsed& p) {
    while (read_line(p.line)) {
      ++line_no_;
      if (!p.line.empty() && p.line.back() == '\r') p.line.pop_back();
      if (p.line.find_first_not_of(" \t") == std::string::npos) continue;
      try {
        p.c = parse_import_line(p.line);
        if (!p.c.attachments.empty()) check_attachment_files(p.c, files_dir_);
      } catch (const Error& e) {
        fail(e.kind(), source + ":" + std::to_string(line_no_) + ": " + e.what());
      }
      p.line_no = line_no_;
      return true;
    }
    return false;
  };
  const std::function<void(std::span<Parsed>)> write = [&](std::span<Parsed> items) {
    place(items);
  };
  pipelined_batches<Parsed>(next, write);
}

// Case ids above the highest one before the import, and below the bitmap's
// end, can only be taken by this import: such cases wait in `batch_` and go
// in many at a time, a bit set for each id. Others go in one by one, the
// insert itself finding a taken id. A line whose case or customer cannot be
// placed yet waits for the second pass (place_deferred).
void Importer::place(std::span<Parsed> items) {
  for (auto& p : items) {
    if (!customer_fits_now(p.c.customer)) {
      defer_line(p);
      continue;
    }
    const auto id = p.c.id;
    if (id > highest_before_ && IdBitmap::fits(id)) {
      if (batched_ids_.has(id)) {  // an earlier line has it
        place_customer(p.c.customer, p.c.opened_at);
        defer_line(p);
        continue;
      }
      batched_ids_.add(id);
      batch_.push_back(Placed{&p.c, id, place_customer(p.c.customer, p.c.opened_at)});
      continue;
    }
    flush_batch();  // in input order
    if (!insert_case(p.c, place_customer(p.c.customer, p.c.opened_at), true)) defer_line(p);
  }
  flush_batch();  // the items are handed back to the parser after this
}

// The second pass: lines whose id was taken go in under the next free one.
void Importer::place_deferred() {
  SQLite::Statement later(db_, "SELECT line FROM temp.import_deferred ORDER BY seq");
  while (later.executeStep()) {
    const Case c = parse_import_line(later.getColumn(0).getString());
    const auto customer_id = place_customer(c.customer, c.opened_at);
    insert_case(c, customer_id, !row_exists(case_exists_, c.id));
  }
}

void Importer::finish() {
  if (indexes_.any()) settings_.for_index_builds();
  indexes_.rebuild();
  if (empty_before_) rebuild_search_index(db_);
  if (pending_) pending_->index_all();
  tx_.commit();
}

void Importer::report(const std::function<void(const Reassignment&)>& reassigned) {
  SQLite::Statement q(db_, "SELECT what, old, new FROM temp.import_reassigned ORDER BY seq");
  while (q.executeStep()) {
    reassigned(Reassignment{q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                            q.getColumn(2).getInt64()});
  }
}

// Customers placed under their own id are a bitmap over small ids: the
// common case (importing into an empty or unrelated database) then needs no
// lookup per line. Other mappings, and ids past the bitmap, go through the
// temporary table. The id a customer of the input has in the database, if
// already known:
std::optional<std::int64_t> Importer::known(std::int64_t old) {
  if (kept_ids_.has(old)) return old;
  if (mapped_rows_ == 0) return std::nullopt;
  mapped_.reset();
  mapped_.bind(1, old);
  if (mapped_.executeStep()) return mapped_.getColumn(0).getInt64();
  return std::nullopt;
}

void Importer::remember(std::int64_t old, std::int64_t now_id) {
  if (old == now_id && IdBitmap::fits(old)) {
    kept_ids_.add(old);
    return;
  }
  map_.reset();
  map_.bind(1, old);
  map_.bind(2, now_id);
  map_.exec();
  ++mapped_rows_;
}

// Whether the case's customer can be placed now: known, free, or matched.
// Otherwise the line waits for the second pass, so that a new id never takes
// one that is free now but named further down the file.
bool Importer::customer_fits_now(const Customer& in) {
  if (known(in.id)) return true;
  if (!row_exists(customer_exists_, in.id)) {
    found_free_ = in.id;
    return true;
  }
  flush_customers();
  return !is_forgotten_marker(in) && store_.find_customer(match_probe(in)).has_value();
}

// The customer of an imported case: the same one for every line naming the
// same id; a free id is kept; a taken one is matched as `open` matches, or
// gets a new id. A customer kept under its own id waits in new_customers_
// (`in` must stay alive until flush_customers() runs).
std::int64_t Importer::place_customer(const Customer& in, Time created) {
  if (const auto id = known(in.id)) return *id;
  ++summary_.customers;
  const std::optional<std::int64_t> forgotten_at =
      is_forgotten_marker(in) ? std::optional<std::int64_t>(now_) : std::nullopt;
  const bool free = in.id == found_free_ || !row_exists(customer_exists_, in.id);
  found_free_ = 0;
  if (!free) return match_or_add_customer(in, created, forgotten_at);
  new_customers_.push_back(
      NewCustomer{&in, in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt,
                  static_cast<std::int64_t>(created), forgotten_at});
  ++summary_.customers_created;
  remember(in.id, in.id);
  return in.id;
}

// A customer whose id is taken: matched as `open` matches, or added under
// the next free id.
std::int64_t Importer::match_or_add_customer(const Customer& in, Time created,
                                             std::optional<std::int64_t> forgotten_at) {
  flush_customers();  // matching, and the next free id, see every customer so far
  std::optional<std::int64_t> id;
  const NewCase probe = match_probe(in);
  if (!forgotten_at && store_.find_customer(probe)) {
    // Also fills an empty email or phone.
    id = store_.find_or_create_customer(probe, created, /*importing=*/pending_.has_value());
    ++summary_.customers_matched;
  }
  if (!id) {
    add_customer_.reset();
    add_customer_.bind(1, in.name);
    bind_opt(add_customer_, 2, in.email);
    bind_opt(add_customer_, 3, in.phone);
    bind_opt(add_customer_, 4,
             in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
    add_customer_.bind(5, static_cast<std::int64_t>(created));
    bind_opt(add_customer_, 6, forgotten_at);
    add_customer_.exec();
    id = db_.getLastInsertRowid();
    if (*id > kMaxId)
      fail(ErrorKind::data, "no customer id is left: ids go up to " + std::to_string(kMaxId));
    ++summary_.customers_created;
  }
  remember(in.id, *id);
  if (*id != in.id) record("customer", in.id, *id);
  return *id;
}

// New customers go in many at a time, before the first case that names one
// and before any matching reads the table.
void Importer::flush_customers() {
  insert_rows(customers_insert_, new_customers_.size(),
              [&](SQLite::Statement& st, int first, std::size_t row) {
                const auto& n = new_customers_[row];
                st.bind(first, n.c->id);
                st.bindNoCopy(first + 1, n.c->name);
                bind_text(st, first + 2, n.c->email);
                bind_text(st, first + 3, n.c->phone);
                bind_text(st, first + 4, n.phone_key);
                st.bind(first + 5, n.created);
                bind_opt(st, first + 6, n.forgotten_at);
              });
  new_customers_.clear();
}

// Inserts the case under its own id, or (keep_id false) under the next free
// one. False, with nothing written, when keep_id and the id is taken.
bool Importer::insert_case(const Case& c, std::int64_t customer_id, bool keep_id) {
  flush_customers();
  add_case_.reset();
  bind_case(add_case_, 1, c, keep_id ? std::optional<std::int64_t>(c.id) : std::nullopt,
            customer_id);
  if (add_case_.exec() == 0) return false;  // ON CONFLICT (id) DO NOTHING
  const auto case_id = db_.getLastInsertRowid();
  if (case_id > kMaxId)
    fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
  if (case_id != c.id) record("case", c.id, case_id);
  const Placed placed{&c, case_id, customer_id};
  insert_children(std::span<const Placed>(&placed, 1));
  ++summary_.cases;
  return true;
}

void Importer::flush_batch() {
  flush_customers();
  if (batch_.empty()) return;
  insert_rows(cases_insert_, batch_.size(), [&](SQLite::Statement& st, int first, std::size_t row) {
    bind_case(st, first, *batch_[row].c, batch_[row].id, batch_[row].customer_id);
  });
  insert_children(batch_);
  summary_.cases += static_cast<std::int64_t>(batch_.size());
  batch_.clear();
}

// The tags, events, Message-IDs and attachments of cases already in the
// table, each under its case's id.
void Importer::insert_children(std::span<const Placed> cases) {
  insert_tags(cases);
  insert_events(cases);
  for (const auto& p : cases)
    for (const auto& e : p.c->events)
      if (e.message && e.message->id) {
        seen_insert_.reset();
        seen_insert_.bind(1, *e.message->id);
        seen_insert_.bind(2, p.id);
        seen_insert_.exec();
      }
  for (const auto& p : cases)
    for (const auto& a : p.c->attachments)
      import_attachment(db_, p.id, a, *files_dir_);
  if (pending_)
    for (const auto& p : cases)
      pending_->add(p.id);
}

void Importer::insert_tags(std::span<const Placed> cases) {
  children_.clear();
  for (const auto& p : cases)
    for (std::size_t i = 0; i < p.c->tags.size(); ++i)
      children_.push_back(Child{p.id, i});
  std::size_t next = 0;  // the case of children_[row], found walking forward
  insert_rows(tags_insert_, children_.size(),
              [&](SQLite::Statement& st, int first, std::size_t row) {
                while (cases[next].id != children_[row].case_id)
                  ++next;
                st.bind(first, children_[row].case_id);
                st.bindNoCopy(first + 1, cases[next].c->tags[children_[row].index]);
              });
}

void Importer::insert_events(std::span<const Placed> cases) {
  children_.clear();
  for (const auto& p : cases)
    for (std::size_t i = 0; i < p.c->events.size(); ++i)
      children_.push_back(Child{p.id, i});
  std::size_t next = 0;  // the case of children_[row], found walking forward
  insert_rows(events_insert_, children_.size(),
              [&](SQLite::Statement& st, int first, std::size_t row) {
                while (cases[next].id != children_[row].case_id)
                  ++next;
                const auto& e = cases[next].c->events[children_[row].index];
                st.bind(first, children_[row].case_id);
                st.bind(first + 1, static_cast<std::int64_t>(e.at));
                bind_word(st, first + 2, e.kind);
                st.bindNoCopy(first + 3, e.text);
                bind_text(st, first + 4, e.by);
                if (e.message) {
                  bind_text(st, first + 5, e.message->id);
                  bind_text(st, first + 6, e.message->from);
                  bind_text(st, first + 7, e.message->to);
                  bind_text(st, first + 8, e.message->subject);
                  bind_word(st, first + 9, e.message->direction);
                } else {
                  for (int k = 5; k <= 9; ++k)
                    st.bind(first + k);
                }
              });
}

void Importer::defer_line(const Parsed& p) {
  defer_.reset();
  defer_.bind(1, p.line_no);
  defer_.bind(2, p.line);
  defer_.exec();
}

void Importer::record(const char* what, std::int64_t from, std::int64_t to) {
  note_.reset();
  note_.bind(1, what);
  note_.bind(2, from);
  note_.bind(3, to);
  note_.exec();
}

}  // namespace mend
