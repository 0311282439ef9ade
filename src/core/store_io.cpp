// Data in and out: export, import, backup and forget. Part of class Store
// (store.hpp); the JSON Lines reader is import_reader.cpp.
#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/import_reader.hpp"
#include "core/limits.hpp"
#include "core/pipeline.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"
#include "core/wal_buffer.hpp"

namespace mend {
namespace {

bool exists(SQLite::Statement& q, std::int64_t id) {
  q.reset();
  q.bind(1, id);
  return q.executeStep();
}

// A set of small ids (below 2^26, 8 MiB at most), one bit each.
class IdBitmap {
 public:
  static constexpr std::int64_t kEnd = std::int64_t{1} << 26;
  static bool fits(std::int64_t id) { return id > 0 && id < kEnd; }
  bool has(std::int64_t id) const {
    const auto word = static_cast<std::size_t>(id >> 6);
    return fits(id) && word < words_.size() && ((words_[word] >> (id & 63)) & 1);
  }
  void add(std::int64_t id) {  // fits(id)
    const auto word = static_cast<std::size_t>(id >> 6);
    if (word >= words_.size()) words_.resize(std::max(word + 1, words_.size() * 2));
    words_[word] |= std::uint64_t{1} << (id & 63);
  }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace

void SqliteStore::export_cases(const ExportFilter& f,
                               const std::function<void(const Case&)>& each) {
  guarded(path_, [&] {
    std::string sql = std::string("SELECT ") + case_columns() +
                      " FROM cases c LEFT JOIN customers u ON u.id = c.customer_id WHERE 1";
    sql += status_condition("c.status", f.statuses);
    // The unary + keeps SQLite off the opened_at index, so rows come in id
    // order straight from the table, with no sort to hold in memory.
    if (f.since) sql += " AND +c.opened_at >= :since";
    if (f.until) sql += " AND +c.opened_at < :until";
    if (f.resolved_since) sql += " AND +c.resolved_at >= :resolved_since";
    if (f.resolved_until) sql += " AND +c.resolved_at < :resolved_until";
    sql += " ORDER BY c.id";
    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_, sql);
    int index = 0;
    for (const auto& status : f.statuses)
      q.bind(++index, status);
    if (f.since) q.bind(":since", static_cast<std::int64_t>(*f.since));
    if (f.until) q.bind(":until", static_cast<std::int64_t>(*f.until));
    if (f.resolved_since) q.bind(":resolved_since", static_cast<std::int64_t>(*f.resolved_since));
    if (f.resolved_until) q.bind(":resolved_until", static_cast<std::int64_t>(*f.resolved_until));
    SQLite::Statement events(db_, kEventsOfCase);
    // Attachments come from one walk over the attachments_by_case index in
    // case id order, beside the cases (also in id order): no lookup per case.
    SQLite::Statement attachments(
        db_, "SELECT case_id, name, type, size, sha256, at FROM attachments ORDER BY case_id, id");
    bool more_attachments = attachments.executeStep();
    while (q.executeStep()) {
      // LEFT JOIN: a case whose customer is missing (a damaged file) stops the
      // export rather than being left out silently. Column 21 is u.id.
      if (q.getColumn(21).isNull())
        throw missing_customer(path_, q.getColumn(0).getInt64(), "the export stopped there");
      Case c = case_from_statement(q);
      c.events = events_of(events, c.id);
      while (more_attachments && attachments.getColumn(0).getInt64() <= c.id) {
        if (attachments.getColumn(0).getInt64() == c.id) {
          c.attachments.push_back(
              Attachment{attachments.getColumn(1).getString(), attachments.getColumn(2).getString(),
                         attachments.getColumn(3).getInt64(), attachments.getColumn(4).getString(),
                         attachments.getColumn(5).getInt64()});
        }
        more_attachments = attachments.executeStep();
      }
      each(c);
    }
  });
}

ImportSummary SqliteStore::import_cases(const LineReader& read_line, const std::string& source,
                                        Time now,
                                        const std::function<void(const Reassignment&)>& reassigned,
                                        const std::optional<std::string>& files_dir) {
  return guarded(path_, [&] {
    require_writable();
    ImportSummary summary;
    // A bigger page cache for the one long transaction: the index pages it
    // keeps touching stay in memory instead of spilling to the WAL and being
    // read back (peak memory stays under 64 MiB: 54 MiB for a million cases,
    // with the parsing thread's batches).
    db_.exec("PRAGMA cache_size=-24576");
    // The reader has already checked every value the table's CHECK
    // constraints test (status, satisfaction), and SQLite evaluates
    // `status IN (...)` by building a temporary b-tree for every row, about a
    // tenth of an import's instructions. The setting is per connection and
    // restored when the import ends (this connection then closes anyway).
    db_.exec("PRAGMA ignore_check_constraints=ON");
    struct RestoreChecks {
      SQLite::Database& db;
      ~RestoreChecks() {
        try {
          db.exec("PRAGMA ignore_check_constraints=OFF");
        } catch (...) {  // the connection is closing; nothing to restore then
        }
      }
    } restore_checks{db_};
    // The frames of this one long transaction reach the WAL file in 124 KiB
    // writes instead of two small ones each (wal_buffer.hpp); written out
    // before the commit's sync, and turned off again when the import ends.
    set_wal_buffering(db_.getHandle(), true);
    struct StopBuffering {
      sqlite3* db;
      ~StopBuffering() { set_wal_buffering(db, false); }
    } stop_buffering{db_.getHandle()};
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      // Foreign keys are checked as rows go in but counted until the commit,
      // which fails if any is broken (and the import rolls back whole). With
      // that, and OR FAIL on the inserts below (any failure ends the import
      // anyway), an insert into events can never need undoing on its own, so
      // SQLite keeps no statement journal for it (a copy of each page the
      // statement changes). Inserts into cases and customers still keep one,
      // as tables other rows point at: in memory (schema.cpp).
      db_.exec("PRAGMA defer_foreign_keys=ON");
      // Into an empty database (a restore, a move to a new machine), the
      // indexes whose keys arrive in random order (customer ids, emails,
      // phones, names) are dropped and built again at the end, by one sort
      // each, inside this same transaction. Kept up row by row they are a
      // working set of about 30 MiB per million cases, more than the page
      // cache, and the import spent a third of its time re-reading pages.
      // Only an empty database: there no customer id is ever taken, so the
      // matching that reads these indexes never runs mid-import.
      std::vector<std::string> rebuild;
      // The search index too is built once at the end, from the rows: a
      // document at a time, even inside this one transaction, made a 100k
      // import twice as slow. Into an empty database, the whole index; into
      // one that holds cases, the new ones (PendingCases), while a customer
      // matched by the import who gains an email or phone has the words of
      // their cases already there updated.
      const bool empty_before = db_.execAndGet(
                                       "SELECT NOT EXISTS (SELECT 1 FROM customers) AND "
                                       "NOT EXISTS (SELECT 1 FROM cases)")
                                    .getInt() != 0;
      std::optional<PendingCases> pending;
      if (!empty_before) pending.emplace(db_);
      if (empty_before) {
        SQLite::Statement q(db_,
                            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN "
                            "('cases_by_customer', 'customers_by_email', 'customers_by_phone', "
                            "'customers_by_name')");
        std::vector<std::string> names;
        while (q.executeStep()) {
          names.push_back(q.getColumn(0).getString());
          rebuild.push_back(q.getColumn(1).getString());
        }
        q.reset();
        for (const auto& name : names)
          db_.exec("DROP INDEX \"" + name + "\"");
      }
      // Per-import state lives in temporary tables, not in memory: a million
      // customers or reassignments cost disk pages, not RAM.
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
      SQLite::Statement defer(db_,
                              "INSERT INTO temp.import_deferred (line_no, line) VALUES (?, ?)");
      SQLite::Statement mapped(db_, "SELECT new FROM temp.import_customers WHERE old = ?");
      SQLite::Statement map(db_, "INSERT INTO temp.import_customers (old, new) VALUES (?, ?)");
      SQLite::Statement note(
          db_, "INSERT INTO temp.import_reassigned (what, old, new) VALUES (?, ?, ?)");
      SQLite::Statement customer_exists(db_, "SELECT 1 FROM customers WHERE id = ?");
      SQLite::Statement case_exists(db_, "SELECT 1 FROM cases WHERE id = ?");
      // A customer under the next free id.
      SQLite::Statement add_customer(
          db_,
          "INSERT INTO customers (name, email, phone, phone_key, created_at, forgotten_at) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      constexpr const char* kCaseColumns =
          "id, customer_id, status, summary, complaint, wants, channel, category, priority, "
          "reference, opened_at, due_at, resolved_at, followup_at, closed_at, outcome, "
          "resolution_text, amount_cents, currency, fault, cause, satisfaction, "
          "followup_done_at, owner";
      constexpr int kCaseParams = 24;
      SQLite::Statement add_case(db_,
                                 std::string("INSERT INTO cases (") + kCaseColumns +
                                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                     "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING");
      // Rows go in many to a statement. SQLite's cost per statement (start,
      // a cursor opened on the table and on each index and every one sought
      // from the root, the AUTOINCREMENT bookkeeping, halt) outweighs a
      // row's, and within one statement each cursor stays where the last row
      // left it, so the next row of a rising key is placed without a search.
      // One statement is prepared per power of two up to max_rows: n rows
      // take at most log2(max_rows) + 1 statements.
      struct MultiRow {
        std::string head;  // up to VALUES
        int columns;       // parameters a row
        std::size_t max_rows;
        std::vector<std::unique_ptr<SQLite::Statement>> by_log = {};
      };
      MultiRow cases_insert{std::string("INSERT OR FAIL INTO cases (") + kCaseColumns + ") VALUES ",
                            kCaseParams, 64};
      MultiRow events_insert{
          "INSERT OR FAIL INTO events (case_id, at, kind, text, author, message_id, message_from, "
          "message_to, message_subject, message_direction) VALUES ",
          10, 256};
      // Every imported Message-ID is known afterwards, so `mend mail` never
      // takes the same message twice; one already recorded keeps its case.
      SQLite::Statement seen_insert(db_,
                                    "INSERT OR IGNORE INTO mail_seen (key, case_id) VALUES (?, ?)");
      MultiRow tags_insert{"INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES ", 2, 256};
      // Inserts n rows, bind_row(statement, first parameter, row) binding each.
      const auto insert_rows = [&](MultiRow& m, std::size_t n, const auto& bind_row) {
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
      };
      const auto bind_text = [](SQLite::Statement& st, int index,
                                const std::optional<std::string>& v) {
        if (v) {
          st.bindNoCopy(index, *v);
        } else {
          st.bind(index);
        }
      };
      // A case's columns from parameter `first` on; an empty id takes the
      // next one from the sequence. The strings must outlive the statement's
      // execution.
      const auto bind_case = [&](SQLite::Statement& st, int first, const Case& c,
                                 std::optional<std::int64_t> id, std::int64_t customer_id) {
        const auto at = [&](int column) { return first + column - 1; };
        bind_opt(st, at(1), id);
        st.bind(at(2), customer_id);
        st.bindNoCopy(at(3), c.status);
        st.bindNoCopy(at(4), c.summary);
        bind_text(st, at(5), c.complaint);
        bind_text(st, at(6), c.wants);
        st.bindNoCopy(at(7), c.channel);
        st.bindNoCopy(at(8), c.category);
        st.bindNoCopy(at(9), c.priority);
        bind_text(st, at(10), c.reference);
        st.bind(at(11), static_cast<std::int64_t>(c.opened_at));
        bind_opt(st, at(12), c.due_at);
        bind_opt(st, at(13), c.resolved_at);
        bind_opt(st, at(14), c.followup_at);
        bind_opt(st, at(15), c.closed_at);
        if (c.resolution) {
          const auto& r = *c.resolution;
          st.bindNoCopy(at(16), r.outcome);
          bind_text(st, at(17), r.text);
          bind_opt(st, at(18), r.amount_cents);
          st.bindNoCopy(at(19), r.currency);
          st.bindNoCopy(at(20), r.fault);
          bind_text(st, at(21), r.cause);
        } else {
          for (int i = 16; i <= 21; ++i)
            st.bind(at(i));
        }
        // followup_done_at: when the follow-up that gave the score was recorded.
        std::optional<std::int64_t> done_at;
        if (c.satisfaction) {
          st.bind(at(22), static_cast<std::int64_t>(*c.satisfaction));
          for (const auto& e : c.events)
            if (e.kind == "followup-done" && (!done_at || e.at >= *done_at)) done_at = e.at;
        } else {
          st.bind(at(22));
        }
        bind_opt(st, at(23), done_at);
        bind_text(st, at(24), c.owner);
      };
      // The tags and events of cases already in the table, each under its id.
      struct Placed {
        const Case* c;
        std::int64_t id;
        std::int64_t customer_id;
      };
      struct Child {
        std::int64_t case_id;
        std::size_t index;
      };
      std::vector<Child> children;
      const auto insert_children = [&](std::span<const Placed> cases) {
        children.clear();
        for (const auto& p : cases)
          for (std::size_t i = 0; i < p.c->tags.size(); ++i)
            children.push_back(Child{p.id, i});
        std::size_t next = 0;  // the case of children[row], found walking forward
        insert_rows(tags_insert, children.size(),
                    [&](SQLite::Statement& st, int first, std::size_t row) {
                      while (cases[next].id != children[row].case_id)
                        ++next;
                      st.bind(first, children[row].case_id);
                      st.bindNoCopy(first + 1, cases[next].c->tags[children[row].index]);
                    });
        children.clear();
        for (const auto& p : cases)
          for (std::size_t i = 0; i < p.c->events.size(); ++i)
            children.push_back(Child{p.id, i});
        next = 0;
        insert_rows(events_insert, children.size(),
                    [&](SQLite::Statement& st, int first, std::size_t row) {
                      while (cases[next].id != children[row].case_id)
                        ++next;
                      const auto& e = cases[next].c->events[children[row].index];
                      st.bind(first, children[row].case_id);
                      st.bind(first + 1, static_cast<std::int64_t>(e.at));
                      st.bindNoCopy(first + 2, e.kind);
                      st.bindNoCopy(first + 3, e.text);
                      bind_text(st, first + 4, e.by);
                      if (e.message) {
                        bind_text(st, first + 5, e.message->id);
                        bind_text(st, first + 6, e.message->from);
                        bind_text(st, first + 7, e.message->to);
                        bind_text(st, first + 8, e.message->subject);
                        st.bindNoCopy(first + 9, e.message->direction);
                      } else {
                        for (int k = 5; k <= 9; ++k)
                          st.bind(first + k);
                      }
                    });
        for (const auto& p : cases)
          for (const auto& e : p.c->events)
            if (e.message && e.message->id) {
              seen_insert.reset();
              seen_insert.bind(1, *e.message->id);
              seen_insert.bind(2, p.id);
              seen_insert.exec();
            }
        for (const auto& p : cases)
          for (const auto& a : p.c->attachments)
            import_attachment(db_, p.id, a, *files_dir);
        if (pending)
          for (const auto& p : cases)
            pending->add(p.id);
      };
      auto record = [&](const char* what, std::int64_t from, std::int64_t to) {
        note.reset();
        note.bind(1, what);
        note.bind(2, from);
        note.bind(3, to);
        note.exec();
      };

      // Customers placed under their own id, as a bitmap over small ids: the
      // common case (importing into an empty or unrelated database) then needs
      // no lookup per line. Other mappings, and ids past the bitmap, go
      // through the temporary table.
      IdBitmap kept_ids;
      // The id a customer of the input has in the database, if already known.
      std::int64_t mapped_rows = 0;  // in temp.import_customers, emptied above
      const auto known = [&](std::int64_t old) -> std::optional<std::int64_t> {
        if (kept_ids.has(old)) return old;
        if (mapped_rows == 0) return std::nullopt;
        mapped.reset();
        mapped.bind(1, old);
        if (mapped.executeStep()) return mapped.getColumn(0).getInt64();
        return std::nullopt;
      };
      const auto remember = [&](std::int64_t old, std::int64_t now_id) {
        if (old == now_id && IdBitmap::fits(old)) {
          kept_ids.add(old);
          return;
        }
        map.reset();
        map.bind(1, old);
        map.bind(2, now_id);
        map.exec();
        ++mapped_rows;
      };

      // The customer of an imported case: the same one for every line naming
      // the same id; a free id is kept; a taken one is matched as `open`
      // matches, or gets a new id.
      // New customers under their own id wait in `new_customers` and go in
      // many at a time, before the first case that names one and before any
      // matching reads the table.
      struct NewCustomer {
        const Customer* c;
        std::optional<std::string> phone_key;
        std::int64_t created;
        std::optional<std::int64_t> forgotten_at;
      };
      std::vector<NewCustomer> new_customers;
      MultiRow customers_insert{
          "INSERT OR FAIL INTO customers (id, name, email, phone, phone_key, created_at, "
          "forgotten_at) "
          "VALUES ",
          7, 64};
      const auto write_customers = [&] {
        insert_rows(customers_insert, new_customers.size(),
                    [&](SQLite::Statement& st, int first, std::size_t row) {
                      const auto& n = new_customers[row];
                      st.bind(first, n.c->id);
                      st.bindNoCopy(first + 1, n.c->name);
                      bind_text(st, first + 2, n.c->email);
                      bind_text(st, first + 3, n.c->phone);
                      bind_text(st, first + 4, n.phone_key);
                      st.bind(first + 5, n.created);
                      bind_opt(st, first + 6, n.forgotten_at);
                    });
        new_customers.clear();
      };
      // The id customer_fits_now last found free, for resolve_customer to
      // take without asking the table again (0: none).
      std::int64_t found_free = 0;

      // The customer of an imported case: the same one for every line naming
      // the same id; a free id is kept; a taken one is matched as `open`
      // matches, or gets a new id. The customer given must stay alive until
      // write_customers() runs.
      auto resolve_customer = [&](const Customer& in, Time created) -> std::int64_t {
        if (const auto id = known(in.id)) return *id;
        ++summary.customers;
        const bool forgotten = is_forgotten_marker(in);
        const std::optional<std::int64_t> forgotten_at =
            forgotten ? std::optional<std::int64_t>(now) : std::nullopt;
        const bool free = in.id == found_free || !exists(customer_exists, in.id);
        found_free = 0;
        if (free) {
          new_customers.push_back(NewCustomer{
              &in, in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt,
              static_cast<std::int64_t>(created), forgotten_at});
          ++summary.customers_created;
          remember(in.id, in.id);
          return in.id;
        }
        write_customers();  // matching, and the next free id, see every customer so far
        std::optional<std::int64_t> id;
        const NewCase probe = match_probe(in);
        if (!forgotten && find_customer(probe)) {
          // Also fills an empty email or phone.
          id = find_or_create_customer(probe, created, /*importing=*/pending.has_value());
          ++summary.customers_matched;
        }
        if (!id) {
          add_customer.reset();
          add_customer.bind(1, in.name);
          bind_opt(add_customer, 2, in.email);
          bind_opt(add_customer, 3, in.phone);
          bind_opt(add_customer, 4,
                   in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
          add_customer.bind(5, static_cast<std::int64_t>(created));
          bind_opt(add_customer, 6, forgotten_at);
          add_customer.exec();
          id = db_.getLastInsertRowid();
          if (*id > kMaxId)
            fail(ErrorKind::data, "no customer id is left: ids go up to " + std::to_string(kMaxId));
          ++summary.customers_created;
        }
        remember(in.id, *id);
        if (*id != in.id) record("customer", in.id, *id);
        return *id;
      };

      // Whether the case's customer can be placed now: known, free, or
      // matched. Otherwise the line waits for the second pass, so that a new
      // id never takes one that is free now but named further down the file.
      auto customer_fits_now = [&](const Customer& in) {
        if (known(in.id)) return true;
        if (!exists(customer_exists, in.id)) {
          found_free = in.id;
          return true;
        }
        write_customers();
        return !is_forgotten_marker(in) && find_customer(match_probe(in)).has_value();
      };

      // Inserts the case under its own id, or (keep_id false) under the next
      // free one. False, with nothing written, when keep_id and the id is
      // taken.
      auto insert_case = [&](const Case& c, std::int64_t customer_id, bool keep_id) {
        write_customers();
        add_case.reset();
        bind_case(add_case, 1, c, keep_id ? std::optional<std::int64_t>(c.id) : std::nullopt,
                  customer_id);
        if (add_case.exec() == 0) return false;  // ON CONFLICT (id) DO NOTHING
        const auto case_id = db_.getLastInsertRowid();
        if (case_id > kMaxId)
          fail(ErrorKind::data, "no case id is left: ids go up to " + std::to_string(kMaxId));
        if (case_id != c.id) record("case", c.id, case_id);
        const Placed placed{&c, case_id, customer_id};
        insert_children(std::span<const Placed>(&placed, 1));
        ++summary.cases;
        return true;
      };

      // Case ids above the highest one before the import, and below the
      // bitmap's end, can only be taken by this import: such cases wait in
      // `batch` and go in many at a time, a bit set for each id. Others go in
      // one by one, the insert itself finding a taken id.
      const std::int64_t highest_before =
          db_.execAndGet("SELECT coalesce(max(id), 0) FROM cases").getInt64();
      IdBitmap batched_ids;
      const auto batchable = [&](std::int64_t id) {
        return id > highest_before && IdBitmap::fits(id);
      };
      std::vector<Placed> batch;
      const auto write_batch = [&] {
        write_customers();
        if (batch.empty()) return;
        insert_rows(cases_insert, batch.size(),
                    [&](SQLite::Statement& st, int first, std::size_t row) {
                      bind_case(st, first, *batch[row].c, batch[row].id, batch[row].customer_id);
                    });
        insert_children(batch);
        summary.cases += static_cast<std::int64_t>(batch.size());
        batch.clear();
      };

      // Reading and parsing run on this thread while another writes: they
      // cost about a third of the work and the machine has a second core.
      struct Parsed {
        std::int64_t line_no = 0;
        std::string line;
        Case c;
      };
      std::int64_t line_no = 0;
      const std::function<bool(Parsed&)> next = [&](Parsed& p) {
        while (read_line(p.line)) {
          ++line_no;
          if (!p.line.empty() && p.line.back() == '\r') p.line.pop_back();
          if (p.line.find_first_not_of(" \t") == std::string::npos) continue;
          try {
            p.c = parse_import_line(p.line);
            if (!p.c.attachments.empty()) check_attachment_files(p.c, files_dir);
          } catch (const Error& e) {
            fail(e.kind(), source + ":" + std::to_string(line_no) + ": " + e.what());
          }
          p.line_no = line_no;
          return true;
        }
        return false;
      };
      const auto defer_line = [&](const Parsed& p) {
        defer.reset();
        defer.bind(1, p.line_no);
        defer.bind(2, p.line);
        defer.exec();
      };
      const std::function<void(std::span<Parsed>)> write = [&](std::span<Parsed> items) {
        for (auto& p : items) {
          if (!customer_fits_now(p.c.customer)) {
            defer_line(p);
            continue;
          }
          const auto id = p.c.id;
          if (batchable(id)) {
            if (batched_ids.has(id)) {  // an earlier line has it
              resolve_customer(p.c.customer, p.c.opened_at);
              defer_line(p);
              continue;
            }
            batched_ids.add(id);
            batch.push_back(Placed{&p.c, id, resolve_customer(p.c.customer, p.c.opened_at)});
            continue;
          }
          write_batch();  // in input order
          if (!insert_case(p.c, resolve_customer(p.c.customer, p.c.opened_at), true)) defer_line(p);
        }
        write_batch();  // the items are handed back to the parser after this
      };
      pipelined_batches<Parsed>(next, write);
      {
        SQLite::Statement later(db_, "SELECT line FROM temp.import_deferred ORDER BY seq");
        while (later.executeStep()) {
          const Case c = parse_import_line(later.getColumn(0).getString());
          const auto customer_id = resolve_customer(c.customer, c.opened_at);
          insert_case(c, customer_id, !exists(case_exists, c.id));
        }
      }
      // The sorts behind CREATE INDEX take as much memory as the page cache
      // again: a smaller cache for them keeps the import's peak well under
      // 64 MiB.
      if (!rebuild.empty()) db_.exec("PRAGMA cache_size=-12288");
      for (const auto& sql : rebuild)
        db_.exec(sql);
      if (empty_before) rebuild_search_index(db_);
      if (pending) pending->index_all();
      tx.commit();
    }
    {
      SQLite::Statement q(db_, "SELECT what, old, new FROM temp.import_reassigned ORDER BY seq");
      while (q.executeStep()) {
        reassigned(Reassignment{q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                                q.getColumn(2).getInt64()});
      }
    }
    db_.exec(
        "DROP TABLE temp.import_customers; DROP TABLE temp.import_reassigned; "
        "DROP TABLE temp.import_deferred;");
    return summary;
  });
}

void SqliteStore::backup_to(const std::string& dest, const std::string& shown_as) {
  // Messages name the file the user asked for, not the temporary one of --force.
  const std::string& shown = shown_as.empty() ? dest : shown_as;
  // The caller created the file (0600, O_EXCL|O_NOFOLLOW); never create it or
  // follow a link put there since. (Not SQLITE_OPEN_NOFOLLOW: it refuses a link
  // anywhere in the path, such as a home folder that is one.)
  const auto refuse_link = [&] {
    struct stat st {};
    if (::lstat(dest.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      fail(ErrorKind::cant_create, shown + " was replaced while mend wrote it; not written");
  };
  refuse_link();
  // SQLite keeps a -journal (while copying) and a -wal and -shm (while
  // checking) beside the copy. One there already was not made by this copy
  // (it could be a planted link): refuse. Whatever happens, none is left.
  constexpr std::array<const char*, 3> kSides = {"-journal", "-wal", "-shm"};
  for (const char* side : kSides) {
    struct stat st {};
    if (::lstat((dest + side).c_str(), &st) == 0)
      fail(ErrorKind::cant_create, dest + side + " is in the way of the copy; remove it (rm " +
                                       dest + side + ") and try again");
  }
  struct RemoveSides {
    const std::string& dest;
    const std::array<const char*, 3>& sides;
    ~RemoveSides() {
      for (const char* side : sides)
        ::unlink((dest + side).c_str());
    }
  } remove_sides{dest, kSides};
  guarded(shown, [&] {
    SQLite::Database copy(dest, SQLite::OPEN_READWRITE, busy_timeout_ms());
    SQLite::Backup backup(copy, db_);
    // All pages in one step: one read snapshot of the source, so writers
    // carrying on meanwhile (WAL) cannot make the copy inconsistent.
    backup.executeStep(-1);
  });
  refuse_link();
  // The copy carries the source's WAL mark (header bytes 18 and 19), so
  // opening it would make a -wal and a -shm (32 KiB) beside it, which fails on
  // a nearly full disk and on read-only media. Mark it a rollback-journal
  // file, as PRAGMA journal_mode=DELETE does once no -wal is left: mend
  // switches it back to WAL when it opens it as its database.
  {
    const int fd = ::open(dest.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    const unsigned char legacy[2] = {1, 1};
    const bool marked = fd >= 0 && ::pwrite(fd, legacy, 2, 18) == 2 && ::fsync(fd) == 0;
    const int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!marked) fail(ErrorKind::io, "cannot write " + shown + ": " + std::strerror(saved));
  }
  guarded(shown, [&] {
    SQLite::Database check(dest, SQLite::OPEN_READWRITE, busy_timeout_ms());
    SQLite::Statement q(check, "PRAGMA integrity_check");
    std::string verdict;
    while (q.executeStep()) {
      if (!verdict.empty()) verdict += "; ";
      verdict += q.getColumn(0).getString();
    }
    if (verdict != "ok")
      fail(ErrorKind::io, "the copy in " + shown + " failed its integrity check: " + verdict);
    // Rows pointing at rows that are gone (a case without its customer) pass
    // the integrity check but vanish from list, report and export.
    SQLite::Statement fk(check, "PRAGMA foreign_key_check");
    std::int64_t broken = 0;
    std::string first;
    std::int64_t first_case = 0;
    while (fk.executeStep()) {
      if (broken++ > 0) continue;
      const std::string table = fk.getColumn(0).getString();
      if (table == "cases" && !fk.getColumn(1).isNull()) first_case = fk.getColumn(1).getInt64();
      first = "a row of " + table + " points at a missing row of " + fk.getColumn(2).getString();
    }
    if (broken == 0) return;
    const std::string consequence = "no copy was kept (" + std::to_string(broken) +
                                    (broken == 1 ? " broken row" : " broken rows") + ")";
    if (first_case != 0) throw missing_customer(path_, first_case, consequence);
    fail(ErrorKind::io, path_ + " is damaged: " + first + ", so " + consequence +
                            "; keep a copy of the file as it is (cp) and your backups, then "
                            "sqlite3 " +
                            path_ + " 'PRAGMA foreign_key_check' lists every broken row");
  });
}

std::pair<Customer, std::int64_t> SqliteStore::get_customer(std::int64_t id) {
  return guarded(path_, [&] {
    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_,
                        "SELECT id, name, email, phone, "
                        "(SELECT count(*) FROM cases WHERE customer_id = customers.id) "
                        "FROM customers WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
    Customer c;
    c.id = q.getColumn(0).getInt64();
    c.name = q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) c.email = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) c.phone = q.getColumn(3).getString();
    return std::pair<Customer, std::int64_t>(std::move(c), q.getColumn(4).getInt64());
  });
}

ForgetSummary SqliteStore::forget_customer(std::int64_t id, Time now) {
  return guarded(path_, [&] {
    require_writable();
    ForgetSummary summary;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement known(db_, "SELECT 1 FROM customers WHERE id = ?");
      if (!exists(known, id)) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
      // The words of their cases leave the search index; what stays (the
      // marker name, category, tags, cause) goes back in below.
      auto search = SearchUpdate::of_customer(db_, id);
      SQLite::Statement who(db_,
                            "UPDATE customers SET name = ?2, email = NULL, phone = NULL, "
                            "phone_key = NULL, forgotten_at = coalesce(forgotten_at, ?3) "
                            "WHERE id = ?1");
      who.bind(1, id);
      who.bind(2, "[forgotten #" + std::to_string(id) + "]");
      who.bind(3, static_cast<std::int64_t>(now));
      who.exec();
      // Dates, channel, category, priority, tags, outcome, amount, fault,
      // cause and satisfaction stay, so reports stay right.
      SQLite::Statement cases(db_,
                              "UPDATE cases SET summary = '', complaint = NULL, wants = NULL, "
                              "reference = NULL, resolution_text = NULL WHERE customer_id = ?");
      cases.bind(1, id);
      summary.cases = cases.exec();
      SQLite::Statement events(
          db_,
          "UPDATE events SET text = '', message_from = NULL, message_to = NULL, "
          "message_subject = NULL WHERE case_id IN "
          "(SELECT id FROM cases WHERE customer_id = ?)");
      events.bind(1, id);
      summary.events = events.exec();
      // Their files go whole, and with them every stored file no other case keeps.
      SQLite::Statement files(db_,
                              "DELETE FROM attachments WHERE case_id IN "
                              "(SELECT id FROM cases WHERE customer_id = ?)");
      files.bind(1, id);
      summary.attachments = files.exec();
      db_.exec(
          "DELETE FROM blobs WHERE NOT EXISTS "
          "(SELECT 1 FROM attachments a WHERE a.sha256 = blobs.sha256)");
      search.done();
      // No page of the index may keep an erased word (search_index.hpp).
      merge_search_index(db_);
      tx.commit();
    }
    // secure_delete zeroes the old text in the database file; the old pages
    // still sit in the -wal file until a checkpoint copies them back and
    // truncates it.
    SQLite::Statement checkpoint(db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (checkpoint.executeStep()) summary.wal_truncated = checkpoint.getColumn(0).getInt() == 0;
    return summary;
  });
}

}  // namespace mend
