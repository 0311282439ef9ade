// Data in and out: export, import, backup and forget. Part of class Store
// (store.hpp); the JSON Lines reader is import_reader.cpp.
#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/import_reader.hpp"
#include "core/pipeline.hpp"
#include "core/sqlite_error.hpp"
#include "core/store.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

bool exists(SQLite::Statement& q, std::int64_t id) {
  q.reset();
  q.bind(1, id);
  return q.executeStep();
}

// A name that `forget` wrote: such a customer stays out of `open`'s matching.
bool is_forgotten_marker(const Customer& c) {
  return c.name.rfind("[forgotten #", 0) == 0 && c.name.back() == ']' && !c.email && !c.phone;
}

}  // namespace

void Store::export_cases(const ExportFilter& f, const std::function<void(const Case&)>& each) {
  guarded(path_, [&] {
    std::string sql = std::string("SELECT ") + case_columns() +
                      " FROM cases c JOIN customers u ON u.id = c.customer_id WHERE 1";
    if (f.status) sql += " AND c.status = :status";
    // The unary + keeps SQLite off the opened_at index, so rows come in id
    // order straight from the table, with no sort to hold in memory.
    if (f.since) sql += " AND +c.opened_at >= :since";
    if (f.until) sql += " AND +c.opened_at < :until";
    sql += " ORDER BY c.id";
    SQLite::Transaction snapshot(db_, SQLite::TransactionBehavior::DEFERRED);
    SQLite::Statement q(db_, sql);
    if (f.status) q.bind(":status", *f.status);
    if (f.since) q.bind(":since", static_cast<std::int64_t>(*f.since));
    if (f.until) q.bind(":until", static_cast<std::int64_t>(*f.until));
    SQLite::Statement events(db_,
                             "SELECT id, at, kind, text FROM events WHERE case_id = ? ORDER BY id");
    while (q.executeStep()) {
      Case c = case_from_statement(q);
      events.reset();
      events.bind(1, c.id);
      while (events.executeStep()) {
        c.events.push_back(Event{events.getColumn(0).getInt64(), events.getColumn(1).getInt64(),
                                 events.getColumn(2).getString(), events.getColumn(3).getString()});
      }
      each(c);
    }
  });
}

