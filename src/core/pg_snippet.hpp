// Snippets on PostgreSQL made as SQLite's FTS5 makes them (its snippet()),
// so that `mend search` shows the same text on both stores: the words of a
// text split as FTS5's unicode61 tokenizer splits them, and the window of
// words around the matches chosen by the same rules. Which words match is
// the caller's to say (PostgreSQL's stemmer decides). Pure, so it is tested
// against SQLite itself. Internal to the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mend {

// A word of a text: its bytes [begin, end), and its length in characters.
struct TextWord {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t chars = 0;
};

// The words of `text`: runs of letters and digits, as FTS5's unicode61
// tokenizer has them (separated by everything else: spaces, punctuation,
// symbols, emoji; see separates_words). An accent written as a combining mark
// is part of its word.
std::vector<TextWord> text_words(std::string_view text);

// Does the code point separate words? Every ASCII character but letters and
// digits, and the punctuation, symbol and space blocks of Unicode. The
// schema's mend.search_clean turns the same characters into spaces.
bool separates_words(std::int32_t cp);

// One match of a phrase of the query: phrase number, first word, words.
struct PhraseMatch {
  int phrase = 0;
  int at = 0;
  int size = 1;
};

// FTS5's snippet(): at most `words` words of `text` around the matches
// (sorted by `at`), each match between `open` and `close`, `ellipsis` where
// the text goes on before or after.
std::string fts5_snippet(std::string_view text, const std::vector<TextWord>& tokens,
                         const std::vector<PhraseMatch>& matches, int phrases, int words,
                         std::string_view open, std::string_view close, std::string_view ellipsis);

}  // namespace mend
