// mend show: end to end.
#include <doctest/doctest.h>

#include "harness.hpp"

using mend::test::Sandbox;

TEST_CASE("mend show --json has events and the customer's other cases as history") {
  Sandbox s;
  s.ok({"open", "Ada", "First", "--email", "ada@example.com"});
  s.env["MEND_NOW"] = "2026-11-24T09:00:00Z";
  s.ok({"open", "Ada", "Second", "--email", "ada@example.com"});
  s.ok({"open", "Bob", "Not Ada's"});
  const auto j = nlohmann::json::parse(s.ok({"show", "1", "--json"}));
  CHECK(j["id"] == 1);
  CHECK(j["events"].size() == 1);
  REQUIRE(j["history"].size() == 1);
  CHECK(j["history"][0] == nlohmann::json{{"id", 2},
                                          {"status", "open"},
                                          {"summary", "Second"},
                                          {"opened_at", "2026-11-24T09:00:00Z"}});
  CHECK(nlohmann::json::parse(s.ok({"show", "#3", "--json"}))["history"] ==
        nlohmann::json::array());
}

TEST_CASE("mend show lays the case out for a person") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "Parcel arrived damaged", "--email", "ada@example.com", "-m",
        "The box was crushed.", "--wants", "a new vase", "--ref", "INV-9", "--tag", "fragile"});
  const auto out = s.ok({"show", "1"});
  for (const char* fact : {"#1", "Parcel arrived damaged", "Ada Lovelace", "ada@example.com",
                           "The box was crushed.", "a new vase", "INV-9", "+fragile", "Timeline",
                           "opened", "Mon 23 Nov 2026 14:05", "in 2 days"}) {
    CAPTURE(fact);
    CHECK(out.find(fact) != std::string::npos);
  }
}

TEST_CASE("mend show uses the local time zone for display, UTC in JSON") {
  Sandbox s;
  s.env["TZ"] = "America/New_York";
  s.ok({"open", "Ada", "S"});
  CHECK(s.ok({"show", "1"}).find("Mon 23 Nov 2026 09:05") != std::string::npos);
  CHECK(nlohmann::json::parse(s.ok({"show", "1", "--json"}))["opened_at"] ==
        "2026-11-23T14:05:00Z");
}

TEST_CASE("mend show of a missing case exits 66, a bad id exits 64") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  auto r = s.run({"show", "42"});
  CHECK(r.code == 66);
  CHECK(r.out.empty());
  CHECK(r.err == "mend: no case #42\n");
  for (const char* bad : {"abc", "0", "-3", "1.5", "99999999999999999999"}) {
    CAPTURE(std::string(bad));
    r = s.run({"show", bad});
    CHECK(r.code == 64);
    CHECK(r.out.empty());
  }
  CHECK(s.run({"show"}).code == 64);
}

TEST_CASE("text from customers is neutralised on the terminal and escaped in JSON") {
  Sandbox s;
  const std::string evil =
      "Evil\x1b]0;pwned\x07 \x1b[2J\xe2\x80\xae"
      "txt.exe\xc2\x9b"
      "31m\x7f";
  s.ok({"open", evil, evil, "-m", evil + "\nsecond line"});
  for (const auto& args : {std::vector<std::string>{"show", "1"}, std::vector<std::string>{"list"},
                           std::vector<std::string>{"show", "1", "--color", "always"},
                           std::vector<std::string>{"list", "--color", "always"}}) {
    const auto out = s.ok(args);
    std::string without_our_colours = out;
    // Our own colour codes are ESC [ digits m; nothing else may carry an ESC.
    for (std::size_t p; (p = without_our_colours.find("\x1b[")) != std::string::npos;) {
      auto m = without_our_colours.find('m', p);
      const auto inner = without_our_colours.substr(p + 2, m - p - 2);
      REQUIRE(inner.find_first_not_of("0123456789;") == std::string::npos);
      without_our_colours.erase(p, m - p + 1);
    }
    CHECK(without_our_colours.find('\x1b') == std::string::npos);
    CHECK(without_our_colours.find('\x07') == std::string::npos);
    CHECK(without_our_colours.find('\x7f') == std::string::npos);
    CHECK(without_our_colours.find("\xe2\x80\xae") == std::string::npos);
    CHECK(without_our_colours.find("\xc2\x9b") == std::string::npos);
    CHECK(without_our_colours.find("^[]0;pwned^G") != std::string::npos);
    CHECK(without_our_colours.find("<U+202E>") != std::string::npos);
  }
  const auto json = s.ok({"show", "1", "--json"});
  CHECK(json.find('\x1b') == std::string::npos);
  CHECK(json.find("\xe2\x80\xae") == std::string::npos);
  CHECK(json.find("\\u202e") != std::string::npos);
  CHECK(nlohmann::json::parse(json)["summary"] == evil);  // the data itself is kept exactly
}
