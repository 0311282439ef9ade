// The configuration file's text format: a strict subset of TOML that is
// enough for mend's few settings. Parsing is pure (text in, values out, no
// printing, no file access) so that it can be tested on its own; the CLI reads
// the file and applies the values (src/cli/config.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mend {

// What a config file set; a key it does not mention stays empty.
struct ConfigValues {
  std::optional<std::string> due_in;       // a WHEN, checked with parse_when
  std::optional<std::string> followup_in;  // a WHEN (or never), checked with parse_when
  std::optional<std::string> currency;     // three letters, upper-cased
  std::optional<std::string> business_name;
  std::optional<std::vector<std::string>> categories;  // lower-cased, trimmed, no duplicates
  std::optional<std::int64_t> max_attachment;          // bytes, 1 .. kMaxAttachmentLimit
};

// The largest max_attachment may be: SQLite keeps no value over 1e9 bytes.
inline constexpr std::int64_t kMaxAttachmentLimit = 1000000000;

// The keys a config file may set, in the order the README lists them.
inline constexpr const char* kConfigKeys =
    "due_in, followup_in, currency, business_name, categories, max_attachment";

// Parses the text of a config file. Accepted: blank lines, `# comments` (also
// after a value), `key = "basic string"` (escapes \" \\ \t \n \uXXXX),
// `key = 'literal string'`, and arrays of strings `key = ["a", 'b']` that may
// span lines and end with a comma. Anything else (tables, numbers, booleans,
// multi-line strings, dotted or quoted keys, a key given twice, an unknown key,
// a value of the wrong type or form) throws Error(usage) with the message
// "<source>:<line>: <what is wrong>".
ConfigValues parse_config(std::string_view text, std::string_view source);

}  // namespace mend
