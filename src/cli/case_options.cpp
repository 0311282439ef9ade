#include "cli/case_options.hpp"

#include <algorithm>
#include <cctype>

#include "core/errors.hpp"
#include "core/text.hpp"

namespace mend::cli {

std::string one_line(std::string_view option, const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) {
    fail(ErrorKind::usage, std::string(option) + " must be one line");
  }
  return trimmed(value);
}

std::string one_tag(std::string_view option, const std::string& value) {
  auto tag = one_line(option, value);
  if (tag.empty() || tag.find_first_of(" \t,") != std::string::npos)
    fail(ErrorKind::usage, std::string(option) + " '" + value + "' must be one word");
  return tag;
}

void check_email(const std::string& email) {
  if (email.find('@') == std::string::npos || email.find_first_of(" \t\r\n") != std::string::npos)
    fail(ErrorKind::usage, "--email '" + email + "' is not an email address");
}

std::string checked_phone(const std::string& phone) {
  if (std::none_of(phone.begin(), phone.end(), [](unsigned char c) { return std::isdigit(c); }))
    fail(ErrorKind::usage, "--phone '" + phone + "' has no digits");
  return one_line("--phone", phone);
}

void warn_unlisted_category(Context& ctx, const std::string& category) {
  const auto& listed = ctx.config.categories;
  if (!listed.empty() && std::find(listed.begin(), listed.end(), category) == listed.end()) {
    ctx.warn("category '" + category + "' is not in the categories of " + ctx.config.source +
             " (a typo?)");
  }
}

}  // namespace mend::cli
