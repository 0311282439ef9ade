// The PostgreSQL store's data commands: export, backup (to an SQLite file)
// and forget (import is pg_store_import.cpp). Large reads go through a
// cursor, a batch of rows at a time, so memory stays flat however many cases
// there are.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <string>
#include <unordered_map>

#include "core/pg_store.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/status_filter.hpp"
#include "core/store_rows.hpp"

namespace mend {
namespace {

constexpr int kBatch = 2000;

// Runs `sql` through a cursor (inside the caller's transaction) and calls
// `each(result, row)` for every row, kBatch rows at a time.
void each_row(PgConn& conn, const std::string& sql, const PgParams& params,
              const std::function<void(const PgResult&, int)>& each) {
  conn.exec("DECLARE mend_rows NO SCROLL CURSOR FOR " + sql, params);
  for (;;) {
    auto r = conn.exec("FETCH " + std::to_string(kBatch) + " FROM mend_rows");
    for (int i = 0; i < r.rows(); ++i)
      each(r, i);
    if (r.rows() < kBatch) break;
  }
  conn.exec("CLOSE mend_rows");
}

constexpr int kExportBatch = 100;  // cases exported together

}  // namespace

void PgStore::export_cases(const ExportFilter& f, const std::function<void(const Case&)>& each) {
  std::string sql = std::string("SELECT ") + pg_case_columns() +
                    " FROM mend.cases c JOIN mend.customers u ON u.id = c.customer_id WHERE true";
  PgParams p;
  sql += status_condition("c.status", f.statuses);
  for (const auto& status : f.statuses)
    p << status;
  auto time_bound = [&](const char* fragment, const std::optional<Time>& t) {
    if (!t) return;
    sql += fragment;
    p << static_cast<std::int64_t>(*t);
  };
  time_bound(" AND c.opened_at >= ?", f.since);
  time_bound(" AND c.opened_at < ?", f.until);
  time_bound(" AND c.resolved_at >= ?", f.resolved_since);
  time_bound(" AND c.resolved_at < ?", f.resolved_until);
  sql += " ORDER BY c.id";
  // A few cases at a time, their events and files read with one query each.
  read([&] {
    conn_.exec("DECLARE mend_rows NO SCROLL CURSOR FOR " + sql, p);
    std::vector<Case> cases;
    for (;;) {
      cases.clear();
      const auto r = conn_.exec("FETCH " + std::to_string(kExportBatch) + " FROM mend_rows");
      for (int i = 0; i < r.rows(); ++i)
        cases.push_back(pg_case_from(r, i));
      if (cases.empty()) break;
      std::string ids = "{";
      std::unordered_map<std::int64_t, Case*> by_id;
      for (auto& c : cases) {
        if (ids.size() > 1) ids += ',';
        ids += std::to_string(c.id);
        by_id[c.id] = &c;
      }
      ids += "}";
      const auto ev = conn_.exec(std::string("SELECT ") + kPgEventColumns +
                                     ", case_id FROM mend.events "
                                     "WHERE case_id = ANY(?::bigint[]) ORDER BY case_id, id",
                                 PgParams{} << ids);
      for (int i = 0; i < ev.rows(); ++i)
        by_id.at(ev.int64(i, 10))->events.push_back(pg_event_from(ev, i));
      const auto at = conn_.exec(
          "SELECT name, type, size, sha256, at, case_id FROM mend.attachments "
          "WHERE case_id = ANY(?::bigint[]) ORDER BY case_id, id",
          PgParams{} << ids);
      for (int i = 0; i < at.rows(); ++i)
        by_id.at(at.int64(i, 5))
            ->attachments.push_back(Attachment{at.text(i, 0), at.text(i, 1), at.int64(i, 2),
                                               at.text(i, 3), at.int64(i, 4)});
      for (const auto& c : cases)
        each(c);
      if (r.rows() < kExportBatch) break;
    }
    conn_.exec("CLOSE mend_rows");
  });
}

std::pair<Customer, std::int64_t> PgStore::get_customer(std::int64_t id) {
  return read([&] {
    auto r = conn_.exec(
        "SELECT id, name, email, phone, (SELECT count(*) FROM mend.cases WHERE customer_id = u.id) "
        "FROM mend.customers u WHERE id = ?",
        PgParams{} << id);
    if (r.rows() == 0) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
    Customer c{r.int64(0, 0), r.text(0, 1), r.opt_text(0, 2), r.opt_text(0, 3)};
    return std::pair<Customer, std::int64_t>(std::move(c), r.int64(0, 4));
  });
}

ForgetSummary PgStore::forget_customer(std::int64_t id, Time now) {
  ForgetSummary summary = write([&] {
    ForgetSummary s;
    if (conn_.exec("SELECT 1 FROM mend.customers WHERE id = ?", PgParams{} << id).rows() == 0)
      fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
    conn_.exec(
        "UPDATE mend.customers SET name = ?, email = NULL, phone = NULL, phone_key = NULL, "
        "forgotten_at = coalesce(forgotten_at, ?) WHERE id = ?",
        PgParams{} << "[forgotten #" + std::to_string(id) + "]" << static_cast<std::int64_t>(now)
                   << id);
    // Dates, channel, category, priority, tags, outcome, amount, fault,
    // cause and satisfaction stay, so reports stay right.
    s.cases = conn_
                  .exec(
                      "UPDATE mend.cases SET summary = '', complaint = NULL, wants = NULL, "
                      "reference = NULL, resolution_text = NULL WHERE customer_id = ?",
                      PgParams{} << id)
                  .affected();
    s.events = conn_
                   .exec(
                       "UPDATE mend.events SET text = '', message_from = NULL, message_to = NULL, "
                       "message_subject = NULL WHERE case_id IN "
                       "(SELECT id FROM mend.cases WHERE customer_id = ?)",
                       PgParams{} << id)
                   .affected();
    // Their files go whole, and with them every stored file no other case keeps.
    s.attachments = conn_
                        .exec(
                            "DELETE FROM mend.attachments WHERE case_id IN "
                            "(SELECT id FROM mend.cases WHERE customer_id = ?)",
                            PgParams{} << id)
                        .affected();
    conn_.exec(
        "DELETE FROM mend.blobs b WHERE NOT EXISTS "
        "(SELECT 1 FROM mend.attachments a WHERE a.sha256 = b.sha256)");
    return s;
  });
  // The old row versions that still hold the words go at the next VACUUM;
  // this one runs now, on the tables forget touched. What the server keeps
  // beyond (WAL archives, base backups) is the README's to tell.
  vacuum("mend.customers, mend.cases, mend.events, mend.attachments, mend.blobs");
  // The search words are written again at every change of a case, and a
  // plain VACUUM leaves the old ones' bytes in the pages' free space; the GIN
  // index keeps a word as a key after the last case that held it is gone. So
  // they are both written anew, without them.
  vacuum("FULL mend.search");
  summary.wal_truncated = true;
  return summary;
}

void PgStore::vacuum(const char* tables) {
  conn_.run((std::string("VACUUM ") + tables).c_str());
}

void PgStore::backup_to(const std::string& dest, const std::string& shown_as) {
  const std::string& shown = shown_as.empty() ? dest : shown_as;
  guarded(shown, [&] {
    SqliteStore copy(dest);  // mend's schema in the empty file
    auto& db = copy.db();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    // One REPEATABLE READ snapshot: every table as of the same moment.
    read([&] {
      struct Table {
        const char* name;
        const char* columns;
        int count;
      };
      for (const Table& t : {
               Table{"customers", "id, name, email, phone, phone_key, created_at, forgotten_at", 7},
               Table{"cases",
                     "id, customer_id, status, summary, complaint, wants, channel, category, "
                     "priority, reference, opened_at, due_at, resolved_at, followup_at, "
                     "closed_at, outcome, resolution_text, amount_cents, currency, fault, cause, "
                     "satisfaction, followup_done_at, owner",
                     24},
               Table{"case_tags", "case_id, tag", 2},
               Table{"events",
                     "id, case_id, at, kind, text, author, message_id, message_from, message_to, "
                     "message_subject, message_direction",
                     11},
               Table{"blobs", "sha256, size, data", 3},
               Table{"attachments", "id, case_id, name, type, size, sha256, at", 7},
               Table{"mail_seen", "key, case_id", 2},
           }) {
        std::string marks;
        for (int i = 0; i < t.count; ++i)
          marks += i == 0 ? "?" : ", ?";
        SQLite::Statement ins(db, std::string("INSERT INTO ") + t.name + " (" + t.columns +
                                      ") VALUES (" + marks + ")");
        // Bytes leave PostgreSQL as hex text and go into SQLite as a blob.
        const bool blobs = std::string(t.name) == "blobs";
        const std::string select =
            blobs ? "SELECT sha256, size, encode(data, 'hex') FROM mend.blobs"
                  : std::string("SELECT ") + t.columns + " FROM mend." + t.name;
        each_row(conn_, select, PgParams{}, [&](const PgResult& r, int row) {
          ins.reset();
          for (int col = 0; col < t.count; ++col) {
            if (r.null(row, col)) {
              ins.bind(col + 1);
            } else if (blobs && col == 2) {
              const auto hex = r.view(row, col);
              std::string bytes(hex.size() / 2, '\0');
              for (std::size_t k = 0; k < bytes.size(); ++k)
                bytes[k] =
                    static_cast<char>(std::stoi(std::string(hex.substr(2 * k, 2)), nullptr, 16));
              ins.bind(col + 1, bytes.data(), static_cast<int>(bytes.size()));
            } else {
              ins.bind(col + 1, r.text(row, col));
            }
          }
          ins.exec();
        });
      }
    });
    rebuild_search_index(db);
    tx.commit();
    db.exec("PRAGMA journal_mode=DELETE");  // one self-contained file, no -wal beside it
    SQLite::Statement q(db, "PRAGMA integrity_check");
    if (!q.executeStep() || q.getColumn(0).getString() != "ok")
      fail(ErrorKind::io, "the copy in " + shown + " failed its integrity check");
  });
}

}  // namespace mend
