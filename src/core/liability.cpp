#include "core/liability.hpp"

#include <array>

namespace mend {
namespace {

constexpr std::array<std::string_view, 24> kAdmissions = {
    "our fault",
    "my fault",
    "our mistake",
    "my mistake",
    "our error",
    "my error",
    "we caused",
    "i caused",
    "we are to blame",
    "we're to blame",
    "i am to blame",
    "i'm to blame",
    "we are at fault",
    "we're at fault",
    "i am at fault",
    "i'm at fault",
    "we messed up",
    "i messed up",
    "we screwed up",
    "i screwed up",
    "we made a mistake",
    "i made a mistake",
    "we are responsible for",
    "we're responsible for",
};

// Words that apologise for the customer's experience (which the playbook
// wants), as opposed to admitting fault (which it does not).
constexpr std::array<std::string_view, 11> kApologies = {
    "sorry",       "apologise", "apologize", "apologised", "apologized", "apologising",
    "apologizing", "apologies", "apology",   "regret",     "regrets"};

// Words that, just before a phrase, turn it around.
constexpr std::array<std::string_view, 8> kNegations = {"not",    "no",    "never", "hardly",
                                                        "wasn't", "isn't", "nor",   "without"};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// Lower-case ASCII, one space for any run of white space, ' for the curly
// apostrophes U+2018/U+2019.
std::string normalised(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (c == '\xe2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
        (text[i + 2] == '\x98' || text[i + 2] == '\x99')) {
      out += '\'';
      i += 2;
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

// The word that ends just before `pos` (skipping one space), or "".
std::string_view word_before(std::string_view s, std::size_t pos) {
  if (pos == 0) return {};
  std::size_t end = pos;
  while (end > 0 && !is_word_char(s[end - 1]))
    --end;
  std::size_t start = end;
  while (start > 0 && is_word_char(s[start - 1]))
    --start;
  return s.substr(start, end - start);
}

bool negated(std::string_view s, std::size_t pos) {
  const auto word = word_before(s, pos);
  if (word.size() >= 3 && word.substr(word.size() - 3) == "n't") return true;
  for (auto n : kNegations)
    if (word == n) return true;
  return false;
}

// The earliest of `phrases` in `text` that stands as whole words and is not negated.
template <std::size_t N>
std::optional<std::string> first_phrase(std::string_view text,
                                        const std::array<std::string_view, N>& phrases) {
  const std::string s = normalised(text);
  std::optional<std::size_t> best_pos;
  std::string_view best;
  for (auto phrase : phrases) {
    for (std::size_t pos = s.find(phrase); pos != std::string::npos;
         pos = s.find(phrase, pos + 1)) {
      const std::size_t end = pos + phrase.size();
      const bool starts_word = pos == 0 || !is_word_char(s[pos - 1]);
      const bool ends_word = end == s.size() || !is_word_char(s[end]);
      if (!starts_word || !ends_word || negated(s, pos)) continue;
      if (!best_pos || pos < *best_pos) {
        best_pos = pos;
        best = phrase;
      }
      break;
    }
  }
  if (!best_pos) return std::nullopt;
  return std::string(best);
}

}  // namespace

std::optional<std::string> admitted_fault(std::string_view text) {
  return first_phrase(text, kAdmissions);
}

std::optional<std::string> apology_in(std::string_view text) {
  return first_phrase(text, kApologies);
}

}  // namespace mend
