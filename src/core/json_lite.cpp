#include "core/json_lite.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace mend::json_lite {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The length of the well-formed UTF-8 sequence starting at s[i] (a byte of
// 0x80 or more), as RFC 3629 defines it (no overlong forms, no surrogates,
// nothing past U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  const auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    const unsigned b = at(k);
    return b >= lo && b <= hi;
  };
  const unsigned b = at(0);
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b == 0xF0) return cont(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace

bool Document::refuse_at(std::size_t at, const char* what) {
  problem_ = Problem{at + 1, what};
  return false;
}

void Document::skip_space() {
  while (pos_ < in_.size()) {
    const char c = in_[pos_];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    ++pos_;
  }
}

bool Document::parse(std::string_view line) {
  in_ = line;
  pos_ = 0;
  nodes_.clear();
  decoded_.clear();
  problem_ = Problem{};
  if (line.size() > kMaxLine) return refuse("the line is too long");
  if (const void* nul = std::memchr(line.data(), '\0', line.size()))
    return refuse_at(static_cast<std::size_t>(static_cast<const char*>(nul) - line.data()),
                     "a NUL byte");
  // Decoded strings are never longer than their escaped form, so the buffer
  // never grows past this and the views into it stay valid.
  if (decoded_.capacity() < line.size()) decoded_.reserve(line.size());
  if (in_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a byte-order mark
  skip_space();
  if (!value(0)) return false;
  skip_space();
  if (pos_ != in_.size()) return refuse("more text after the JSON value");
  return true;
}

// One escape, in_[pos_] being the backslash, decoded onto decoded_.
bool Document::escape() {
  const std::size_t at = pos_++;
  if (pos_ >= in_.size()) return refuse_at(at, "the line ends inside a string");
  const char c = in_[pos_++];
  switch (c) {
    case '"':
    case '\\':
    case '/':
      decoded_ += c;
      return true;
    case 'b':
      decoded_ += '\b';
      return true;
    case 'f':
      decoded_ += '\f';
      return true;
    case 'n':
      decoded_ += '\n';
      return true;
    case 'r':
      decoded_ += '\r';
      return true;
    case 't':
      decoded_ += '\t';
      return true;
    case 'u':
      break;
    default:
      return refuse_at(at, "an unknown escape (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
  }
  const auto four = [&](std::uint32_t& v) {
    if (pos_ + 4 > in_.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(in_[pos_ + k]);
      if (h < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(h);
    }
    pos_ += 4;
    return true;
  };
  std::uint32_t cp = 0;
  if (!four(cp)) return refuse_at(at, "\\u needs four hex digits");
  if (cp >= 0xDC00 && cp <= 0xDFFF)
    return refuse_at(at, "a low surrogate \\u escape without a high one before it");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (pos_ + 2 > in_.size() || in_[pos_] != '\\' || in_[pos_ + 1] != 'u')
      return refuse_at(at, "a high surrogate \\u escape without a low one after it");
    pos_ += 2;
    std::uint32_t low = 0;
    if (!four(low)) return refuse_at(pos_ - 2, "\\u needs four hex digits");
    if (low < 0xDC00 || low > 0xDFFF)
      return refuse_at(at, "a high surrogate \\u escape without a low one after it");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  append_utf8(decoded_, cp);
  return true;
}

bool Document::string(std::string_view& out) {
  // in_[pos_] is the opening quote.
  const std::size_t open = pos_;
  const std::size_t start = ++pos_;
  // The common case: no escapes, so the value is a view into the line.
  while (pos_ < in_.size()) {
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (c == '"') {
      out = in_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    if (c == '\\') break;
    if (c < 0x20) return refuse("a control character in a string (write it as an escape)");
    if (c < 0x80) {
      ++pos_;
    } else {
      const auto n = utf8_length(in_, pos_);
      if (n == 0) return refuse("invalid UTF-8");
      pos_ += n;
    }
  }
  if (pos_ >= in_.size()) return refuse_at(open, "the line ends inside a string");
  // With escapes: decoded into the side buffer.
  const std::size_t from = decoded_.size();
  decoded_.append(in_.substr(start, pos_ - start));
  while (pos_ < in_.size()) {
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (c == '"') {
      out = std::string_view(decoded_).substr(from);
      ++pos_;
      return true;
    }
    if (c == '\\') {
      if (!escape()) return false;
      continue;
    }
    if (c < 0x20) return refuse("a control character in a string (write it as an escape)");
    std::size_t n = 1;
    if (c >= 0x80 && (n = utf8_length(in_, pos_)) == 0) return refuse("invalid UTF-8");
    decoded_.append(in_.substr(pos_, n));
    pos_ += n;
  }
  return refuse_at(open, "the line ends inside a string");
}

bool Document::number(Node& n) {
  const std::size_t start = pos_;
  const bool negative = in_[pos_] == '-';
  if (negative) ++pos_;
  const std::size_t first = pos_;
  while (pos_ < in_.size() && is_digit(in_[pos_]))
    ++pos_;
  if (pos_ == first) return refuse("a minus sign without digits");
  if (pos_ - first > 1 && in_[first] == '0')
    return refuse_at(first, "a number with a leading zero");
  bool integral = true;
  if (pos_ < in_.size() && in_[pos_] == '.') {
    integral = false;
    const std::size_t dot = ++pos_;
    while (pos_ < in_.size() && is_digit(in_[pos_]))
      ++pos_;
    if (pos_ == dot) return refuse("a number needs digits after its decimal point");
  }
  if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
    integral = false;
    ++pos_;
    if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
    const std::size_t digits = pos_;
    while (pos_ < in_.size() && is_digit(in_[pos_]))
      ++pos_;
    if (pos_ == digits) return refuse("a number needs digits in its exponent");
  }
  const std::size_t digits = pos_ - first;
  if (integral && digits <= 20) {
    // Nineteen digits always fit in 64 bits; a twentieth may not.
    std::uint64_t v = 0;
    const std::size_t last = first + (digits < 20 ? digits : 19);
    for (std::size_t k = first; k < last; ++k)
      v = v * 10 + static_cast<std::uint64_t>(in_[k] - '0');
    bool fits = true;
    if (digits == 20) {
      const auto d = static_cast<std::uint64_t>(in_[last] - '0');
      fits = v <= (std::numeric_limits<std::uint64_t>::max() - d) / 10;
      v = v * 10 + d;
    }
    constexpr std::uint64_t most_negative = std::uint64_t{1} << 63;
    if (fits && negative && v <= most_negative) {
      n.kind = Kind::integer;
      n.integer = v == most_negative ? std::numeric_limits<std::int64_t>::min()
                                     : -static_cast<std::int64_t>(v);
      return true;
    }
    if (fits && !negative) {
      n.kind = Kind::unsigned_;
      n.unsigned_ = v;
      return true;
    }
  }
  // Past 64 bits, a floating number, as below.
  n.kind = Kind::floating;
  n.text = in_.substr(start, pos_ - start);
  // Import never uses the value, but a number no double can hold is refused.
  const std::string text(n.text);
  if (!std::isfinite(std::strtod(text.c_str(), nullptr)))
    return refuse_at(start, "a number too large");
  return true;
}

bool Document::object(std::uint32_t self, std::size_t depth) {
  const std::size_t open = pos_++;
  nodes_[self].kind = Kind::object;
  std::uint32_t count = 0;
  skip_space();
  if (pos_ < in_.size() && in_[pos_] == '}') {
    ++pos_;
    return true;
  }
  while (true) {
    skip_space();
    if (pos_ >= in_.size()) return refuse_at(open, "the line ends inside an object");
    if (in_[pos_] != '"') return refuse("expected a member name in double quotes");
    std::string_view key;
    if (!string(key)) return false;
    skip_space();
    if (pos_ >= in_.size() || in_[pos_] != ':') return refuse("expected ':' after a member name");
    ++pos_;
    skip_space();
    const auto member = static_cast<std::uint32_t>(nodes_.size());
    if (!value(depth + 1)) return false;
    nodes_[member].key = key;
    nodes_[self].count = ++count;
    skip_space();
    if (pos_ >= in_.size()) return refuse_at(open, "the line ends inside an object");
    if (in_[pos_] == '}') {
      ++pos_;
      return true;
    }
    if (in_[pos_] != ',') return refuse("expected ',' or '}' after an object member");
    ++pos_;
  }
}

bool Document::array(std::uint32_t self, std::size_t depth) {
  const std::size_t open = pos_++;
  nodes_[self].kind = Kind::array;
  std::uint32_t count = 0;
  skip_space();
  if (pos_ < in_.size() && in_[pos_] == ']') {
    ++pos_;
    return true;
  }
  while (true) {
    skip_space();
    if (!value(depth + 1)) return false;
    nodes_[self].count = ++count;
    skip_space();
    if (pos_ >= in_.size()) return refuse_at(open, "the line ends inside an array");
    if (in_[pos_] == ']') {
      ++pos_;
      return true;
    }
    if (in_[pos_] != ',') return refuse("expected ',' or ']' after an array element");
    ++pos_;
  }
}

// A value inside `depth` objects and arrays.
bool Document::value(std::size_t depth) {
  if (pos_ >= in_.size()) return refuse("expected a value, but the line ends");
  const auto self = static_cast<std::uint32_t>(nodes_.size());
  nodes_.emplace_back();
  const char c = in_[pos_];
  const auto literal = [&](std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return refuse("expected a value");
    pos_ += word.size();
    return true;
  };
  bool ok = true;
  switch (c) {
    case '{':
    case '[':
      if (depth >= kMaxDepth) return refuse("objects and arrays nested more than 64 deep");
      ok = c == '{' ? object(self, depth) : array(self, depth);
      break;
    case '"':
      nodes_[self].kind = Kind::string;
      ok = string(nodes_[self].text);
      break;
    case 't':
      ok = literal("true");
      nodes_[self].kind = Kind::boolean;
      nodes_[self].flag = true;
      break;
    case 'f':
      ok = literal("false");
      nodes_[self].kind = Kind::boolean;
      break;
    case 'n':
      ok = literal("null");
      break;
    default:
      if (c != '-' && !is_digit(c)) return refuse("expected a value");
      ok = number(nodes_[self]);
      break;
  }
  if (!ok) return false;
  nodes_[self].end = static_cast<std::uint32_t>(nodes_.size());
  return true;
}

}  // namespace mend::json_lite
