#include "core/json_lite.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

using namespace mend::json_lite;

namespace {

// The one string a line like ["..."] holds, or "refused: <what> @<column>".
std::string string_of(const std::string& line) {
  Document d;
  if (!d.parse(line))
    return "refused: " + std::string(d.problem().what) + " @" + std::to_string(d.problem().column);
  REQUIRE(d.node(0).kind == Kind::array);
  REQUIRE(d.node(0).count == 1);
  REQUIRE(d.node(1).kind == Kind::string);
  return std::string(d.node(1).text);
}

// Why `line` is refused ("" when it is not).
std::string refusal(const std::string& line) {
  Document d;
  if (d.parse(line)) return "";
  return d.problem().what;
}

}  // namespace

TEST_CASE("json_lite decodes every escape") {
  CHECK(string_of(R"(["\"\\\/\b\f\n\r\t"])") == "\"\\/\b\f\n\r\t");
  CHECK(string_of(R"(["\u0041\u00e9\u65e5\uFFFF"])") == "A\xC3\xA9\xE6\x97\xA5\xEF\xBF\xBF");
  CHECK(string_of(R"(["\u0000"])") == std::string(1, '\0'));  // escaped, a NUL is text
  CHECK(string_of(R"(["a\u007fb"])") ==
        "a\x7F"
        "b");
  CHECK(string_of(R"(["plain"])") == "plain");
  CHECK(string_of(R"([""])").empty());
  // A string after one with escapes still reads right (one side buffer).
  Document d;
  REQUIRE(d.parse(R"(["a\nb","c\td","e"])"));
  CHECK(d.node(1).text == "a\nb");
  CHECK(d.node(2).text == "c\td");
  CHECK(d.node(3).text == "e");
}

