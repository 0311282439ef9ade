#include "core/json_lite.hpp"

namespace mend::json_lite {
namespace {

constexpr std::size_t kMaxDepth = 64;

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
// 0x80 or more), as RFC 3629 and nlohmann's lexer define it, or 0.
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
  // Decoded strings are never longer than their escaped form, so the buffer
  // never grows past this and the views into it stay valid.
  if (decoded_.capacity() < line.size()) decoded_.reserve(line.size());
  skip_space();
  if (!value(0)) return false;
  skip_space();
  return pos_ == in_.size();
}

bool Document::string(std::string_view& out) {
  // in_[pos_] is the opening quote.
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
    if (c < 0x20) return false;
    if (c < 0x80) {
      ++pos_;
    } else {
      const auto n = utf8_length(in_, pos_);
      if (n == 0) return false;
      pos_ += n;
    }
  }
  if (pos_ >= in_.size()) return false;
  // With escapes: decode into the side buffer.
  const std::size_t from = decoded_.size();
  decoded_.append(in_.substr(start, pos_ - start));
  while (pos_ < in_.size()) {
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (c == '"') {
      out = std::string_view(decoded_).substr(from);
      ++pos_;
      return true;
    }
    if (c < 0x20) return false;
    if (c >= 0x80) {
      const auto n = utf8_length(in_, pos_);
      if (n == 0) return false;
      decoded_.append(in_.substr(pos_, n));
      pos_ += n;
      continue;
    }
    if (c != '\\') {
      decoded_ += static_cast<char>(c);
      ++pos_;
      continue;
    }
    if (++pos_ >= in_.size()) return false;
    switch (in_[pos_++]) {
      case '"':
        decoded_ += '"';
        break;
      case '\\':
        decoded_ += '\\';
        break;
      case '/':
        decoded_ += '/';
        break;
      case 'b':
        decoded_ += '\b';
        break;
      case 'f':
        decoded_ += '\f';
        break;
      case 'n':
        decoded_ += '\n';
        break;
      case 'r':
        decoded_ += '\r';
        break;
      case 't':
        decoded_ += '\t';
        break;
      case 'u': {
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
        if (!four(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (pos_ + 2 > in_.size() || in_[pos_] != '\\' || in_[pos_ + 1] != 'u') return false;
          pos_ += 2;
          std::uint32_t low = 0;
          if (!four(low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(decoded_, cp);
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

bool Document::number(Node& n) {
  bool negative = false;
  if (in_[pos_] == '-') {
    negative = true;
    ++pos_;
  }
  const std::size_t first = pos_;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9')
    ++pos_;
  const std::size_t digits = pos_ - first;
  if (digits == 0) return false;
  if (digits > 1 && in_[first] == '0') return false;  // a leading zero: a syntax error
  // Fractions, exponents and integers near the type limits: nlohmann decides.
  if (digits > 18) return false;
  if (pos_ < in_.size() && (in_[pos_] == '.' || in_[pos_] == 'e' || in_[pos_] == 'E')) return false;
  std::uint64_t v = 0;
  for (std::size_t k = first; k < pos_; ++k)
    v = v * 10 + static_cast<std::uint64_t>(in_[k] - '0');
  if (negative) {
    n.kind = Kind::integer;
    n.integer = -static_cast<std::int64_t>(v);
  } else {
    n.kind = Kind::unsigned_;
    n.unsigned_ = v;
  }
  return true;
}

bool Document::value(std::size_t depth) {
  if (depth > kMaxDepth || pos_ >= in_.size()) return false;
  const auto self = static_cast<std::uint32_t>(nodes_.size());
  nodes_.emplace_back();
  const char c = in_[pos_];
  const auto literal = [&](std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  };
  switch (c) {
    case '{': {
      ++pos_;
      nodes_[self].kind = Kind::object;
      std::uint32_t count = 0;
      skip_space();
      if (pos_ < in_.size() && in_[pos_] == '}') {
        ++pos_;
      } else {
        while (true) {
          skip_space();
          if (pos_ >= in_.size() || in_[pos_] != '"') return false;
          std::string_view key;
          if (!string(key)) return false;
          skip_space();
          if (pos_ >= in_.size() || in_[pos_] != ':') return false;
          ++pos_;
          skip_space();
          const auto member = static_cast<std::uint32_t>(nodes_.size());
          if (!value(depth + 1)) return false;
          nodes_[member].key = key;
          ++count;
          skip_space();
          if (pos_ >= in_.size()) return false;
          if (in_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (in_[pos_] != '}') return false;
          ++pos_;
          break;
        }
      }
      nodes_[self].count = count;
      break;
    }
    case '[': {
      ++pos_;
      nodes_[self].kind = Kind::array;
      std::uint32_t count = 0;
      skip_space();
      if (pos_ < in_.size() && in_[pos_] == ']') {
        ++pos_;
      } else {
        while (true) {
          skip_space();
          if (!value(depth + 1)) return false;
          ++count;
          skip_space();
          if (pos_ >= in_.size()) return false;
          if (in_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (in_[pos_] != ']') return false;
          ++pos_;
          break;
        }
      }
      nodes_[self].count = count;
      break;
    }
    case '"': {
      std::string_view text;
      if (!string(text)) return false;
      nodes_[self].kind = Kind::string;
      nodes_[self].text = text;
      break;
    }
    case 't':
      if (!literal("true")) return false;
      nodes_[self].kind = Kind::boolean;
      nodes_[self].flag = true;
      break;
    case 'f':
      if (!literal("false")) return false;
      nodes_[self].kind = Kind::boolean;
      break;
    case 'n':
      if (!literal("null")) return false;
      break;
    default:
      if (c != '-' && (c < '0' || c > '9')) return false;
      if (!number(nodes_[self])) return false;
      break;
  }
  nodes_[self].end = static_cast<std::uint32_t>(nodes_.size());
  return true;
}

}  // namespace mend::json_lite
