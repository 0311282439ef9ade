#include "core/money.hpp"

#include <doctest/doctest.h>

#include <cstdint>

#include "core/errors.hpp"

using namespace mend;

namespace {

bool rejected(std::string_view text) {
  try {
    parse_amount(text);
  } catch (const Error& e) {
    return e.kind() == ErrorKind::usage;
  }
  return false;
}

}  // namespace

TEST_CASE("an amount with two, one or no decimals becomes whole cents") {
  CHECK(parse_amount("49.99") == 4999);
  CHECK(parse_amount("49.9") == 4990);
  CHECK(parse_amount("49") == 4900);
  CHECK(parse_amount("0.05") == 5);
  CHECK(parse_amount("0") == 0);
  CHECK(parse_amount("007.10") == 710);
  CHECK(parse_amount(" 12.50 ") == 1250);
  CHECK(parse_amount("9999999999999.99") == 999'999'999'999'999);
}

TEST_CASE("garbage amounts are usage errors") {
  for (const char* bad : {"12.345",
                          "abc",
                          "-5",
                          "-0.01",
                          "",
                          " ",
                          "1e3",
                          "1,000",
                          "1 000",
                          "$5",
                          "5$",
                          "12.",
                          ".5",
                          "+5",
                          "12.3.4",
                          "0x10",
                          "١٢",
                          "5 USD",
                          "10000000000000",
                          "99999999999999999999999"}) {
    CAPTURE(std::string(bad));
    CHECK(rejected(bad));
  }
}

TEST_CASE("the amount error names the option and the text") {
  try {
    parse_amount("12.345");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("--amount") != std::string::npos);
    CHECK(std::string(e.what()).find("'12.345'") != std::string::npos);
  }
}

TEST_CASE("a currency is three letters, upper-cased") {
  CHECK(parse_currency("eur") == "EUR");
  CHECK(parse_currency(" Gbp ") == "GBP");
  for (const char* bad : {"", "EU", "EURO", "E1R", "€", "US D"}) {
    CAPTURE(std::string(bad));
    CHECK_THROWS_AS(parse_currency(bad), Error);
  }
}

TEST_CASE("amounts print with two decimals and the currency") {
  CHECK(format_amount(4999, "USD") == "49.99 USD");
  CHECK(format_amount(5, "EUR") == "0.05 EUR");
  CHECK(format_amount(-150, "EUR") == "-1.50 EUR");
  CHECK(format_amount(INT64_MIN, "X") == "-92233720368547758.08 X");
}

TEST_CASE("money for people has the currency's symbol, or its code when it has none") {
  CHECK(money_words(4550, "GBP") == "£45.50");
  CHECK(money_words(4999, "USD") == "$49.99");
  CHECK(money_words(-150, "EUR") == "-€1.50");
  CHECK(money_words(5, "JPY") == "¥0.05");
  CHECK(money_words(4550, "CHF") == "45.50 CHF");
  CHECK(money_words(4550, "CAD") == "45.50 CAD");
  CHECK(money_words("720139.38", "EUR") == "€720139.38");
  CHECK(currency_symbol("AUD").empty());
}

TEST_CASE("every money text handles INT64_MIN cents and sums past 64 bits") {
  CHECK(amount_decimal(INT64_MIN) == "-92233720368547758.08");
  CHECK(amount_decimal(-5) == "-0.05");
  CHECK(amount_decimal(0) == "0.00");
  CHECK(amount_decimal(123456) == "1234.56");
  CHECK(money_words(INT64_MIN, "EUR") == "-€92233720368547758.08");
  CHECK(money_words(INT64_MIN, "CHF") == "-92233720368547758.08 CHF");
  CHECK(money_ascii(INT64_MIN, "EUR") == "EUR -92233720368547758.08");
  CHECK(money_ascii(500, "EUR") == "EUR 5.00");
  const CentsSum twice = CentsSum{INT64_MIN} * 2;
  CHECK(cents_sum_text(twice) == "-18446744073709551616");
  CHECK(amount_decimal(twice) == "-184467440737095516.16");
  CHECK(cents_sum_text(-twice * 1000) == "18446744073709551616000");
}
