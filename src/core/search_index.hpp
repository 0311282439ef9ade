// The search index (cases_fts, migration 4): one FTS5 document per case,
// read from the view search_docs, which is the one place that says which text
// a case is found by. Internal to the core.
//
// cases_fts keeps no copy of the text (external content): to take a case out
// of it, FTS5 must be given the very words it indexed. So every write that
// changes a case's words takes them out before the rows change and puts them
// back after, in the write's own transaction (a SearchUpdate around it).
// Writes that miss this leave words in the index that the rows no longer
// hold: tests compare the index with one rebuilt from the rows after every
// command (tests/cli/search_test.cpp).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace mend {

// Around one write that changes the words of a case (summary, complaint,
// wants, reference, resolution text, cause, category, tags, events,
// attachments), or of a customer (name, email, phone: the words of every case
// of theirs). Construct it before the rows change; call done() after.
//
// A database changed by another program (sqlite3) may hold other words than
// the index was given. When FTS5 notices as the old words are taken out (it
// reports its index corrupt: they add up to more than it counted), the index
// is rebuilt from the rows instead, in the same transaction, and the write
// goes on. When it does not, the index keeps the words the rows lost (and
// lacks those it was never given) until then.
class SearchUpdate {
 public:
  static SearchUpdate of_case(SQLite::Database& db, std::int64_t case_id);
  // except_pending: not the cases a PendingCases holds (not in the index yet).
  static SearchUpdate of_customer(SQLite::Database& db, std::int64_t customer_id,
                                  bool except_pending = false);
  // The words as they are now go into the index.
  void done();

 private:
  SearchUpdate(SQLite::Database& db, const char* where, std::int64_t id);
  SQLite::Database& db_;
  // One statement both takes the words out and puts them in (preparing a
  // statement over search_docs costs more than running it for a case).
  std::unique_ptr<SQLite::Statement> statement_;
  bool rebuild_ = false;
};

// Cases that are new (inserted in this transaction, never indexed): their
// words go in, one prepared statement for all of them.
class NewCaseIndexer {
 public:
  explicit NewCaseIndexer(SQLite::Database& db);
  void add(std::int64_t case_id);

 private:
  SQLite::Statement insert_;
};

// Cases an import writes into a database that holds cases already: their
// ids wait in a temporary table (temp.search_pending) and their words go in
// together at the end, as into an empty database (a document at a time made
// the import twice as slow). Meanwhile SearchUpdate::of_customer(...,
// except_pending = true) leaves them alone.
class PendingCases {
 public:
  explicit PendingCases(SQLite::Database& db);
  ~PendingCases();
  PendingCases(const PendingCases&) = delete;
  PendingCases& operator=(const PendingCases&) = delete;
  void add(std::int64_t case_id);
  // Their words go in; the table is emptied.
  void index_all();

 private:
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> add_;
};
// The whole index made again from the rows: for an index that holds nothing
// yet (an import into an empty database builds it once, at the end), and to
// repair one that no longer matches the rows.
void rebuild_search_index(SQLite::Database& db);
// Merges the whole index into one segment. FTS5 (in SQLite before 3.44, which
// has no secure-delete option) takes a document out by adding a deletion to a
// newer segment, and keeps its words in the older ones until they are merged:
// `forget` merges everything, so that no page of the index holds an erased
// word (secure_delete zeroes the pages freed). It reads and writes the whole
// index, but tokenizes nothing: about a tenth of a rebuild.
void merge_search_index(SQLite::Database& db);

// FTS5's tokenizer as the index uses it (unicode61, diacritics removed; the
// porter stemmer on top changes words, never how many), to tell which words of
// a query hold something to search for, and how long a prefix is.
class Fts5Words {
 public:
  // Error(internal) when this SQLite has no FTS5.
  explicit Fts5Words(sqlite3* db);
  ~Fts5Words();
  Fts5Words(const Fts5Words&) = delete;
  Fts5Words& operator=(const Fts5Words&) = delete;
  // The length in characters of the last token of `text`; 0 when it has none.
  std::size_t last_word(std::string_view text) const;

 private:
  fts5_tokenizer api_{};
  Fts5Tokenizer* tokenizer_ = nullptr;
};

}  // namespace mend
