// The configuration file: TOML 1.0, read with toml++ (any valid TOML is
// read; the keys are listed in the README and the man page). Parsing is pure (text in, values
// out, no printing, no file access) so that it can be tested on its own; the
// CLI reads the file and applies the values (src/cli/config.cpp). toml++ is
// a large header-only library: only config_file.cpp includes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"

namespace mend {

// What a config file set; a key it does not mention stays empty.
struct ConfigValues {
  std::optional<std::string> due_in;       // a WHEN, checked with parse_when
  std::optional<std::string> followup_in;  // a WHEN (or never), checked with parse_when
  std::optional<std::string> currency;     // three letters, upper-cased
  std::optional<std::string> business_name;
  std::optional<std::vector<std::string>> categories;  // lower-cased, trimmed, no duplicates
  std::optional<std::array<bool, 7>> workdays;         // [0] = Sunday; at least one day
  std::optional<std::vector<WorkCalendar::Range>> holidays;
  std::optional<std::string> from;                    // "Name <me@shop.example>" or an address
  std::optional<std::vector<std::string>> addresses;  // each holds an '@'
  std::optional<std::string> sendmail;                // a command line, one line
  std::optional<std::int64_t> max_attachment;         // bytes, 1 .. kMaxAttachmentLimit
  std::optional<std::string> user;                    // the name events are written by
  std::optional<std::string> database;                // a path or a postgresql:// URI
};

// The largest max_attachment may be: SQLite keeps no value over 1e9 bytes.
inline constexpr std::int64_t kMaxAttachmentLimit = 1000000000;

// The keys a config file may set, in the order the README lists them.
inline constexpr const char* kConfigKeys =
    "due_in, followup_in, currency, business_name, categories, workdays, holidays, from, "
    "addresses, sendmail, max_attachment, user, database";

// Parses the text of a config file. Any valid TOML 1.0 is read; the document
// must hold only the keys above, at the top level, each with a value of its
// type. Malformed TOML, an unknown key (also a table or a dotted key), a value
// of the wrong type or form throws Error(usage) with the message
// "<source>:<line>: <what is wrong>".
ConfigValues parse_config(std::string_view text, std::string_view source);

}  // namespace mend
