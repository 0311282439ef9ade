// The query language of `mend search` (the README, Search), parsed into its
// terms (ParsedSearch, which the PostgreSQL store turns into a tsquery) and
// translated into an FTS5 MATCH expression. Pure: text in, text out, so that
// it is unit-tested and fuzzed without a database; only which words hold
// something to search for is asked of the caller (the store's own tokenizer,
// see Fts5Words).
//
//   parcel leeds        every word must match, in any order
//   refund*             a prefix
//   "two words"         a phrase ("two wor"* : a phrase ending in a prefix)
//   late OR lost parcel OR binds tighter than the implicit AND:
//                       (late or lost) and parcel; a OR b OR c is one group
//   NOT leeds, -leeds   excludes (NOT excludes the OR group after it)
//   AND                 allowed, and changes nothing
//
// Every word and phrase reaches FTS5 as a quoted string, so nothing a user
// types (", *, -, :, ^, +, NEAR, parentheses, a column name) can become FTS5
// syntax: the only operators in the result are the ones written here.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mend {

// The length, in characters, of the last word in `text` the index could hold
// (a token of FTS5's tokenizer), 0 when there is none: "***", "-" and "" hold
// none.
using LastWord = std::function<std::size_t(std::string_view text)>;

// A prefix (word*) needs this many characters before the *: FTS5 gathers
// every word that starts so in memory, and at a million cases one letter
// gathers hundreds of thousands (55 MiB for a*, under 32 MiB for two).
inline constexpr std::size_t kMinPrefix = 2;

// A word or phrase to search for: its words as typed, without quotes, stars
// or a leading -; `prefix` when it ended in *.
struct SearchTerm {
  std::string text;
  bool prefix = false;
};

// A query, every term of it holding a word: every group of `wanted` must
// match (one of its terms, which OR joined), and no term of `unwanted`.
// `wanted` is never empty.
struct ParsedSearch {
  std::vector<std::vector<SearchTerm>> wanted;
  std::vector<SearchTerm> unwanted;
};

// `query` parsed. Error(usage), saying what is wrong, when it is malformed
// (as fts_query below says).
ParsedSearch parse_search(std::string_view query, const LastWord& last_word);

// The FTS5 expression for `query`. Error(usage), saying what is wrong, when
// the query is malformed: not valid UTF-8, an unclosed quote, an OR or NOT
// with no word where one must be, an OR joining an excluded word, a prefix
// shorter than kMinPrefix, no word to search for, or only excluded words.
std::string fts_query(std::string_view query, const LastWord& last_word);

}  // namespace mend
