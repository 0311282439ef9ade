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
        std::string("/c/config.toml:3: unknown key 'due' (keys: ") + kConfigKeys + ")");
  // Not TOML at all: toml++'s reason, with the line.
  CHECK(error_of("due_in = +2d\n").rfind("/c/config.toml:1: not valid TOML: ", 0) == 0);
  CHECK(error_of("currency = \"EUR\"\ncurrency = \"USD\"\n")
            .rfind("/c/config.toml:2: not valid TOML", 0) == 0);
  CHECK(error_of("due_in = \"1d\" extra\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  CHECK(error_of("\ndue_in = \"1d\n").rfind("/c/config.toml:2: not valid TOML", 0) == 0);
  CHECK(error_of("due_in = \"\\x\"\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  CHECK(error_of("due_in =\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  CHECK(error_of("due_in \"1d\"\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  CHECK(error_of("= \"1d\"\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  CHECK(error_of("categories = [\"a\",\n  \"b\"\n  \"c\"]\n")
            .rfind("/c/config.toml:3: not valid TOML", 0) == 0);
  CHECK(error_of("categories = [\"a\",\n").rfind("/c/config.toml:", 0) == 0);
  CHECK(error_of("name = \"\xFF\"\n").rfind("/c/config.toml:1: not valid TOML", 0) == 0);
  // Valid TOML that is not mend's: tables and dotted keys are unknown keys.
  CHECK(error_of("[mend]\ndue_in = \"1d\"\n")
            .rfind("/c/config.toml:1: unknown key 'mend' (a table", 0) == 0);
  CHECK(error_of("# x\nmend.due_in = \"1d\"\n")
            .rfind("/c/config.toml:2: unknown key 'mend' (a table or dotted key", 0) == 0);
  CHECK(error_of("[[due_in]]\n").rfind("/c/config.toml:1: 'due_in' takes a quoted string", 0) == 0);
  // Values of the wrong type or form.
  CHECK(
      error_of("due_in = \"soon\"\n").rfind("/c/config.toml:1: due_in: 'soon' is not a date", 0) ==
      0);
  CHECK(error_of("due_in = \"never\"\n").rfind("/c/config.toml:1: due_in:", 0) == 0);
  CHECK(error_of("followup_in = \"2x\"\n").rfind("/c/config.toml:1: followup_in:", 0) == 0);
  CHECK(error_of("currency = \"EURO\"\n").rfind("/c/config.toml:1: currency takes", 0) == 0);
  CHECK(error_of("currency = \"E1R\"\n").rfind("/c/config.toml:1: currency takes", 0) == 0);
  CHECK(error_of("categories = \"product\"\n")
            .rfind("/c/config.toml:1: categories takes an array", 0) == 0);
  CHECK(error_of("due_in = [\"1d\"]\n") ==
        "/c/config.toml:1: 'due_in' takes a quoted string, like due_in = \"2bd\", not an array");
  CHECK(error_of("due_in = 3\n") ==
        "/c/config.toml:1: 'due_in' takes a quoted string, like due_in = \"2bd\", not a number");
  CHECK(error_of("categories = [\n  \"a\",\n  2,\n]\n") ==
        "/c/config.toml:3: the array of 'categories' may hold only quoted strings, not a number");
  CHECK(error_of("categories = [\"\"]\n").rfind("/c/config.toml:1: categories holds an empty", 0) ==
        0);
  CHECK(error_of("business_name = \"a\\nb\"\n")
            .rfind("/c/config.toml:1: business_name must be one line", 0) == 0);
  CHECK(error_of("business_name = true\n") ==
        "/c/config.toml:1: 'business_name' takes a quoted string, like business_name = \"Ada's "
        "Vases\", not true or false");
  CHECK(error_of("max_attachment = \"1MB\"\n")
            .rfind("/c/config.toml:1: max_attachment takes a number of bytes", 0) == 0);
  CHECK(error_of("max_attachment = 1.5\n")
            .rfind("/c/config.toml:1: max_attachment takes a number of bytes", 0) == 0);
  CHECK(error_of("max_attachment = 0\n").rfind("/c/config.toml:1: max_attachment takes 1 to", 0) ==
        0);
  CHECK(error_of("workdays = [\"mon\", \"fry\"]\n") ==
        "/c/config.toml:1: workdays holds 'fry'; the days are mon, tue, ... sun");
  CHECK(error_of("workdays = []\n").rfind("/c/config.toml:1: workdays needs at least one day", 0) ==
        0);
  CHECK(error_of("workdays = \"mon\"\n").rfind("/c/config.toml:1: workdays takes an array", 0) ==
        0);
  CHECK(error_of("holidays = [\n\"2026-12-25\",\n\"2026-12-32\"]\n")
            .rfind("/c/config.toml:3: holidays holds '2026-12-32'", 0) == 0);
  CHECK(error_of("holidays = [\"2027-01-02..2026-12-28\"]\n") ==
        "/c/config.toml:1: the holiday range '2027-01-02..2026-12-28' ends before it starts");
  CHECK(error_of("holidays = [2026-12-25T10:00:00]\n")
            .rfind("/c/config.toml:1: holidays holds a date and time", 0) == 0);
  CHECK(error_of("holidays = [\"25/12\"]\n").rfind("/c/config.toml:1: holidays holds '25/12'", 0) ==
        0);
  CHECK(error_of("from = \"Shop\"\n").rfind("/c/config.toml:1: from takes a sender", 0) == 0);
  CHECK(error_of("addresses = [\"me@shop.example\", \"shop\"]\n")
            .rfind("/c/config.toml:1: addresses holds 'shop'", 0) == 0);
  CHECK(error_of("sendmail = \"  \"\n").rfind("/c/config.toml:1: sendmail is empty", 0) == 0);
  CHECK(error_of("user = \"\"\n").rfind("/c/config.toml:1: user is empty", 0) == 0);
  CHECK(error_of("database = \"cases.db\"\n")
            .rfind("/c/config.toml:1: database takes an absolute path", 0) == 0);
  // The first mistake in the file is the one reported, whatever the key order.
  CHECK(error_of("zzz = 1\nbusiness_name = 2\naaa = 3\n")
            .rfind("/c/config.toml:1: unknown key 'zzz'", 0) == 0);
  // due_in is checked with the file's own calendar, wherever it is in the file.
  CHECK(error_of("due_in = \"2bd\"\nholidays = [\"1970-01-01..1999-12-31\"]\n")
            .rfind("/c/config.toml:1: due_in: '2bd': there is no working day", 0) == 0);
}

TEST_CASE("any valid TOML form is read: literal and multi-line strings, quoted keys, comments") {
  const auto v = parse_config(R"(
"due_in" = '''2bd'''   # a literal multi-line string on one line
followup_in = """
in 3 days"""
currency = 'gbp'
business_name = 'C:\Vases'
categories = [ # open
  'a',

  "b", # trailing comma next
]
max_attachment = 1_000_000
)",
                              "x");
  CHECK(v.due_in == "2bd");
  CHECK(v.followup_in == "in 3 days");
  CHECK(v.currency == "GBP");
  CHECK(v.business_name == "C:\\Vases");
  CHECK(*v.categories == std::vector<std::string>{"a", "b"});
  CHECK(v.max_attachment == 1000000);
}

TEST_CASE("the mail, team and calendar keys are read and typed") {
  const auto v = parse_config(R"(
workdays = ["Mon", "tue", "wednesday", "thu", "sat"]
holidays = ["2026-12-25", "2026-12-28 .. 2027-01-01", 2027-04-05]
from = "Ada's Vases <ada@vases.example>"
addresses = ["ada@vases.example", "orders@vases.example"]
sendmail = "msmtp -t"
user = "Ada"
database = "~/shop/cases.db"
)",
                              "x");
  REQUIRE(v.workdays);
  CHECK(*v.workdays == std::array<bool, 7>{false, true, true, true, true, false, true});
  REQUIRE(v.holidays);
  REQUIRE(v.holidays->size() == 3);
  CHECK((*v.holidays)[0].first == civil_day(2026, 12, 25));
  CHECK((*v.holidays)[0].last == civil_day(2026, 12, 25));
  CHECK((*v.holidays)[1].first == civil_day(2026, 12, 28));
  CHECK((*v.holidays)[1].last == civil_day(2027, 1, 1));
  CHECK((*v.holidays)[2].first == civil_day(2027, 4, 5));
  CHECK(v.from == "Ada's Vases <ada@vases.example>");
  CHECK(*v.addresses == std::vector<std::string>{"ada@vases.example", "orders@vases.example"});
  CHECK(v.sendmail == "msmtp -t");
  CHECK(v.user == "Ada");
  CHECK(v.database == "~/shop/cases.db");
  const auto none = parse_config("", "x");
  CHECK_FALSE(none.workdays);
  CHECK_FALSE(none.holidays);
  CHECK_FALSE(none.from);
  CHECK_FALSE(none.addresses);
  CHECK_FALSE(none.sendmail);
  CHECK_FALSE(none.user);
  CHECK_FALSE(none.database);
  CHECK(parse_config("database = \"postgresql://shop@db/mend\"", "x").database ==
        "postgresql://shop@db/mend");
}
