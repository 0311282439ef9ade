// The JSON reader of `mend import`: one line of JSON Lines parsed into a flat,
// reusable array of nodes whose strings point into the line (or into one side
// buffer when they hold escapes), without allocating once its buffers have
// grown.
//
// It reads all of JSON (RFC 8259) as nlohmann::json reads it: the last of
// duplicate keys wins, an integer is signed when it has a minus sign ("-0"
// too) and unsigned otherwise, an integer too large for 64 bits or a number
// with a fraction or an exponent is a floating-point number, and a UTF-8
// byte-order mark before the value is skipped. It refuses, with the column and
// what is wrong: every syntax error, invalid UTF-8, a lone surrogate in a \u
// escape, a number too large for a double, a NUL byte anywhere in the line,
// nesting deeper than kMaxDepth, and a line longer than kMaxLine. The
// differential fuzzer (fuzz/fuzz_import.cpp) checks it against nlohmann::json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mend::json_lite {

// Objects and arrays nested deeper than this are refused (a case is 3 deep).
inline constexpr std::size_t kMaxDepth = 64;
// Longer lines are refused: node indexes are 32-bit.
inline constexpr std::size_t kMaxLine = std::size_t{1} << 30;

enum class Kind : std::uint8_t {
  null,
  boolean,
  string,
  integer,
  unsigned_,
  floating,
  object,
  array
};

struct Node {
  Kind kind = Kind::null;
  bool flag = false;            // the value of a boolean
  std::uint32_t end = 0;        // index just past this node's last descendant
  std::uint32_t count = 0;      // members of an object, elements of an array
  std::string_view key;         // the member name, when the parent is an object
  std::string_view text;        // a string's value; a floating number's digits
  std::int64_t integer = 0;     // Kind::integer (negative, or "-0")
  std::uint64_t unsigned_ = 0;  // Kind::unsigned_
};

// Why a line was refused: `what` in words, at byte `column` (from 1).
struct Problem {
  std::size_t column = 0;
  const char* what = "";
};

class Document {
 public:
  // Parses `line` (which must outlive the document's use); on false,
  // problem() says why. Reuses its storage.
  bool parse(std::string_view line);

  const Node& node(std::uint32_t i) const { return nodes_[i]; }
  const Problem& problem() const { return problem_; }

 private:
  bool value(std::size_t depth);
  bool object(std::uint32_t self, std::size_t depth);
  bool array(std::uint32_t self, std::size_t depth);
  bool string(std::string_view& out);
  bool escape();
  bool number(Node& n);
  void skip_space();
  bool refuse(const char* what) { return refuse_at(pos_, what); }
  bool refuse_at(std::size_t at, const char* what);

  std::string_view in_;
  std::size_t pos_ = 0;
  std::vector<Node> nodes_;
  std::string decoded_;  // strings with escapes; reserved so views stay valid
  Problem problem_;
};

}  // namespace mend::json_lite
