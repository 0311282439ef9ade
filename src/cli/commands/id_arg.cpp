#include "cli/commands/id_arg.hpp"

#include <charconv>

#include "core/errors.hpp"

namespace mend::cli {

std::int64_t parse_id(const std::string& text, const char* what) {
  std::string_view s = text;
  if (!s.empty() && s[0] == '#') s.remove_prefix(1);
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || id <= 0) {
    fail(ErrorKind::usage,
         std::string(what) + " must be a case number like 12, not '" + text + "'");
  }
  return id;
}

}  // namespace mend::cli
