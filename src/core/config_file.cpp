#include "core/config_file.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/store.hpp"

namespace mend {
namespace {

using Value = std::variant<std::string, std::vector<std::string>, std::int64_t>;

// A cursor over the file's text that knows its line number, for messages.
class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : s_(text), source_(source) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
  }

  [[noreturn]] void error(const std::string& what, int line = 0) const {
    fail(ErrorKind::usage,
         std::string(source_) + ":" + std::to_string(line ? line : line_) + ": " + what);
  }

  int line() const { return line_; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  void skip_spaces() {
    while (!at_end() && (peek() == ' ' || peek() == '\t'))
      ++pos_;
  }

  // Spaces, a comment, then the end of the line (or of the file).
  void end_of_line() {
    skip_spaces();
    skip_comment();
    if (at_end()) return;
    if (peek() == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    if (peek() != '\n') {
      error("unexpected '" + printable(peek()) + "' after the value; one key = value per line");
    }
    ++pos_;
    ++line_;
  }

  // Blank lines and comments, across lines (between entries and inside arrays).
  void skip_blank() {
    for (;;) {
      skip_spaces();
      skip_comment();
      if (peek() == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
      if (peek() != '\n') return;
      ++pos_;
      ++line_;
    }
  }

  std::string key() {
    const auto start = pos_;
    while (!at_end() &&
           (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '-'))
      ++pos_;
    if (pos_ == start) {
      if (peek() == '[') error("tables ([section]) are not supported; write key = value lines");
      if (peek() == '"' || peek() == '\'') error("write the key without quotes");
      error("expected a key (like due_in = \"+2d\"), found '" + printable(peek()) + "'");
    }
    std::string k(s_.substr(start, pos_ - start));
    if (peek() == '.') error("dotted keys are not supported; write " + k + " = value");
    return k;
  }

  void expect_equals(const std::string& k) {
    skip_spaces();
    if (peek() != '=') error("expected '=' after the key '" + k + "'");
    ++pos_;
    skip_spaces();
  }

  Value value(const std::string& k) {
    if (peek() == '[') return array(k);
    if (peek() == '"' || peek() == '\'') return string();
    if (k == "max_attachment" && (peek() == '+' || (peek() >= '0' && peek() <= '9')))
      return integer(k);
    if (at_end() || peek() == '\n' || peek() == '\r' || peek() == '#')
      error("the key '" + k + "' has no value");
    error("the value of '" + k + "' must be a quoted string, like " + k + " = \"...\"");
  }

 private:
  // A TOML integer in decimal: digits, with single underscores between them.
  std::int64_t integer(const std::string& k) {
    if (peek() == '+') ++pos_;
    std::int64_t v = 0;
    bool digit_before = false;
    while (!at_end() && ((peek() >= '0' && peek() <= '9') || peek() == '_')) {
      if (peek() == '_') {
        if (!digit_before) error("the value of '" + k + "' is not a whole number");
        digit_before = false;
      } else {
        if (v > (INT64_MAX - (peek() - '0')) / 10) error("the value of '" + k + "' is too large");
        v = v * 10 + (peek() - '0');
        digit_before = true;
      }
      ++pos_;
    }
    if (!digit_before) error("the value of '" + k + "' is not a whole number");
    return v;
  }

  static std::string printable(char c) {
    if (c == '\0') return "end of file";
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "control character";
    return std::string(1, c);
  }

  void skip_comment() {
    if (peek() != '#') return;
    while (!at_end() && peek() != '\n')
      ++pos_;
  }

  std::string string() {
    const char quote = peek();
    if (s_.substr(pos_, 3) == std::string(3, quote))
      error("multi-line strings are not supported; keep the value on one line");
    ++pos_;
    std::string out;
    for (;;) {
      if (at_end() || peek() == '\n' || peek() == '\r') error("the string is not closed");
      const char c = s_[pos_++];
      if (c == quote) return out;
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') error("control character in a string");
      if (c != '\\' || quote == '\'') {
        out += c;
        continue;
      }
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 't':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'u':
          out += unicode_escape();
          break;
        default:
          error("unknown escape '\\" + printable(e) + "' in a string");
      }
    }
  }

  std::string unicode_escape() {
    if (pos_ + 4 > s_.size()) error("\\u needs four hex digits");
    unsigned cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      if (!std::isxdigit(static_cast<unsigned char>(h))) error("\\u needs four hex digits");
      cp = cp * 16 +
           static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h))
                                     ? h - '0'
                                     : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) error("\\u escape is not a character");
    std::string out;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
  }

  std::vector<std::string> array(const std::string& k) {
    ++pos_;  // [
    std::vector<std::string> out;
    for (;;) {
      skip_blank();
      if (peek() == ']') break;
      if (peek() != '"' && peek() != '\'') {
        if (at_end()) error("the array of '" + k + "' is not closed with ]");
        error("the array of '" + k + "' may hold only quoted strings");
      }
      out.push_back(string());
      skip_blank();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') break;
      if (at_end()) error("the array of '" + k + "' is not closed with ]");
      error("expected ',' or ']' in the array of '" + k + "'");
    }
    ++pos_;  // ]
    return out;
  }

  std::string_view s_;
  std::string_view source_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

