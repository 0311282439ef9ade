#include "core/config_file.hpp"

#include <doctest/doctest.h>

#include "core/errors.hpp"

using namespace mend;

namespace {

// The message of the usage error that parsing `text` throws ("" if none).
std::string error_of(std::string_view text) {
  try {
    parse_config(text, "/c/config.toml");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("an empty config file or one with only comments sets nothing") {
  for (auto text : {"", "\n\n", "# just a comment\n   # another\n", "\xEF\xBB\xBF# bom\n"}) {
    const auto v = parse_config(text, "x");
    CHECK_FALSE(v.due_in);
    CHECK_FALSE(v.followup_in);
    CHECK_FALSE(v.currency);
    CHECK_FALSE(v.business_name);
    CHECK_FALSE(v.categories);
  }
}

TEST_CASE("every key of the config file is read") {
  const auto v = parse_config(R"(# mend settings
due_in = "+3d"          # promise three days
followup_in = 'friday'
currency = "eur"
business_name = "Ada's \"Vases\" \u00e9"
categories = [
  "Product",   # what we sell
  'delivery',
  " billing ", "product",
]
)",
                              "x");
  CHECK(v.due_in == "+3d");
  CHECK(v.followup_in == "friday");
  CHECK(v.currency == "EUR");
  CHECK(v.business_name == "Ada's \"Vases\" \xC3\xA9");
  REQUIRE(v.categories);
  CHECK(*v.categories == std::vector<std::string>{"product", "delivery", "billing"});
}

TEST_CASE("config values may use CRLF line ends, tabs and no final newline") {
  const auto v =
      parse_config("due_in\t=\t\"2d\"\r\ncategories = []\r\nfollowup_in = \"never\"", "x");
  CHECK(v.due_in == "2d");
  CHECK(v.followup_in == "never");
  REQUIRE(v.categories);
  CHECK(v.categories->empty());
}

TEST_CASE("config errors name the file and the line") {
  CHECK(error_of("\n\ndue = \"+2d\"\n") ==
        "/c/config.toml:3: unknown key 'due' (keys: due_in, followup_in, currency, "
        "business_name, categories, max_attachment)");
  CHECK(error_of("due_in = +2d\n")
            .rfind("/c/config.toml:1: the value of 'due_in' must be a quoted", 0) == 0);
  CHECK(error_of("currency = \"EUR\"\ncurrency = \"USD\"\n") ==
        "/c/config.toml:2: the key 'currency' is given twice");
  CHECK(error_of("[mend]\ndue_in = \"1d\"\n").rfind("/c/config.toml:1: tables", 0) == 0);
  CHECK(
      error_of("due_in = \"soon\"\n").rfind("/c/config.toml:1: due_in: 'soon' is not a date", 0) ==
      0);
  CHECK(error_of("due_in = \"never\"\n").rfind("/c/config.toml:1: due_in:", 0) == 0);
  CHECK(error_of("followup_in = \"2x\"\n").rfind("/c/config.toml:1: followup_in:", 0) == 0);
  CHECK(error_of("currency = \"EURO\"\n").rfind("/c/config.toml:1: currency takes", 0) == 0);
  CHECK(error_of("currency = \"E1R\"\n").rfind("/c/config.toml:1: currency takes", 0) == 0);
  CHECK(error_of("categories = \"product\"\n")
            .rfind("/c/config.toml:1: categories takes an array", 0) == 0);
  CHECK(error_of("due_in = [\"1d\"]\n").rfind("/c/config.toml:1: 'due_in' takes a string", 0) == 0);
  CHECK(error_of("categories = [\"a\",\n  \"b\"\n  \"c\"]\n")
            .rfind("/c/config.toml:3: expected ','", 0) == 0);
  CHECK(error_of("categories = [\"a\",\n")
            .rfind("/c/config.toml:2: the array of 'categories' is not closed", 0) == 0);
  CHECK(error_of("categories = [1, 2]\n")
            .rfind("/c/config.toml:1: the array of 'categories' may hold only", 0) == 0);
  CHECK(error_of("categories = [\"\"]\n").rfind("/c/config.toml:1: categories holds an empty", 0) ==
        0);
  CHECK(error_of("due_in = \"1d\" extra\n").rfind("/c/config.toml:1: unexpected 'e'", 0) == 0);
  CHECK(error_of("due_in = \"1d\n").rfind("/c/config.toml:1: the string is not closed", 0) == 0);
  CHECK(error_of("due_in = \"\"\"1d\"\"\"\n").rfind("/c/config.toml:1: multi-line strings", 0) ==
        0);
  CHECK(error_of("due_in = \"\\x\"\n").rfind("/c/config.toml:1: unknown escape", 0) == 0);
  CHECK(error_of("due_in =\n").rfind("/c/config.toml:1: the key 'due_in' has no value", 0) == 0);
  CHECK(error_of("due_in \"1d\"\n").rfind("/c/config.toml:1: expected '='", 0) == 0);
  CHECK(error_of("\"due_in\" = \"1d\"\n")
            .rfind("/c/config.toml:1: write the key without quotes", 0) == 0);
  CHECK(error_of("mend.due_in = \"1d\"\n")
            .rfind("/c/config.toml:1: dotted keys are not supported", 0) == 0);
  CHECK(error_of("= \"1d\"\n").rfind("/c/config.toml:1: expected a key", 0) == 0);
  CHECK(error_of("business_name = \"a\\nb\"\n")
            .rfind("/c/config.toml:1: business_name must be one line", 0) == 0);
  CHECK(error_of("business_name = true\n")
            .rfind("/c/config.toml:1: the value of 'business_name'", 0) == 0);
}