TEST_CASE("json_lite joins surrogate pairs and refuses lone surrogates") {
  CHECK(string_of(R"(["\ud83d\ude00"])") == "\xF0\x9F\x98\x80");
  CHECK(string_of(R"(["\uD800\uDC00"])") == "\xF0\x90\x80\x80");  // U+10000
  CHECK(string_of(R"(["\udbff\udfff"])") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
  CHECK(refusal(R"(["\udc00"])") == "a low surrogate \\u escape without a high one before it");
  CHECK(refusal(R"(["\ud83d"])") == "a high surrogate \\u escape without a low one after it");
  CHECK(refusal(R"(["\ud83dx"])") == "a high surrogate \\u escape without a low one after it");
  CHECK(refusal(R"(["\ud83d\u0041"])") == "a high surrogate \\u escape without a low one after it");
  CHECK(refusal(R"(["\ud83d\ud83d"])") == "a high surrogate \\u escape without a low one after it");
  CHECK(refusal(R"(["\ud83d\u12"])") == "\\u needs four hex digits");
  CHECK(refusal(R"(["\u12g4"])") == "\\u needs four hex digits");
  CHECK(refusal(R"(["\u12)") == "\\u needs four hex digits");
}

TEST_CASE("json_lite refuses bad escapes, raw controls and invalid UTF-8") {
  CHECK(refusal(R"(["\x"])").find("an unknown escape") == 0);
  CHECK(refusal(R"(["\'"])").find("an unknown escape") == 0);
  CHECK(refusal("[\"a\tb\"]") == "a control character in a string (write it as an escape)");
  CHECK(refusal("[\"a\nb\"]") == "a control character in a string (write it as an escape)");
  CHECK(refusal("[\"a\x1f\"]") == "a control character in a string (write it as an escape)");
  CHECK(refusal("[\"\xC3\x28\"]") == "invalid UTF-8");
  CHECK(refusal("[\"\xC0\xAF\"]") == "invalid UTF-8");          // overlong
  CHECK(refusal("[\"\xED\xA0\x80\"]") == "invalid UTF-8");      // a surrogate in UTF-8
  CHECK(refusal("[\"\xF4\x90\x80\x80\"]") == "invalid UTF-8");  // past U+10FFFF
  CHECK(refusal("[\"\xE6\x97\"]") == "invalid UTF-8");          // cut short
  CHECK(refusal("[\"\\n\xff\"]") == "invalid UTF-8");           // after an escape too
  CHECK(string_of("[\"\xF0\x9F\x98\x80 \\n\xC3\xA9\"]") == "\xF0\x9F\x98\x80 \n\xC3\xA9");
  CHECK(refusal(R"(["open)") == "the line ends inside a string");
  CHECK(refusal(R"(["open\)") == "the line ends inside a string");
}

TEST_CASE("json_lite refuses a NUL byte anywhere in the line, with its column") {
  for (const std::string& line : {std::string("\0[1]", 4), std::string("[1]\0", 4),
                                  std::string("[\"a\0b\"]", 7), std::string("[1,\0 2]", 7)}) {
    Document d;
    CHECK_FALSE(d.parse(line));
    CHECK(std::string(d.problem().what) == "a NUL byte");
    CHECK(d.problem().column == line.find('\0') + 1);
  }
}

TEST_CASE("json_lite reads integers to the edges of 64 bits") {
  Document d;
  REQUIRE(d.parse("[0,-0,9223372036854775807,-9223372036854775808,18446744073709551615]"));
  CHECK(d.node(1).kind == Kind::unsigned_);
  CHECK(d.node(1).unsigned_ == 0);
  CHECK(d.node(2).kind == Kind::integer);  // "-0" is a signed zero
  CHECK(d.node(2).integer == 0);
  CHECK(d.node(3).kind == Kind::unsigned_);
  CHECK(d.node(3).unsigned_ == 9223372036854775807u);
  CHECK(d.node(4).kind == Kind::integer);
  CHECK(d.node(4).integer == std::numeric_limits<std::int64_t>::min());
  CHECK(d.node(5).kind == Kind::unsigned_);
  CHECK(d.node(5).unsigned_ == std::numeric_limits<std::uint64_t>::max());
  // One past either edge is a floating number.
  REQUIRE(d.parse("[18446744073709551616,-9223372036854775809,1.5,-2e3,0.0,1E+2,1e-999]"));
  for (std::uint32_t i = 1; i <= 7; ++i) {
    CAPTURE(i);
    CHECK(d.node(i).kind == Kind::floating);
  }
  CHECK(d.node(1).text == "18446744073709551616");
  CHECK(d.node(4).text == "-2e3");
}

TEST_CASE("json_lite refuses malformed numbers and numbers no double holds") {
  CHECK(refusal("[01]") == "a number with a leading zero");
  CHECK(refusal("[-01]") == "a number with a leading zero");
  CHECK(refusal("[-]") == "a minus sign without digits");
  CHECK(refusal("[-x]") == "a minus sign without digits");
  CHECK(refusal("[1.]") == "a number needs digits after its decimal point");
  CHECK(refusal("[1.e5]") == "a number needs digits after its decimal point");
  CHECK(refusal("[1e]") == "a number needs digits in its exponent");
  CHECK(refusal("[1e+]") == "a number needs digits in its exponent");
  CHECK(refusal("[.5]") == "expected a value");
  CHECK(refusal("[+1]") == "expected a value");
  CHECK(refusal("[1e999]") == "a number too large");
  CHECK(refusal("[-1e999]") == "a number too large");
  CHECK(refusal("[" + std::string(400, '9') + "]") == "a number too large");
  CHECK(refusal("[0x10]") == "expected ',' or ']' after an array element");
}

TEST_CASE("json_lite nests up to its limit and no deeper") {
  const auto nested = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  CHECK(refusal(nested(kMaxDepth)).empty());
  CHECK(refusal(nested(kMaxDepth + 1)) == "objects and arrays nested more than 64 deep");
  CHECK(refusal(nested(100000)) == "objects and arrays nested more than 64 deep");
  std::string objects;
  for (std::size_t i = 0; i <= kMaxDepth; ++i)
    objects += "{\"a\":";
  objects += "1" + std::string(kMaxDepth + 1, '}');
  CHECK(refusal(objects) == "objects and arrays nested more than 64 deep");
}

TEST_CASE("json_lite reads objects, arrays and literals into a flat tree") {
  Document d;
  REQUIRE(d.parse(R"( {"a" : [true, false, null], "b":{}, "a":"last", "c":[]} )"));
  CHECK(d.node(0).kind == Kind::object);
  CHECK(d.node(0).count == 4);  // duplicates are all kept; readers take the last
  CHECK(d.node(1).key == "a");
  CHECK(d.node(1).kind == Kind::array);
  CHECK(d.node(1).count == 3);
  CHECK(d.node(1).end == 5);
  CHECK(d.node(2).kind == Kind::boolean);
  CHECK(d.node(2).flag);
  CHECK(d.node(3).kind == Kind::boolean);
  CHECK_FALSE(d.node(3).flag);
  CHECK(d.node(4).kind == Kind::null);
  CHECK(d.node(5).key == "b");
  CHECK(d.node(5).kind == Kind::object);
  CHECK(d.node(5).count == 0);
  CHECK(d.node(6).key == "a");
  CHECK(d.node(6).text == "last");
  CHECK(d.node(7).key == "c");
  CHECK(d.node(7).end == 8);
  CHECK(d.node(0).end == 8);
  // Any value may stand alone on a line.
  for (const char* line : {"1", "\"s\"", "null", "true", "[]", "{}", "\xEF\xBB\xBF{}"}) {
    CAPTURE(line);
    CHECK(refusal(line).empty());
  }
}

TEST_CASE("json_lite refuses syntax errors in objects and arrays") {
  CHECK(refusal("{") == "the line ends inside an object");
  CHECK(refusal("{\"a\":1") == "the line ends inside an object");
  CHECK(refusal("[1,") == "expected a value, but the line ends");
  CHECK(refusal("[1") == "the line ends inside an array");
  CHECK(refusal("[1,]") == "expected a value");
  CHECK(refusal("{\"a\":1,}") == "expected a member name in double quotes");
  CHECK(refusal("{a:1}") == "expected a member name in double quotes");
  CHECK(refusal("{\"a\" 1}") == "expected ':' after a member name");
  CHECK(refusal("{\"a\":1 \"b\":2}") == "expected ',' or '}' after an object member");
  CHECK(refusal("[1}") == "expected ',' or ']' after an array element");
  CHECK(refusal("[tru]") == "expected a value");
  CHECK(refusal("[nulll]") == "expected ',' or ']' after an array element");
  CHECK(refusal("{} {}") == "more text after the JSON value");
  CHECK(refusal("\xEF\xBB{}") == "expected a value");
  CHECK(refusal(" \xEF\xBB\xBF{}") == "expected a value");  // a mark only at the start
  CHECK(refusal("") == "expected a value, but the line ends");
  CHECK(refusal(" \t\r\n") == "expected a value, but the line ends");
}