ImportSummary Store::import_cases(const LineReader& read_line, const std::string& source, Time now,
                                  const std::function<void(const Reassignment&)>& reassigned) {
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
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      // Into an empty database (a restore, a move to a new machine), the
      // indexes whose keys arrive in random order (customer ids, emails,
      // phones, names) are dropped and built again at the end, by one sort
      // each, inside this same transaction. Kept up row by row they are a
      // working set of about 30 MiB per million cases, more than the page
      // cache, and the import spent a third of its time re-reading pages.
      // Only an empty database: there no customer id is ever taken, so the
      // matching that reads these indexes never runs mid-import.
      std::vector<std::string> rebuild;
      if (db_.execAndGet("SELECT NOT EXISTS (SELECT 1 FROM customers) AND "
                         "NOT EXISTS (SELECT 1 FROM cases)")
              .getInt() != 0) {
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
      SQLite::Statement add_customer(
          db_,
          "INSERT INTO customers (id, name, email, phone, phone_key, created_at, forgotten_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)");
      SQLite::Statement add_case(
          db_,
          "INSERT INTO cases (id, customer_id, status, summary, complaint, wants, channel, "
          "category, priority, reference, opened_at, due_at, resolved_at, followup_at, "
          "closed_at, outcome, resolution_text, amount_cents, currency, fault, cause, "
          "satisfaction, followup_done_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO NOTHING");
      // A case's events, and its tags, go in with one statement each: SQLite's
      // cost per statement (start, cursors, statement journal, halt)
      // outweighs a row's. One prepared statement per number of rows, up to
      // kRowsPerInsert; ?1 is the case id, then `columns` parameters a row.
      constexpr std::size_t kRowsPerInsert = 16;
      struct MultiRow {
        const char* head;  // up to VALUES
        std::size_t columns;
        std::vector<std::unique_ptr<SQLite::Statement>> by_rows =
            std::vector<std::unique_ptr<SQLite::Statement>>(kRowsPerInsert + 1);
      };
      MultiRow events_insert{"INSERT INTO events (case_id, at, kind, text) VALUES ", 3};
      MultiRow tags_insert{"INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES ", 1};
      const auto statement_for = [&](MultiRow& m, std::size_t rows) -> SQLite::Statement& {
        auto& st = m.by_rows[rows];
        if (!st) {
          std::string sql = m.head;
          for (std::size_t r = 0; r < rows; ++r) {
            sql += r == 0 ? "(?1" : ", (?1";
            for (std::size_t k = 0; k < m.columns; ++k)
              sql += ", ?" + std::to_string(2 + r * m.columns + k);
            sql += ")";
          }
          st = std::make_unique<SQLite::Statement>(db_, sql);
        }
        st->reset();
        return *st;
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
      constexpr std::int64_t kBitmapIds = std::int64_t{1} << 26;  // 8 MiB at most
      std::vector<std::uint64_t> kept_ids;
      const auto kept = [&](std::int64_t id) {
        const auto word = static_cast<std::size_t>(id >> 6);
        return id < kBitmapIds && word < kept_ids.size() && ((kept_ids[word] >> (id & 63)) & 1);
      };
      // The id a customer of the input has in the database, if already known.
      std::int64_t mapped_rows = 0;  // in temp.import_customers, emptied above
      const auto known = [&](std::int64_t old) -> std::optional<std::int64_t> {
        if (kept(old)) return old;
        if (mapped_rows == 0) return std::nullopt;
        mapped.reset();
        mapped.bind(1, old);
        if (mapped.executeStep()) return mapped.getColumn(0).getInt64();
        return std::nullopt;
      };
      const auto remember = [&](std::int64_t old, std::int64_t now_id) {
        if (old == now_id && old < kBitmapIds) {
          const auto word = static_cast<std::size_t>(old >> 6);
          if (word >= kept_ids.size()) kept_ids.resize(std::max(word + 1, kept_ids.size() * 2));
          kept_ids[word] |= std::uint64_t{1} << (old & 63);
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
      auto resolve_customer = [&](const Customer& in, Time created) -> std::int64_t {
        if (const auto id = known(in.id)) return *id;
        ++summary.customers;
        const bool forgotten = is_forgotten_marker(in);
        std::optional<std::int64_t> id;
        std::optional<std::int64_t> wanted = in.id;  // the id a new row gets; empty = next free
        if (exists(customer_exists, in.id)) {
          wanted.reset();
          NewCase probe;
          probe.customer_name = in.name;
          probe.email = in.email;
          probe.phone = in.phone;
          if (!forgotten && find_customer(probe)) {
            id = find_or_create_customer(probe, created);  // also fills an empty email or phone
            ++summary.customers_matched;
          }
        }
        if (!id) {
          add_customer.reset();
          bind_opt(add_customer, 1, wanted);
          add_customer.bind(2, in.name);
          bind_opt(add_customer, 3, in.email);
          bind_opt(add_customer, 4, in.phone);
          bind_opt(add_customer, 5,
                   in.phone ? std::optional<std::string>(phone_key(*in.phone)) : std::nullopt);
          add_customer.bind(6, static_cast<std::int64_t>(created));
          bind_opt(add_customer, 7, forgotten ? std::optional<std::int64_t>(now) : std::nullopt);
          add_customer.exec();
          id = db_.getLastInsertRowid();
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
        if (known(in.id) || !exists(customer_exists, in.id)) return true;
        NewCase probe;
        probe.customer_name = in.name;
        probe.email = in.email;
        probe.phone = in.phone;
        return !is_forgotten_marker(in) && find_customer(probe).has_value();
      };

      // Inserts the case under its own id, or (keep_id false) under the next
      // free one. False, with nothing written, when keep_id and the id is
      // taken.
      auto insert_case = [&](const Case& c, std::int64_t customer_id, bool keep_id) {
        add_case.reset();
        if (keep_id) {
          add_case.bind(1, c.id);
        } else {
          add_case.bind(1);  // a new id from the sequence
        }
        add_case.bind(2, customer_id);
        add_case.bindNoCopy(3, c.status);
        add_case.bindNoCopy(4, c.summary);
        bind_opt(add_case, 5, c.complaint);
        bind_opt(add_case, 6, c.wants);
        add_case.bindNoCopy(7, c.channel);
        add_case.bindNoCopy(8, c.category);
        add_case.bindNoCopy(9, c.priority);
        bind_opt(add_case, 10, c.reference);
        add_case.bind(11, static_cast<std::int64_t>(c.opened_at));
        bind_opt(add_case, 12, c.due_at);
        bind_opt(add_case, 13, c.resolved_at);
        bind_opt(add_case, 14, c.followup_at);
        bind_opt(add_case, 15, c.closed_at);
        if (c.resolution) {
          const auto& r = *c.resolution;
          add_case.bindNoCopy(16, r.outcome);
          bind_opt(add_case, 17, r.text);
          bind_opt(add_case, 18, r.amount_cents);
          add_case.bindNoCopy(19, r.currency);
          add_case.bindNoCopy(20, r.fault);
          bind_opt(add_case, 21, r.cause);
        } else {
          for (int i = 16; i <= 21; ++i)
            add_case.bind(i);
        }
        // followup_done_at: when the follow-up that gave the score was recorded.
        std::optional<std::int64_t> done_at;
        if (c.satisfaction) {
          add_case.bind(22, static_cast<std::int64_t>(*c.satisfaction));
          for (const auto& e : c.events)
            if (e.kind == "followup-done" && (!done_at || e.at >= *done_at)) done_at = e.at;
        } else {
          add_case.bind(22);
        }
        bind_opt(add_case, 23, done_at);
        if (add_case.exec() == 0) return false;  // ON CONFLICT (id) DO NOTHING
        const auto case_id = db_.getLastInsertRowid();
        if (case_id != c.id) record("case", c.id, case_id);

        for (std::size_t from = 0; from < c.tags.size(); from += kRowsPerInsert) {
          const auto rows = std::min(kRowsPerInsert, c.tags.size() - from);
          auto& add = statement_for(tags_insert, rows);
          add.bind(1, case_id);
          for (std::size_t r = 0; r < rows; ++r)
            add.bindNoCopy(static_cast<int>(2 + r), c.tags[from + r]);
          add.exec();
        }
        for (std::size_t from = 0; from < c.events.size(); from += kRowsPerInsert) {
          const auto rows = std::min(kRowsPerInsert, c.events.size() - from);
          auto& add = statement_for(events_insert, rows);
          add.bind(1, case_id);
          for (std::size_t r = 0; r < rows; ++r) {
            const auto& e = c.events[from + r];
            const auto k = static_cast<int>(2 + 3 * r);
            add.bind(k, static_cast<std::int64_t>(e.at));
            add.bindNoCopy(k + 1, e.kind);
            add.bindNoCopy(k + 2, e.text);
          }
          add.exec();
        }
        ++summary.cases;
        return true;
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
          } catch (const Error& e) {
            fail(e.kind(), source + ":" + std::to_string(line_no) + ": " + e.what());
          }
          p.line_no = line_no;
          return true;
        }
        return false;
      };
      const std::function<void(Parsed&)> write = [&](Parsed& p) {
        // A taken case id is found by the insert itself (one lookup, not two).
        if (!customer_fits_now(p.c.customer) ||
            !insert_case(p.c, resolve_customer(p.c.customer, p.c.opened_at), true)) {
          defer.reset();
          defer.bind(1, p.line_no);
          defer.bind(2, p.line);
          defer.exec();
        }
      };
      pipelined(next, write);
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

void Store::backup_to(const std::string& dest) {
  guarded(dest, [&] {
    // The caller created the file (0600, O_EXCL|O_NOFOLLOW); never create or follow here.
    SQLite::Database copy(dest, SQLite::OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, busy_timeout_ms());
    SQLite::Backup backup(copy, db_);
    // All pages in one step: one read snapshot of the source, so writers
    // carrying on meanwhile (WAL) cannot make the copy inconsistent.
    backup.executeStep(-1);
  });
  guarded(dest, [&] {
    SQLite::Database check(dest, SQLite::OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, busy_timeout_ms());
    SQLite::Statement q(check, "PRAGMA integrity_check");
    std::string verdict;
    while (q.executeStep()) {
      if (!verdict.empty()) verdict += "; ";
      verdict += q.getColumn(0).getString();
    }
    if (verdict != "ok")
      fail(ErrorKind::io, "the copy in " + dest + " failed its integrity check: " + verdict);
  });
}

std::pair<Customer, std::int64_t> Store::get_customer(std::int64_t id) {
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

ForgetSummary Store::forget_customer(std::int64_t id, Time now) {
  return guarded(path_, [&] {
    require_writable();
    ForgetSummary summary;
    {
      SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
      SQLite::Statement known(db_, "SELECT 1 FROM customers WHERE id = ?");
      if (!exists(known, id)) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
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
      SQLite::Statement events(db_,
                               "UPDATE events SET text = '' WHERE case_id IN "
                               "(SELECT id FROM cases WHERE customer_id = ?)");
      events.bind(1, id);
      summary.events = events.exec();
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
