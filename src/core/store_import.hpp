// The SQLite bulk load behind SqliteStore::import_cases: one transaction,
// all or nothing. Internal to the core (store_import.cpp).
//
// An Importer owns everything the load changes about its connection, each as
// an object that puts it back when the import ends, finished or failed: the
// connection's pragmas, the WAL write buffer (wal_buffer.hpp), the temporary
// tables of per-import state, the transaction (rolled back unless finished),
// and the indexes dropped for the load (a rollback brings them back).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/search_index.hpp"
#include "core/store.hpp"

namespace mend {

class SqliteStore;

// A set of small ids (below 2^26, 8 MiB at most), one bit each.
class IdBitmap {
 public:
  static constexpr std::int64_t kEnd = std::int64_t{1} << 26;
  static bool fits(std::int64_t id) { return id > 0 && id < kEnd; }
  bool has(std::int64_t id) const;
  void add(std::int64_t id);  // fits(id)

 private:
  std::vector<std::uint64_t> words_;
};

// Rows go in many to a statement: one statement prepared per power of two
// up to max_rows (store_import.cpp says why).
struct MultiRow {
  std::string head;  // up to VALUES
  int columns;       // parameters a row
  std::size_t max_rows;
  std::vector<std::unique_ptr<SQLite::Statement>> by_log = {};
};

// The connection's settings for the load, restored at the end.
class BulkSettings {
 public:
  explicit BulkSettings(SQLite::Database& db);
  ~BulkSettings();
  BulkSettings(const BulkSettings&) = delete;
  BulkSettings& operator=(const BulkSettings&) = delete;
  // The smaller page cache for the index builds at the end.
  void for_index_builds();

 private:
  SQLite::Database& db_;
  std::int64_t cache_size_;
};

// The WAL write buffer, on while the import runs (wal_buffer.hpp).
class WalBuffering {
 public:
  explicit WalBuffering(SQLite::Database& db);
  ~WalBuffering();
  WalBuffering(const WalBuffering&) = delete;
  WalBuffering& operator=(const WalBuffering&) = delete;

 private:
  SQLite::Database& db_;
};

// The temporary tables of one import, empty at the start, dropped at the end.
class ImportTables {
 public:
  explicit ImportTables(SQLite::Database& db);
  ~ImportTables();
  ImportTables(const ImportTables&) = delete;
  ImportTables& operator=(const ImportTables&) = delete;

 private:
  SQLite::Database& db_;
};

// The indexes an import into an empty database drops and builds again at
// the end (store_import.cpp says why). Dropped inside the import's
// transaction: if it rolls back, they are back as they were.
class DroppedIndexes {
 public:
  DroppedIndexes(SQLite::Database& db, bool drop);
  // Builds them again, inside the same transaction.
  void rebuild();
  bool any() const { return !sql_.empty(); }

 private:
  SQLite::Database& db_;
  std::vector<std::string> sql_;  // their CREATE INDEX statements
};

// Foreign keys checked as rows go in but counted until the commit (why in
// store_import.cpp). SQLite turns this off itself when the transaction ends.
struct DeferredForeignKeys {
  explicit DeferredForeignKeys(SQLite::Database& db);
};

class Importer {
 public:
  // Takes the write lock (BEGIN IMMEDIATE) and sets the connection up.
  Importer(SqliteStore& store, SQLite::Database& db, Time now,
           const std::optional<std::string>& files_dir);
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;
  // Loads every line, commits, then lists the ids that moved. Once only.
  ImportSummary run(const LineReader& read_line, const std::string& source,
                    const std::function<void(const Reassignment&)>& reassigned);

 private:
  // A case with the ids it goes in under.
  struct Placed {
    const Case* c;
    std::int64_t id;
    std::int64_t customer_id;
  };
  // A tag or event of a placed case: its index in the case's list.
  struct Child {
    std::int64_t case_id;
    std::size_t index;
  };
  // A customer of the input kept under its own id, waiting to go in.
  struct NewCustomer {
    const Customer* c;
    std::optional<std::string> phone_key;
    std::int64_t created;
    std::optional<std::int64_t> forgotten_at;
  };
  // A line read and parsed on the parsing thread.
  struct Parsed {
    std::int64_t line_no = 0;
    std::string line;
    Case c;
  };

  // The steps, in the order run() takes them.
  void read_lines(const LineReader& read_line, const std::string& source);
  void place(std::span<Parsed> items);
  void place_deferred();
  void finish();
  void report(const std::function<void(const Reassignment&)>& reassigned);

  // Customers.
  std::optional<std::int64_t> known(std::int64_t old);
  void remember(std::int64_t old, std::int64_t now_id);
  bool customer_fits_now(const Customer& in);
  std::int64_t place_customer(const Customer& in, Time created);
  std::int64_t match_or_add_customer(const Customer& in, Time created,
                                     std::optional<std::int64_t> forgotten_at);
  void flush_customers();

  // Cases and what hangs off them.
  bool insert_case(const Case& c, std::int64_t customer_id, bool keep_id);
  void flush_batch();
  void insert_children(std::span<const Placed> cases);
  void insert_tags(std::span<const Placed> cases);
  void insert_events(std::span<const Placed> cases);
  void defer_line(const Parsed& p);
  void record(const char* what, std::int64_t from, std::int64_t to);
  template <class BindRow>
  void insert_rows(MultiRow& m, std::size_t n, const BindRow& bind_row);

  SqliteStore& store_;
  SQLite::Database& db_;
  const Time now_;
  const std::optional<std::string>& files_dir_;
  ImportSummary summary_;

  // Put back in the reverse order when the import ends.
  BulkSettings settings_;
  WalBuffering buffering_;
  ImportTables tables_;
  SQLite::Transaction tx_;
  DeferredForeignKeys deferred_keys_;
  const bool empty_before_;
  DroppedIndexes indexes_;
  std::optional<PendingCases> pending_;  // into a database that holds cases

  SQLite::Statement defer_;
  SQLite::Statement mapped_;
  SQLite::Statement map_;
  SQLite::Statement note_;
  SQLite::Statement customer_exists_;
  SQLite::Statement case_exists_;
  SQLite::Statement add_customer_;
  SQLite::Statement add_case_;
  SQLite::Statement seen_insert_;
  MultiRow cases_insert_;
  MultiRow events_insert_;
  MultiRow tags_insert_;
  MultiRow customers_insert_;

  IdBitmap kept_ids_;             // customers placed under their own id
  std::int64_t mapped_rows_ = 0;  // rows in temp.import_customers
  std::int64_t found_free_ = 0;   // the id customer_fits_now last found free (0: none)
  std::vector<NewCustomer> new_customers_;
  const std::int64_t highest_before_;  // the highest case id before the import
  IdBitmap batched_ids_;
  std::vector<Placed> batch_;
  std::vector<Child> children_;
  std::int64_t line_no_ = 0;
};

}  // namespace mend
