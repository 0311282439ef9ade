#include "core/search_index.hpp"

#include <SQLiteCpp/Statement.h>

#include <climits>
#include <string>

#include "core/errors.hpp"

namespace mend {
namespace {

constexpr const char* kColumns = "summary, customer, details, events, keys";

}  // namespace

SearchUpdate::SearchUpdate(SQLite::Database& db, const char* where, std::int64_t id)
    : db_(db),
      // ?1 is 'delete' (FTS5's command to take the words given out) or NULL
      // (a plain insert).
      statement_(std::make_unique<SQLite::Statement>(
          db, std::string("INSERT INTO cases_fts(cases_fts, rowid, ") + kColumns +
                  ") SELECT ?1, id, " + kColumns + " FROM search_docs WHERE " + where)) {
  statement_->bind(2, id);
  statement_->bind(1, "delete");
  try {
    statement_->exec();
  } catch (const SQLite::Exception& e) {
    // Only the statement was undone; the transaction goes on (see above).
    if (e.getExtendedErrorCode() != SQLITE_CORRUPT_VTAB) throw;
    rebuild_ = true;
  }
}

SearchUpdate SearchUpdate::of_case(SQLite::Database& db, std::int64_t case_id) {
  return SearchUpdate(db, "id = ?2", case_id);
}

SearchUpdate SearchUpdate::of_customer(SQLite::Database& db, std::int64_t customer_id,
                                       bool except_pending) {
  return SearchUpdate(db,
                      except_pending
                          ? "customer_id = ?2 AND id NOT IN (SELECT id FROM temp.search_pending)"
                          : "customer_id = ?2",
                      customer_id);
}

void SearchUpdate::done() {
  if (rebuild_) {
    rebuild_search_index(db_);
    return;
  }
  statement_->reset();
  statement_->bind(1);
  statement_->exec();
}

NewCaseIndexer::NewCaseIndexer(SQLite::Database& db)
    : insert_(db, std::string("INSERT INTO cases_fts(rowid, ") + kColumns + ") SELECT id, " +
                      kColumns + " FROM search_docs WHERE id = ?") {}

void NewCaseIndexer::add(std::int64_t case_id) {
  insert_.reset();
  insert_.bind(1, case_id);
  insert_.exec();
}

PendingCases::PendingCases(SQLite::Database& db) : db_(db) {
  db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS search_pending (id INTEGER PRIMARY KEY); "
      "DELETE FROM temp.search_pending;");
  add_ = std::make_unique<SQLite::Statement>(
      db_, "INSERT OR IGNORE INTO temp.search_pending (id) VALUES (?)");
}

PendingCases::~PendingCases() {
  add_.reset();
  try {
    db_.exec("DROP TABLE IF EXISTS temp.search_pending");
  } catch (...) {  // the connection is closing; the table goes with it
  }
}

void PendingCases::add(std::int64_t case_id) {
  add_->reset();
  add_->bind(1, case_id);
  add_->exec();
}

void PendingCases::index_all() {
  db_.exec(std::string("INSERT INTO cases_fts(rowid, ") + kColumns + ") SELECT id, " + kColumns +
           " FROM search_docs WHERE id IN (SELECT id FROM temp.search_pending); "
           "DELETE FROM temp.search_pending;");
}

void rebuild_search_index(SQLite::Database& db) {
  db.exec("INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')");
}

void merge_search_index(SQLite::Database& db) {
  db.exec("INSERT INTO cases_fts(cases_fts) VALUES ('optimize')");
}

Fts5Words::Fts5Words(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  void* user_data = nullptr;
  if (api == nullptr || api->iVersion < 2 ||
      api->xFindTokenizer(api, "unicode61", &user_data, &api_) != SQLITE_OK)
    fail(ErrorKind::internal, "this SQLite library has no FTS5 full-text search");
  const char* args[] = {"remove_diacritics", "2"};
  if (api_.xCreate(user_data, args, 2, &tokenizer_) != SQLITE_OK)
    fail(ErrorKind::internal, "FTS5's unicode61 tokenizer could not be created");
}

Fts5Words::~Fts5Words() {
  if (tokenizer_ != nullptr) api_.xDelete(tokenizer_);
}

std::size_t Fts5Words::last_word(std::string_view text) const {
  if (text.empty()) return 0;
  std::size_t last = 0;
  const auto token = [](void* ctx, int, const char* token, int bytes, int, int) {
    std::size_t chars = 0;  // UTF-8 lead bytes
    for (int i = 0; i < bytes; ++i)
      if ((static_cast<unsigned char>(token[i]) & 0xC0) != 0x80) ++chars;
    *static_cast<std::size_t*>(ctx) = chars;
    return SQLITE_OK;
  };
  // FTS5 takes lengths as int; a query is far below that (argv is bounded).
  const int len =
      text.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(text.size());
  api_.xTokenize(tokenizer_, &last, FTS5_TOKENIZE_QUERY, text.data(), len, token);
  return last;
}

}  // namespace mend
