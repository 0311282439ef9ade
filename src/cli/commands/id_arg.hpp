// Case and customer ids as the user types them: 12 or #12.
#pragma once

#include <cstdint>
#include <string>

namespace mend::cli {

// Error(usage) for anything but a positive whole number.
std::int64_t parse_id(const std::string& text, const char* what = "ID");

}  // namespace mend::cli
