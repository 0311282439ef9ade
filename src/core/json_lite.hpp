// A small, allocation-free JSON reader for the import's hot path: one line of
// JSON Lines parsed into a flat, reusable array of nodes whose strings point
// into the line (or into one side buffer when they hold escapes).
//
// It is not a general JSON library. It accepts exactly what nlohmann::json
// accepts and reads it the same way (the last of duplicate keys wins, "-0" is
// a signed integer, UTF-8 is validated) for the shapes it knows, and gives up
// (parse() returns false) on everything else: numbers with a fraction or an
// exponent, integers of 19 digits or more, a byte-order mark, nesting deeper
// than 64, and every syntax error. The caller then parses the line with
// nlohmann::json, which decides and words the error. The differential fuzzer
// (fuzz/fuzz_import.cpp) checks that both readers agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mend::json_lite {

enum class Kind : std::uint8_t { null, boolean, string, integer, unsigned_, object, array };

struct Node {
  Kind kind = Kind::null;
  bool flag = false;            // the value of a boolean
  std::uint32_t end = 0;        // index just past this node's last descendant
  std::uint32_t count = 0;      // members of an object, elements of an array
  std::string_view key;         // the member name, when the parent is an object
  std::string_view text;        // the value of a string
  std::int64_t integer = 0;     // Kind::integer (negative, or "-0")
  std::uint64_t unsigned_ = 0;  // Kind::unsigned_
};

class Document {
 public:
  // Parses `line` (which must outlive the document's use); false when this
  // reader does not handle the text (see above). Reuses its storage.
  bool parse(std::string_view line);

  const Node& node(std::uint32_t i) const { return nodes_[i]; }

 private:
  bool value(std::size_t depth);
  bool string(std::string_view& out);
  bool number(Node& n);
  void skip_space();

  std::string_view in_;
  std::size_t pos_ = 0;
  std::vector<Node> nodes_;
  std::string decoded_;  // strings with escapes; reserved so views stay valid
};

}  // namespace mend::json_lite