ConfigValues parse_config(std::string_view text, std::string_view source) {
  Parser p(text, source);
  ConfigValues v;
  std::vector<std::string> seen;
  for (;;) {
    p.skip_blank();
    if (p.at_end()) break;
    const int line = p.line();
    const std::string k = p.key();
    static constexpr std::string_view kKnown[] = {"due_in",        "followup_in", "currency",
                                                  "business_name", "categories",  "max_attachment"};
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown))
      p.error("unknown key '" + k + "' (keys: " + kConfigKeys + ")");
    if (std::find(seen.begin(), seen.end(), k) != seen.end())
      p.error("the key '" + k + "' is given twice");
    seen.push_back(k);
    p.expect_equals(k);
    const Value value = p.value(k);
    p.end_of_line();
    const bool is_text = std::holds_alternative<std::string>(value);
    const bool is_number = std::holds_alternative<std::int64_t>(value);
    if (is_number && k != "max_attachment")
      p.error("'" + k + "' takes a string, not a number", line);
    auto text_value = [&]() -> std::string {
      if (!is_text) p.error("'" + k + "' takes a string, not an array", line);
      return trimmed(std::get<std::string>(value));
    };
    auto when_value = [&](bool allow_never) {
      const std::string w = text_value();
      try {
        parse_when(w, 0, DateRole::deadline, allow_never);
      } catch (const Error& e) {
        p.error(k + ": " + e.what(), line);
      }
      return w;
    };
    if (k == "due_in") {
      v.due_in = when_value(false);
    } else if (k == "followup_in") {
      v.followup_in = when_value(true);
    } else if (k == "currency") {
      const std::string c = text_value();
      if (c.size() != 3 ||
          !std::all_of(c.begin(), c.end(), [](unsigned char ch) { return std::isalpha(ch); }))
        p.error("currency takes a three-letter code like \"EUR\", not '" + c + "'", line);
      std::string upper = c;
      for (auto& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      v.currency = upper;
    } else if (k == "business_name") {
      const std::string name = text_value();
      if (name.find_first_of("\r\n") != std::string::npos)
        p.error("business_name must be one line", line);
      if (!name.empty()) v.business_name = name;
    } else if (k == "max_attachment") {
      if (!is_number)
        p.error("max_attachment takes a number of bytes, like max_attachment = 26214400", line);
      const auto bytes = std::get<std::int64_t>(value);
      if (bytes < 1 || bytes > kMaxAttachmentLimit)
        p.error("max_attachment takes 1 to " + std::to_string(kMaxAttachmentLimit) +
                    " bytes, not " + std::to_string(bytes),
                line);
      v.max_attachment = bytes;
    } else if (k == "categories") {
      if (is_text)
        p.error("categories takes an array, like categories = [\"product\", \"billing\"]", line);
      std::vector<std::string> list;
      for (const auto& raw : std::get<std::vector<std::string>>(value)) {
        const std::string c = lowercase(trimmed(raw));
        if (c.empty() || c.find_first_of("\r\n") != std::string::npos)
          p.error("categories holds an empty or multi-line name", line);
        if (std::find(list.begin(), list.end(), c) == list.end()) list.push_back(c);
      }
      v.categories = std::move(list);
    }
  }
  return v;
}

}  // namespace mend
