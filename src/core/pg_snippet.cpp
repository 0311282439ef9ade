#include "core/pg_snippet.hpp"

#include <algorithm>
#include <cstdint>

#include "core/utf8.hpp"

namespace mend {
namespace {

// Ranges of code points that separate words beyond ASCII, first to last.
struct Range {
  std::int32_t first;
  std::int32_t last;
};
constexpr Range kSeparatorRanges[] = {
    {0x80, 0xA9},     {0xAB, 0xB1},     {0xB4, 0xB4},     {0xB6, 0xB8},       {0xBB, 0xBB},
    {0xBF, 0xBF},     {0xD7, 0xD7},     {0xF7, 0xF7},     {0x34F, 0x34F},     {0x2000, 0x206F},
    {0x20A0, 0x20CF}, {0x2190, 0x23FF}, {0x2500, 0x27BF}, {0x2B00, 0x2BFF},   {0x3000, 0x3004},
    {0x3008, 0x3020}, {0xFE00, 0xFE0F}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE4F},   {0xFF01, 0xFF0F},
    {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0x1F000, 0x1FAFF},
};

// The score of the window of `words` words from `start`, as FTS5's
// fts5SnippetScore: 1000 for each phrase seen first, 1 for each seen again;
// and where the window would start to show its matches in the middle.
int window_score(const std::vector<PhraseMatch>& matches, int phrases, int size, int start,
                 int words, int* adjusted) {
  std::vector<char> seen(static_cast<std::size_t>(phrases), 0);
  int score = 0;
  int first = -1;
  int last = 0;
  const std::int64_t end = static_cast<std::int64_t>(start) + words;
  for (const auto& m : matches) {
    if (m.at < start || m.at >= end) continue;
    auto& s = seen[static_cast<std::size_t>(m.phrase)];
    score += s ? 1 : 1000;
    s = 1;
    if (first < 0) first = m.at;
    last = m.at + m.size;
  }
  if (adjusted) {
    std::int64_t adj = first - (words - (last - first)) / 2;
    if (adj + words > size) adj = size - words;
    if (adj < 0) adj = 0;
    *adjusted = static_cast<int>(adj);
  }
  return score;
}

}  // namespace

bool separates_words(std::int32_t cp) {
  if (cp < 0x80)
    return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  for (const auto& r : kSeparatorRanges)
    if (cp >= r.first && cp <= r.last) return true;
  return false;
}

std::vector<TextWord> text_words(std::string_view text) {
  std::vector<TextWord> out;
  TextWord current;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const std::int32_t cp = decode_utf8(text, i, len);
    if (cp >= 0 && separates_words(cp)) {
      if (current.chars > 0) out.push_back(current);
      current = TextWord{};
    } else {
      if (current.chars == 0) current.begin = i;
      current.end = i + len;
      ++current.chars;
    }
    i += len;
  }
  if (current.chars > 0) out.push_back(current);
  return out;
}

std::string fts5_snippet(std::string_view text, const std::vector<TextWord>& tokens,
                         const std::vector<PhraseMatch>& matches, int phrases, int words,
                         std::string_view open, std::string_view close, std::string_view ellipsis) {
  const int size = static_cast<int>(tokens.size());
  // The first word of every sentence: the first, and any after a . or : and a space.
  std::vector<int> firsts;
  for (int k = 0; k < size; ++k) {
    if (k == 0) {
      firsts.push_back(0);
      continue;
    }
    std::size_t i = tokens[static_cast<std::size_t>(k)].begin;
    const std::size_t from = i;
    char c = 0;
    while (i > 0) {
      c = text[--i];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    }
    if (i + 1 != from && (c == '.' || c == ':')) firsts.push_back(k);
  }
  // The best window: the most phrases, a sentence's start preferred.
  int best_score = 0;
  int best_start = 0;
  for (const auto& m : matches) {
    int adjusted = 0;
    int score = window_score(matches, phrases, size, m.at, words, &adjusted);
    if (score > best_score) {
      best_score = score;
      best_start = adjusted;
    }
    if (!firsts.empty() && size > words) {
      std::size_t j = 0;
      while (j + 1 < firsts.size() && firsts[j + 1] <= m.at)
        ++j;
      if (firsts[j] < m.at) {
        score = window_score(matches, phrases, size, firsts[j], words, nullptr);
        score += firsts[j] == 0 ? 120 : 100;
        if (score > best_score) {
          best_score = score;
          best_start = firsts[j];
        }
      }
    }
  }
  // The matches, overlapping ones as one, from the window on.
  struct Span {
    int start;
    int end;
  };
  std::vector<Span> spans;
  for (const auto& m : matches) {
    const int end = m.at + m.size - 1;
    if (!spans.empty() && m.at <= spans.back().end) {
      spans.back().end = std::max(spans.back().end, end);
    } else {
      spans.push_back(Span{m.at, end});
    }
  }
  std::size_t next = 0;
  while (next < spans.size() && spans[next].start < best_start)
    ++next;
  const auto span_start = [&] { return next < spans.size() ? spans[next].start : -1; };
  const auto span_end = [&] { return next < spans.size() ? spans[next].end : -1; };

  const int range_start = best_start;
  const int range_end = best_start + words - 1;
  std::string out;
  if (best_start > 0) out += ellipsis;
  std::size_t off = 0;
  const auto append_to = [&](std::size_t upto) {
    if (upto > off) out.append(text.substr(off, upto - off));
  };
  for (int pos = 0; pos < size; ++pos) {
    const auto& t = tokens[static_cast<std::size_t>(pos)];
    if (pos < range_start || pos > range_end) continue;
    if (range_start > 0 && pos == range_start) off = t.begin;
    if (pos == span_start()) {
      append_to(t.begin);
      out += open;
      off = t.begin;
    }
    if (pos == span_end()) {
      if (span_start() < range_start) out += open;
      append_to(t.end);
      out += close;
      off = t.end;
      ++next;
    }
    if (pos == range_end) {
      append_to(t.end);
      off = t.end;
      if (pos >= span_start() && pos < span_end()) out += close;
    }
  }
  if (range_end >= size - 1) {
    append_to(text.size());
  } else {
    out += ellipsis;
  }
  return out;
}

}  // namespace mend
