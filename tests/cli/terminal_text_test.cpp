// Display widths and fitting, tested directly (the CLI library is linked in).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/case_view.hpp"
#include "cli/output.hpp"

using mend::cli::display_width;
using mend::cli::fit;
using mend::cli::pad;

TEST_CASE("emoji take two columns, a combining accent none, as Unicode says") {
  CHECK(display_width("\xF0\x9F\x9A\x80") == 2);  // 🚀 U+1F680
  CHECK(display_width("\xE2\x98\x95") == 2);      // ☕ U+2615
  CHECK(display_width("\xE2\x8C\x9A") == 2);      // ⌚ U+231A
  CHECK(display_width("e\xCC\x81") == 1);         // e + U+0301 combining acute
  CHECK(display_width("\xCC\x81") == 0);
  CHECK(display_width("\xE6\x97\xA5\xE6\x9C\xAC") == 4);  // 日本
  CHECK(display_width("Ada") == 3);
  CHECK(display_width("\x1b[1mAda\x1b[0m") == 3);  // our own colour codes take none
}

TEST_CASE("fit and pad count an emoji as two columns") {
  CHECK(pad("\xF0\x9F\x9A\x80", 4) == "\xF0\x9F\x9A\x80  ");
  CHECK(fit("\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80", 5) ==
        "\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80\xE2\x80\xA6");
  CHECK(display_width(fit("ab\xE2\x98\x95\xE2\x98\x95", 5)) <= 5);
}

using mend::cli::wrap;
using Lines = std::vector<std::string>;

TEST_CASE("wrap breaks at spaces so every line fits the column beside its indent") {
  CHECK(wrap("the parcel came two weeks late and the box was crushed", 30, 4) ==
        Lines{"the parcel came two weeks", "late and the box was", "crushed"});
  for (const auto& line : wrap("the parcel came two weeks late and the box was crushed", 30, 4))
    CHECK(display_width(line) <= 26);
  CHECK(wrap("short", 80, 28) == Lines{"short"});
  CHECK(wrap("", 80, 2) == Lines{""});
}

TEST_CASE("wrap keeps newlines, blank lines and a paragraph's leading spaces") {
  CHECK(wrap("one\n\n  quoted words here", 22, 2) == Lines{"one", "", "  quoted words here"});
  CHECK(wrap("aaa bbb\nccc", 20, 10) == Lines{"aaa bbb", "ccc"});
}

TEST_CASE("wrap drops the spaces at a break and starts no line with one") {
  CHECK(wrap("aaaa     bbbb", 14, 4) == Lines{"aaaa", "bbbb"});
  CHECK(wrap("aaaa bbbb   ", 14, 4) == Lines{"aaaa bbbb"});
  CHECK(wrap("aaaaaaaaaa bbbb", 14, 4) == Lines{"aaaaaaaaaa", "bbbb"});
}

TEST_CASE("wrap breaks a word only when it is wider than the whole column") {
  CHECK(wrap("see https://example.com/a/very/long/path ok", 20, 0) ==
        Lines{"see", "https://example.com/", "a/very/long/path ok"});
  CHECK(wrap("abcdefghijklmnopqrstuvwxyz", 10, 0) == Lines{"abcdefghij", "klmnopqrst", "uvwxyz"});
}

TEST_CASE("wrap measures emoji as two columns and never splits a character or a grapheme") {
  const std::string rocket = "\xF0\x9F\x9A\x80";  // 🚀, 2 columns
  // Ten columns of room hold five rockets, not ten.
  std::string rockets;
  for (int i = 0; i < 7; ++i)
    rockets += rocket;
  const auto lines = wrap(rockets, 10, 0);
  REQUIRE(lines.size() == 2);
  CHECK(display_width(lines[0]) == 10);
  CHECK(lines[0].size() == 5 * rocket.size());
  CHECK(lines[1] == rocket + rocket);
  // e + combining acute is one column and one grapheme: "é" never loses its accent.
  const std::string e_acute = "e\xCC\x81";
  std::string word;
  for (int i = 0; i < 12; ++i)
    word += e_acute;
  const auto accents = wrap(word, 10, 0);
  REQUIRE(accents.size() == 2);
  CHECK(accents[0].size() == 10 * e_acute.size());
  CHECK(accents[1] == e_acute + e_acute);
  // A word with emoji that fits goes whole onto the next line.
  CHECK(wrap("caf\xC3\xA9 " + rocket + rocket + rocket + rocket + "!", 10, 0) ==
        Lines{"caf\xC3\xA9", rocket + rocket + rocket + rocket + "!"});
  // A flag (two regional indicators) is one grapheme: never cut in half.
  const std::string flag = "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7";  // 🇬🇧
  for (const auto& line : wrap("xxxxxxxxx" + flag + flag, 10, 0))
    CHECK((line.find("\xF0\x9F\x87\xAC") == std::string::npos) ==
          (line.find("\xF0\x9F\x87\xA7") == std::string::npos));
}

TEST_CASE("wrap keeps mend's colour codes whole and counts them as no columns") {
  const std::string dim = "\x1b[2m", reset = "\x1b[0m";
  CHECK(wrap(dim + "mail in from ada" + reset, 10, 0) ==
        Lines{dim + "mail in", "from ada" + reset});
  CHECK(wrap(dim + "abcdefghijkl" + reset, 10, 0) == Lines{dim + "abcdefghij", "kl" + reset});
}

TEST_CASE("wrap gives a column at least ten columns, however narrow the terminal") {
  const auto lines = wrap("one two three four five", 20, 28);
  CHECK(lines == Lines{"one two", "three four", "five"});
}

TEST_CASE("changed_lines is what is left of the new card once the lines in common are out") {
  using mend::cli::changed_lines;
  CHECK(changed_lines({"a", "b", "c"}, {"a", "b", "c"}).empty());
  CHECK(changed_lines({"a", "b", "c"}, {"a", "b", "c", "d"}) == Lines{"d"});
  CHECK(changed_lines({"#1", "open", "x", "t1"}, {"#1", "resolved", "x", "t1", "t2"}) ==
        Lines{"resolved", "t2"});
  CHECK(changed_lines({"a", "b"}, {"b", "a"}) == Lines{"a"});
  CHECK(changed_lines({}, {"a"}) == Lines{"a"});
}
