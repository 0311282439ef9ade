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

// 4999, "USD" -> "49.99 USD"; negative amounts keep their sign. For programs
// and records: the ISO code, as JSON and CSV carry it.
std::string format_amount(std::int64_t cents, std::string_view currency);

// The symbol people write for a currency ("GBP" -> "£"), or "" for a code
// without one that is unambiguous (CAD, AUD and CHF keep their codes).
std::string_view currency_symbol(std::string_view currency);

// Money for people, in text and HTML: "£45.50", "-€1.50", else as
// format_amount ("45.50 CHF"). `decimal` is the amount in currency units.
std::string money_words(std::string_view decimal, std::string_view currency);
std::string money_words(std::int64_t cents, std::string_view currency);

}  // namespace mend
