// Display widths and fitting, tested directly (the CLI library is linked in).
#include <doctest/doctest.h>

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
