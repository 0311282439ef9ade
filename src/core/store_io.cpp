// Data in and out: export, backup and forget. Part of class Store
// (store.hpp); import is store_import.cpp.
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
#include <vector>

#include "core/limits.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

namespace mend {
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
      bind_word(q, ++index, status);
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

namespace {

void mark_rollback_journal(const std::string& dest, const std::string& shown) {
  const int fd = ::open(dest.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  const unsigned char legacy[2] = {1, 1};
  const bool marked = fd >= 0 && ::pwrite(fd, legacy, 2, 18) == 2 && ::fsync(fd) == 0;
  const int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!marked) fail(ErrorKind::io, "cannot write " + shown + ": " + std::strerror(saved));
}

// The copy `dest` of the database `source` passes SQLite's integrity check and
// its foreign keys hold, or Error(io) says what is wrong.
void check_copy(const std::string& dest, const std::string& shown, const std::string& source) {
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
  if (first_case != 0) throw missing_customer(source, first_case, consequence);
  fail(ErrorKind::io, source + " is damaged: " + first + ", so " + consequence +
                          "; keep a copy of the file as it is (cp) and your backups, then "
                          "sqlite3 " +
                          source + " 'PRAGMA foreign_key_check' lists every broken row");
}

}  // namespace

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
  mark_rollback_journal(dest, shown);
  guarded(shown, [&] { check_copy(dest, shown, path_); });
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
      if (!row_exists(known, id)) fail(ErrorKind::not_found, "no customer #" + std::to_string(id));
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
