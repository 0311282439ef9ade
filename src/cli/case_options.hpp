// The options `open` and `edit` share for a case's fields, checked the same
// way by both: one-line values, tags, the customer's email and phone, and the
// warning for a category the config does not list.
#pragma once

#include <string>
#include <string_view>

#include "cli/context.hpp"

namespace mend::cli {

// `value` trimmed; Error(usage) when it spans lines.
std::string one_line(std::string_view option, const std::string& value);

// `value` as one tag: one line, one word, no comma.
std::string one_tag(std::string_view option, const std::string& value);

// Error(usage) unless `email` looks like an address (an @, no blanks).
void check_email(const std::string& email);

// `phone` as one line; Error(usage) when it has no digits.
std::string checked_phone(const std::string& phone);

// Warns when the config lists categories and `category` is not one of them.
void warn_unlisted_category(Context& ctx, const std::string& category);

}  // namespace mend::cli
