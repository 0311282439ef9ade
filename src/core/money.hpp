// Money as mend stores it: whole minor units (cents) and an ISO 4217 code.
// Pure functions, so that what `--amount` accepts is easy to test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mend {

// "49.99" -> 4999, "49.9" -> 4990, "49" -> 4900, "0.05" -> 5. Accepts digits
// with at most two decimals (surrounding spaces are ignored); anything else
// (12.345, abc, -5, 1e3, 1,000, $5, an empty text, more than 13 whole digits)
// throws Error(usage) naming `option` and the text.
std::int64_t parse_amount(std::string_view text, std::string_view option = "--amount");

// Three ASCII letters, upper-cased ("eur" -> "EUR"); else Error(usage).
std::string parse_currency(std::string_view text, std::string_view option = "--currency");

// 4999, "USD" -> "49.99 USD"; negative amounts keep their sign.
std::string format_amount(std::int64_t cents, std::string_view currency);

}  // namespace mend
