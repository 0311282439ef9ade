#include "cli/terminal_text.hpp"

#include <fmt/format.h>
#include <utf8proc.h>

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

}  // namespace

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
