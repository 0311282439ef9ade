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

// A sum of amounts, in 128 bits: each amount is at most 999999999999999
// cents (limits.hpp), so no number of cases can overflow it.
__extension__ typedef __int128 CentsSum;

// Every money text of mend is made by the functions below, in unsigned
// arithmetic, so that even INT64_MIN cents (which import accepts) prints.

// "-123456789012345678901234": the cents as an integer, as std::to_string
// would write it.
std::string cents_sum_text(CentsSum cents);

// The amount in currency units: 123456 -> "1234.56", -5 -> "-0.05". What CSV
// cells and the words below carry.
std::string amount_decimal(CentsSum cents);

// 4999, "USD" -> "49.99 USD"; negative amounts keep their sign. For programs
// and records: the ISO code, as JSON and CSV carry it.
std::string format_amount(CentsSum cents, std::string_view currency);

// The symbol people write for a currency ("GBP" -> "£"), or "" for a code
// without one that is unambiguous (CAD, AUD and CHF keep their codes).
std::string_view currency_symbol(std::string_view currency);

// Money for people, in text and HTML: "£45.50", "-€1.50", else as
// format_amount ("45.50 CHF"). `decimal` is the amount in currency units.
std::string money_words(std::string_view decimal, std::string_view currency);
std::string money_words(CentsSum cents, std::string_view currency);

// Money in plain ASCII with the code first, "EUR 5.00": the report's text on
// a pipe or in a cron mail, where the code lines up in a column.
std::string money_ascii(CentsSum cents, std::string_view currency);

}  // namespace mend
