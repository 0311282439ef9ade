// Snippets on PostgreSQL made as SQLite's FTS5 makes them (its snippet()),
// so that `mend search` shows the same text on both stores: the words of a
// text split as FTS5's unicode61 tokenizer splits them, and the window of
// words around the matches chosen by the same rules. Which words match is
// the caller's to say (PostgreSQL's stemmer decides). Pure, so it is tested
// against SQLite itself. Internal to the core.
#pragma once

#include <cstddef>
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

// The words of `text`: runs of letters and digits (every character but ASCII
// punctuation, spaces, controls and the punctuation in kWordSeparators).
std::vector<TextWord> text_words(std::string_view text);

// The characters besides ASCII ones that separate words, in UTF-8; the
// schema's mend.search_clean turns the same ones into spaces.
inline constexpr std::string_view kWordSeparators =
    "\xC2\xB7"       // · middle dot
    "\xE2\x80\x9C"   // “
    "\xE2\x80\x9D"   // ”
    "\xE2\x80\x98"   // ‘
    "\xE2\x80\x99"   // ’
    "\xE2\x80\x9E"   // „
    "\xC2\xAB"       // «
    "\xC2\xBB"       // »
    "\xE2\x80\xA6"   // …
    "\xE2\x80\x93"   // – en dash
    "\xE2\x80\x94"   // — em dash
    "\xE2\x80\xA2";  // • bullet

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
