// Snippets made for the PostgreSQL store (pg_snippet.hpp) against the ones
// SQLite's FTS5 makes of the same text for the same phrases: the same words,
// the same window, the same marks and ellipses.
#include "core/pg_snippet.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <cctype>
#include <string>
#include <vector>

using namespace mend;

namespace {

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// FTS5's snippet of `text` for the phrases (each a list of words), joined by OR.
std::string fts5(const std::string& text, const std::vector<std::vector<std::string>>& phrases) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')");
  SQLite::Statement insert(db, "INSERT INTO t (rowid, a) VALUES (1, ?)");
  insert.bind(1, text);
  insert.exec();
  std::string match;
  for (const auto& p : phrases) {
    std::string words;
    for (const auto& w : p)
      words += (words.empty() ? "" : " ") + w;
    match += (match.empty() ? "" : " OR ") + ("\"" + words + "\"");
  }
  SQLite::Statement q(db, "SELECT snippet(t, 0, '[', ']', '…', 12) FROM t WHERE t MATCH ?");
  q.bind(1, match);
  REQUIRE(q.executeStep());
  return q.getColumn(0).getString();
}

// Ours, the words matched as FTS5 matches them here (letter case aside).
std::string ours(const std::string& text, const std::vector<std::vector<std::string>>& phrases) {
  const auto tokens = text_words(text);
  std::vector<PhraseMatch> matches;
  for (std::size_t at = 0; at < tokens.size(); ++at)
    for (std::size_t p = 0; p < phrases.size(); ++p) {
      const auto& words = phrases[p];
      if (at + words.size() > tokens.size()) continue;
      bool all = true;
      for (std::size_t k = 0; k < words.size() && all; ++k) {
        const auto& t = tokens[at + k];
        all = lower(text.substr(t.begin, t.end - t.begin)) == words[k];
      }
      if (all)
        matches.push_back(
            PhraseMatch{static_cast<int>(p), static_cast<int>(at), static_cast<int>(words.size())});
    }
  return fts5_snippet(text, tokens, matches, static_cast<int>(phrases.size()), 12, "[", "]", "…");
}

}  // namespace

TEST_CASE("snippets are FTS5's: the window, the marks and the ellipses") {
  const std::string long_text =
      "The parcel never arrived; the courier says the Leeds depot lost it. We called twice: "
      "nobody answered, so the customer wants a refund for the parcel and the postage. "
      "Later the depot found it · sent again · jo@example.com · 555-0100 · “quoted” words…";
  const std::vector<std::vector<std::vector<std::string>>> queries = {
      {{"parcel"}},
      {{"refund"}},
      {{"depot"}},
      {{"postage"}},
      {{"words"}},
      {{"example"}},
      {{"0100"}},
      {{"quoted"}},
      {{"nobody", "answered"}},
      {{"the", "customer"}, {"customer", "wants"}},
      {{"refund"}, {"depot"}},
      {{"leeds"}, {"parcel"}, {"courier"}},
      {{"the"}},
  };
  for (const auto& phrases : queries) {
    CAPTURE(phrases.front().front());
    CHECK(ours(long_text, phrases) == fts5(long_text, phrases));
  }
  const std::string short_text = "Refund · a refund · billing";
  CHECK(ours(short_text, {{"refund"}}) == fts5(short_text, {{"refund"}}));
  CHECK(ours(short_text, {{"billing"}}) == fts5(short_text, {{"billing"}}));
}

TEST_CASE("a text's words split at punctuation, as FTS5's tokenizer splits them") {
  const std::string text = "jo@example.com, 555-0100 · “Café” naïve—don't";
  std::vector<std::string> words;
  for (const auto& w : text_words(text))
    words.push_back(text.substr(w.begin, w.end - w.begin));
  CHECK(words == std::vector<std::string>{"jo", "example", "com", "555", "0100", "Café", "naïve",
                                          "don", "t"});
  CHECK(text_words("Café")[0].chars == 4);
  CHECK(text_words("*** - ").empty());
}

TEST_CASE("a text holds as many words as FTS5's unicode61 tokenizer finds in it") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(
      "CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2');"
      "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');");
  const std::vector<std::string> texts = {
      "5€ or 5 € · 10×2 ÷ 3 ± 1",
      "emoji 😀 and ✓ ticks → arrows ★ stars",
      "no\xC2\xA0"
      "break space and ½ or ² µ ª º",
      "cafe\xCC\x81 with a combining accent, e\xCC\x81te\xCC\x81 in one word",
      "a\xEF\xB8\x8F"
      "b x\xCD\x8F"
      "y \xCC\x81"
      "alone",
      "full\xEF\xBC\x81width\xE3\x80\x82stop",
      "§4 ¶2 ©2026 ®mend «quoted» ¿why?",
  };
  for (const auto& text : texts) {
    CAPTURE(text);
    db.exec("DELETE FROM t");
    SQLite::Statement insert(db, "INSERT INTO t (rowid, a) VALUES (1, ?)");
    insert.bind(1, text);
    insert.exec();
    SQLite::Statement count(db, "SELECT count(*) FROM v");
    REQUIRE(count.executeStep());
    CHECK(text_words(text).size() == static_cast<std::size_t>(count.getColumn(0).getInt64()));
  }
}
