// HTML mail made readable as plain text.
#include "core/html_text.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.hpp"

namespace mend {

namespace {

void decode_entity(std::string_view name, std::string& out) {
  static const std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"},   {"lt", "<"},    {"gt", ">"},     {"quot", "\""},  {"apos", "'"},
      {"nbsp", " "},  {"ndash", "–"}, {"mdash", "—"},  {"hellip", "…"}, {"rsquo", "’"},
      {"lsquo", "‘"}, {"rdquo", "”"}, {"ldquo", "“"},  {"euro", "€"},   {"pound", "£"},
      {"copy", "©"},  {"reg", "®"},   {"eacute", "é"}, {"egrave", "è"}, {"agrave", "à"},
      {"uuml", "ü"},  {"ouml", "ö"},  {"auml", "ä"},   {"szlig", "ß"},  {"ccedil", "ç"}};
  if (!name.empty() && name.front() == '#') {
    long cp = 0;
    if (name.size() > 1 && (name[1] == 'x' || name[1] == 'X')) {
      cp = std::strtol(std::string(name.substr(2)).c_str(), nullptr, 16);
    } else {
      cp = std::strtol(std::string(name.substr(1)).c_str(), nullptr, 10);
    }
    if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    const auto c = static_cast<unsigned long>(cp);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return;
  }
  for (const auto& [n, v] : kNamed) {
    if (n == name) {
      out += v;
      return;
    }
  }
  out += '&';
  out += name;
  out += ';';
}

bool is_block(std::string_view tag) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "div", "br", "tr",  "table",   "ul",     "ol",     "h1", "h2", "h3", "h4",
      "h5", "h6",  "hr", "pre", "section", "header", "footer", "li", "dd", "dt", "blockquote"};
  for (auto b : kBlocks)
    if (b == tag) return true;
  return false;
}

// The value of attribute `name` in a tag's text, if any.
std::string attribute(std::string_view tag, std::string_view name) {
  const std::string low = lowercase(tag);
  std::size_t pos = 0;
  while ((pos = low.find(name, pos)) != std::string::npos) {
    const bool boundary = pos > 0 && std::isspace(static_cast<unsigned char>(low[pos - 1]));
    std::size_t p = pos + name.size();
    while (p < low.size() && low[p] == ' ')
      ++p;
    if (boundary && p < low.size() && low[p] == '=') {
      ++p;
      while (p < low.size() && low[p] == ' ')
        ++p;
      if (p < tag.size() && (tag[p] == '"' || tag[p] == '\'')) {
        const char q = tag[p];
        const auto end = tag.find(q, p + 1);
        return std::string(tag.substr(p + 1, end == std::string_view::npos ? end : end - p - 1));
      }
      auto end = p;
      while (end < tag.size() && !std::isspace(static_cast<unsigned char>(tag[end])))
        ++end;
      return std::string(tag.substr(p, end - p));
    }
    pos += name.size();
  }
  return {};
}

}  // namespace

namespace {

// The text being written, with the state the HTML around it sets: an open
// link, the depth of quoting, a white space waiting to be written.
class TextWriter {
 public:
  // Ends the line. Block elements never leave an empty line between them
  // (</p><p> is one line break); <br> may, but at most one in a row.
  void newline(bool empty_line_ok) {
    while (!out_.empty() && out_.back() == ' ')
      out_.pop_back();
    if (out_.empty()) return;
    if (out_.back() == '\n' &&
        (!empty_line_ok || (out_.size() >= 2 && out_[out_.size() - 2] == '\n')))
      return;
    out_ += '\n';
    space_ = false;
  }
  // White space in the HTML: one space before the next word on this line.
  void blank() {
    if (!out_.empty() && out_.back() != '\n') space_ = true;
  }
  void put(char ch) {
    before_text();
    out_ += ch;
  }
  void entity(std::string_view name) {
    before_text();
    decode_entity(name, out_);
  }
  void quote(bool ending) {
    newline(false);
    quote_depth_ += ending ? -1 : 1;
    quote_depth_ = std::max(quote_depth_, 0);
  }
  void list_item() {
    start_line();
    out_ += "- ";
  }
  // <a href>...</a>: the link's address follows its text unless the text
  // shows it already.
  void link(bool ending, std::string_view tag) {
    if (!ending) {
      href_ = attribute(tag, "href");
      link_start_ = out_.size();
    } else if (!href_.empty()) {
      const std::string text = out_.substr(std::min(link_start_, out_.size()));
      const bool web = starts_with_nocase(href_, "http") || starts_with_nocase(href_, "mailto:");
      if (web && text.find(href_) == std::string::npos && href_ != "mailto:" + text) {
        out_ += " <" + href_ + ">";
      }
      href_.clear();
    }
  }
  std::string text() const { return std::string(trimmed_view(out_)); }

 private:
  void start_line() {
    if (quote_depth_ > 0 && (out_.empty() || out_.back() == '\n')) {
      for (int i = 0; i < quote_depth_; ++i)
        out_ += "> ";
    }
  }
  void before_text() {
    if (space_) {
      out_ += ' ';
      space_ = false;
    }
    start_line();
  }

  std::string out_;
  std::string href_;
  std::size_t link_start_ = 0;
  int quote_depth_ = 0;
  bool space_ = false;
};

// Where reading goes on after an element whose content is not text (script,
// style, head, title) that starts before `i`: past its end tag, or the end.
std::size_t skip_element(std::string_view html, std::size_t i, const std::string& name) {
  const std::string end_tag = "</" + name;
  std::size_t end = i;
  for (;;) {
    end = html.find('<', end);
    if (end == std::string_view::npos || starts_with_nocase(html.substr(end), end_tag)) break;
    ++end;
  }
  if (end == std::string_view::npos) return html.size();
  const auto gt = html.find('>', end);
  return gt == std::string_view::npos ? html.size() : gt + 1;
}

// Reads the tag or comment at html[i] == '<'; returns where reading goes on.
std::size_t take_tag(std::string_view html, std::size_t i, TextWriter& w) {
  if (html.substr(i, 4) == "<!--") {
    const auto end = html.find("-->", i + 4);
    return end == std::string_view::npos ? html.size() : end + 3;
  }
  const auto close = html.find('>', i);
  if (close == std::string_view::npos) return html.size();
  std::string_view tag = html.substr(i + 1, close - i - 1);
  i = close + 1;
  const bool ending = !tag.empty() && tag.front() == '/';
  if (ending) tag.remove_prefix(1);
  std::size_t name_end = 0;
  while (name_end < tag.size() && std::isalnum(static_cast<unsigned char>(tag[name_end])))
    ++name_end;
  const std::string name = lowercase(tag.substr(0, name_end));
  if (!ending && (name == "script" || name == "style" || name == "head" || name == "title"))
    return skip_element(html, i, name);
  if (name == "blockquote") {
    w.quote(ending);
  } else if (name == "a") {
    w.link(ending, tag);
  } else if (is_block(name)) {
    w.newline(name == "br");
    if (name == "li" && !ending) w.list_item();
  }
  return i;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  TextWriter w;
  for (std::size_t i = 0; i < html.size();) {
    const char ch = html[i];
    if (ch == '<') {
      i = take_tag(html, i, w);
      continue;
    }
    if (ch == '&') {
      const auto semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        w.entity(html.substr(i + 1, semi - i - 1));
        i = semi + 1;
        continue;
      }
    }
    if (std::isspace(static_cast<unsigned char>(ch))) {
      w.blank();
    } else {
      w.put(ch);
    }
    ++i;
  }
  return w.text();
}

}  // namespace mend
