// The text normalisations names, phones, config values and date words go through.
#include <doctest/doctest.h>

#include <string>

#include "core/text.hpp"

using mend::lowercase;
using mend::phone_key;
using mend::trimmed;

TEST_CASE("lowercase folds ASCII letters only") {
  CHECK(lowercase("Ada LOVELACE 42") == "ada lovelace 42");
  CHECK(lowercase("ÉCOLE Zoë") == "École zoë");  // UTF-8 bytes are kept as they are
  CHECK(lowercase("") == "");
}

TEST_CASE("trimmed drops ASCII white space at both ends only") {
  CHECK(trimmed("  a b\t\r\n") == "a b");
  CHECK(trimmed("\f\vx\v\f") == "x");
  CHECK(trimmed(" \t ") == "");
  CHECK(trimmed("\xC2\xA0x") == "\xC2\xA0x");  // a no-break space is not ASCII white space
}

TEST_CASE("phone keys compare digits only") {
  CHECK(phone_key("+1 (555) 010-0") == "15550100");
  CHECK(phone_key("555.0100") == "5550100");
  CHECK(phone_key("555 0100") == phone_key("555-0100"));
  CHECK(phone_key("  Ext ") == "ext");  // no digit: the text itself, trimmed and lower-cased
}

TEST_CASE("trimmed_view trims like trimmed, without a copy") {
  const std::string s = " \t\r\n\f\vword and word \n";
  const auto v = mend::trimmed_view(s);
  CHECK(v == "word and word");
  CHECK(v.data() == s.data() + 6);
  CHECK(mend::trimmed_view(" \n\t").empty());
  CHECK(mend::trimmed_view("").empty());
}

TEST_CASE("starts_with_nocase compares ASCII letters without case") {
  CHECK(mend::starts_with_nocase("HTTPS://x", "http"));
  CHECK(mend::starts_with_nocase("MailTo:a@b", "mailto:"));
  CHECK_FALSE(mend::starts_with_nocase("htt", "http"));
  CHECK_FALSE(mend::starts_with_nocase("ftp://x", "http"));
  CHECK(mend::starts_with_nocase("anything", ""));
}
