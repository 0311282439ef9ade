#include "cli/terminal_text.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdint>

#include "core/utf8.hpp"

namespace mend::cli {
namespace {

// Columns a code point takes, from utf8proc's tables (Unicode's East Asian
// Width and emoji presentation): 2 for wide ones (CJK, most emoji), 0 for
// combining marks and zero-width characters. ASCII needs no table.
int codepoint_width(std::int32_t cp) {
  if (cp < 0x7F) return cp == 0 ? 0 : 1;
  return static_cast<int>(utf8proc_charwidth(cp));
}

enum class Layout { line, multiline, document };

std::string neutralised(std::string_view s, Layout layout) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    if (cp < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else if (cp == '\n' && layout != Layout::line) {
      out += '\n';
    } else if (cp == '\r' && layout == Layout::document && i + 1 < s.size() && s[i + 1] == '\n') {
      out += '\r';
    } else if (cp == '\t') {
      out += layout == Layout::document ? "\t" : layout == Layout::multiline ? "    " : " ";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += '^';
      out += static_cast<char>(cp == 0x7F ? '?' : cp + 0x40);
    } else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_or_separator(cp)) {
      out += fmt::format("<U+{:04X}>", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

// One of mend's colour codes at s[i] (ESC up to its final 'm'): its length.
std::size_t colour_code_length(std::string_view s, std::size_t i) {
  const auto end = s.find('m', i);
  return end == std::string_view::npos ? s.size() - i : end + 1 - i;
}

// A user-perceived character (grapheme cluster, as utf8proc segments them:
// e + combining accent, an emoji with its modifiers) and its columns.
struct Cluster {
  std::string_view text;
  int width = 0;
};

// A word cut into grapheme clusters; a colour code joins the cluster before it.
std::vector<Cluster> clusters(std::string_view s) {
  std::vector<Cluster> out;
  std::int32_t previous = -1;
  utf8proc_int32_t state = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\x1b') {
      const auto len = colour_code_length(s, i);
      if (out.empty()) out.push_back({s.substr(i, 0), 0});
      out.back().text = std::string_view(out.back().text.data(), out.back().text.size() + len);
      i += len;
      continue;
    }
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    const bool starts = out.empty() || previous < 0 || cp < 0 ||
                        utf8proc_grapheme_break_stateful(previous, cp, &state);
    if (starts) {
      out.push_back({s.substr(i, len), 0});
    } else {
      out.back().text = std::string_view(out.back().text.data(), out.back().text.size() + len);
    }
    out.back().width += cp < 0 ? 1 : codepoint_width(cp);
    previous = cp;
    i += len;
  }
  return out;
}

// One paragraph (no newline in it) as lines of at most `room` columns.
void wrap_paragraph(std::string_view p, int room, std::vector<std::string>& lines) {
  std::string line;
  int used = 0;
  bool has_word = false;     // the line holds more than leading spaces
  bool after_break = false;  // the line was begun by a break: spaces before its first word go
  const auto finish_line = [&] {
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
    used = 0;
    has_word = false;
    after_break = true;
  };
  for (std::size_t i = 0; i < p.size();) {
    std::size_t word_start = p.find_first_not_of(' ', i);
    if (word_start == std::string_view::npos) word_start = p.size();
    std::size_t word_end = p.find(' ', word_start);
    if (word_end == std::string_view::npos) word_end = p.size();
    std::string_view spaces =
        after_break && !has_word ? std::string_view{} : p.substr(i, word_start - i);
    const std::string_view word = p.substr(word_start, word_end - word_start);
    i = word_end;
    const int spaces_width = static_cast<int>(spaces.size());
    const int word_width = display_width(word);
    if (used + spaces_width + word_width <= room) {
      line.append(spaces);
      line.append(word);
      used += spaces_width + word_width;
      has_word = has_word || !word.empty();
      continue;
    }
    if (has_word) {
      finish_line();
    } else {  // leading spaces that leave no room for the word: they go
      line.clear();
      used = 0;
    }
    if (word_width <= room) {
      line.append(word);
      used = word_width;
      has_word = !word.empty();
      continue;
    }
    // Wider than the whole column: broken between clusters, as late as it can be.
    for (const auto& c : clusters(word)) {
      if (used > 0 && used + c.width > room) finish_line();
      line.append(c.text);
      used += c.width;
      has_word = true;
    }
  }
  // A paragraph's trailing spaces make no line of their own.
  const bool blank = line.find_first_not_of(' ') == std::string::npos;
  if (!blank || !after_break) finish_line();
}

}  // namespace

std::vector<std::string> wrap(std::string_view s, int width, int indent) {
  const int room = std::max(width - indent, kNarrowestColumn);
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    const auto nl = s.find('\n', start);
    std::vector<std::string> paragraph;
    wrap_paragraph(
        s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start), room,
        paragraph);
    lines.insert(lines.end(), std::make_move_iterator(paragraph.begin()),
                 std::make_move_iterator(paragraph.end()));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string terminal_safe(std::string_view s, bool multiline) {
  return neutralised(s, multiline ? Layout::multiline : Layout::line);
}

std::string html_text(std::string_view raw, bool multiline) {
  std::string out;
  for (char c : terminal_safe(raw, multiline)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case ':':
        out += "&#58;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string terminal_document(std::string_view s) {
  return neutralised(s, Layout::document);
}

int display_width(std::string_view s) {
  int width = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    if (cp == 0x1B) {  // our own colour codes: skip to the final 'm'
      const auto end = s.find('m', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    width += cp < 0 ? 1 : codepoint_width(cp);
    i += len;
  }
  return width;
}

std::string fit(std::string_view s, int width) {
  if (display_width(s) <= width) return std::string(s);
  if (width <= 0) return {};
  std::string out;
  int used = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    const int w = cp < 0 ? 1 : codepoint_width(cp);
    if (used + w > width - 1) break;
    out.append(s.substr(i, len));
    used += w;
    i += len;
  }
  return out + "…";
}

std::string pad(std::string_view s, int width) {
  std::string out(s);
  const int w = display_width(s);
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  return out;
}

}  // namespace mend::cli
