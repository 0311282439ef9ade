// libFuzzer harness: the query translation of `mend search`. Whatever the
// bytes, fts_query never crashes and refuses only with a usage error; what it
// accepts is an FTS5 expression that FTS5 runs without error (on a table made
// like the index, with its tokenizer), and outside its quoted strings holds
// nothing but the operators the translator writes: AND, OR, NOT, parentheses,
// a * right after a string, and spaces. So no word a user types can reach
// FTS5 as syntax (a column filter, NEAR, ^, +, a bare *).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "core/search_index.hpp"
#include "core/search_query.hpp"

namespace {

struct Fixture {
  SQLite::Database db{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  mend::Fts5Words words{db.getHandle()};
  SQLite::Statement* match = nullptr;
  Fixture() {
    db.exec(
        "CREATE VIRTUAL TABLE t USING fts5(summary, customer, details, events, "
        "tokenize = 'porter unicode61 remove_diacritics 2');"
        "INSERT INTO t VALUES ('Parcel arrived late', 'Ada Lovelace ada@example.com', "
        "'Café refunds', 'called Leeds');"
        "INSERT INTO t VALUES ('New York order', 'Bob', 'arrived broken', 'near the door');");
    match = new SQLite::Statement(db, "SELECT count(*) FROM t WHERE t MATCH ?");
  }
};

// Outside quoted strings: only the translator's own operators.
bool only_operators_outside_quotes(std::string_view fts) {
  bool after_string = false;
  for (std::size_t i = 0; i < fts.size();) {
    const char c = fts[i];
    if (c == '"') {
      // A string runs to the next lone quote; "" inside is a quote.
      ++i;
      for (;;) {
        if (i >= fts.size()) return false;  // unterminated
        if (fts[i] == '"') {
          if (i + 1 < fts.size() && fts[i + 1] == '"') {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (fts[i] == '\0') return false;
        ++i;
      }
      after_string = true;
      continue;
    }
    if (c == '*') {
      if (!after_string) return false;
      after_string = false;
      ++i;
      continue;
    }
    after_string = false;
    if (c == ' ' || c == '(' || c == ')') {
      ++i;
      continue;
    }
    bool op = false;
    for (std::string_view word : {"AND", "OR", "NOT"}) {
      if (fts.substr(i, word.size()) == word) {
        i += word.size();
        op = true;
        break;
      }
    }
    if (!op) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture* fx = new Fixture();
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  std::string fts;
  try {
    fts = mend::fts_query(query, [](std::string_view text) { return fx->words.last_word(text); });
  } catch (const mend::Error& e) {
    if (e.kind() != mend::ErrorKind::usage) std::abort();
    return 0;
  }
  if (fts.empty() || !only_operators_outside_quotes(fts)) std::abort();
  try {
    fx->match->reset();
    fx->match->bind(1, fts);
    if (!fx->match->executeStep()) std::abort();
  } catch (const SQLite::Exception&) {
    std::abort();  // an FTS5 syntax error: the translation let something through
  }
  return 0;
}
