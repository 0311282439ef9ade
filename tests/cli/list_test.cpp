// mend list: end to end.
#include <doctest/doctest.h>

#include "data_support.hpp"
#include "harness.hpp"

using mend::test::bulk_case_lines;
using mend::test::Sandbox;

namespace {

std::vector<int> ids(const Sandbox& s, std::vector<std::string> args) {
  args.insert(args.begin(), "list");
  args.push_back("--json");
  std::vector<int> out;
  for (const auto& c : nlohmann::json::parse(s.ok(args)))
    out.push_back(c["id"]);
  return out;
}

// Five cases over three days, with different customers, channels and tags.
void seed(Sandbox& s) {
  s.env["MEND_NOW"] = "2026-11-20T10:00:00Z";
  s.ok({"open", "Ada Lovelace", "A1", "--email", "ada@example.com", "--category", "delivery",
        "--tag", "vip", "--due", "2026-11-21"});
  s.ok({"open", "Bob Stone", "B1", "--channel", "phone", "--category", "billing"});
  s.env["MEND_NOW"] = "2026-11-21T10:00:00Z";
  s.ok({"open", "Ada Lovelace", "A2", "--email", "ada@example.com", "--channel", "email"});
  s.env["MEND_NOW"] = "2026-11-22T10:00:00Z";
  s.ok({"open", "Carol", "C1", "--tag", "VIP", "--due", "+5d"});
  s.ok({"open", "Bob Stone", "B2", "--category", "Billing"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
}

}  // namespace

TEST_CASE("mend list: newest opened first, ties by the higher id") {
  Sandbox s;
  seed(s);
  CHECK(ids(s, {}) == std::vector<int>{5, 4, 3, 2, 1});
  CHECK(ids(s, {"--limit", "2"}) == std::vector<int>{5, 4});
}

TEST_CASE("mend list filters combine") {
  Sandbox s;
  seed(s);
  CHECK(ids(s, {"--status", "open"}) == std::vector<int>{5, 4, 3, 2, 1});
  CHECK(ids(s, {"--status", "closed"}).empty());
  CHECK(ids(s, {"--customer", "ada@EXAMPLE.com"}) == std::vector<int>{3, 1});
  CHECK(ids(s, {"--customer", "stone"}) == std::vector<int>{5, 2});
  CHECK(ids(s, {"--customer", "2"}) == std::vector<int>{5, 2});
  CHECK(ids(s, {"--category", "BILLING"}) == std::vector<int>{5, 2});
  CHECK(ids(s, {"--channel", "phone"}) == std::vector<int>{2});
  CHECK(ids(s, {"--tag", "vip"}) == std::vector<int>{4, 1});
  CHECK(ids(s, {"--overdue"}) == std::vector<int>{3, 2, 1});
  CHECK(ids(s, {"--since", "2026-11-21"}) == std::vector<int>{5, 4, 3});
  CHECK(ids(s, {"--until", "2026-11-21"}) == std::vector<int>{3, 2, 1});  // the day counts whole
  CHECK(ids(s, {"--since", "2026-11-21", "--until", "2026-11-21"}) == std::vector<int>{3});
  CHECK(ids(s, {"--since", "-2d"}) == std::vector<int>{5, 4});  // 2026-11-21T14:05
  CHECK(ids(s, {"--category", "billing", "--since", "yesterday"}) == std::vector<int>{5});
}

TEST_CASE("mend list --json omits events, an empty list is []") {
  Sandbox s;
  CHECK(nlohmann::json::parse(s.ok({"list", "--json"})) == nlohmann::json::array());
  CHECK(s.ok({"list"}).empty());
  seed(s);
  const auto j = nlohmann::json::parse(s.ok({"list", "--json"}));
  CHECK_FALSE(j[0].contains("events"));
  CHECK(j[0]["customer"]["name"] == "Bob Stone");
}

TEST_CASE("mend list prints an aligned table with a header") {
  Sandbox s;
  seed(s);
  const auto out = s.ok({"list"});
  CHECK(out.rfind("ID", 0) == 0);
  CHECK(out.find("SUMMARY") != std::string::npos);
  CHECK(out.find("Ada Lovelace") != std::string::npos);
  CHECK(std::count(out.begin(), out.end(), '\n') == 6);
}

TEST_CASE("mend list stays aligned when a name holds an emoji or a combining accent") {
  Sandbox s;
  s.ok({"open", "Rocket \xF0\x9F\x9A\x80 Shop", "First summary"});
  s.ok({"open", "Cafe\xCC\x81 \xE2\x98\x95", "Second summary"});
  s.ok({"open", "Ada Lovelace", "Third summary"});
  const auto out = s.ok({"list"});
  CAPTURE(out);
  // The column where SUMMARY and each summary start, counting 🚀 and ☕ as
  // two columns and the combining accent as none.
  const auto column = [](const std::string& line, const std::string& text) {
    const auto at = line.find(text);
    REQUIRE(at != std::string::npos);
    int columns = 0;
    for (std::size_t i = 0; i < at; ++i) {
      const auto b = static_cast<unsigned char>(line[i]);
      if ((b & 0xC0) == 0x80) continue;
      if (b == 0xCC) continue;  // U+0301 in this test
      columns += b >= 0xE2 ? 2 : 1;
    }
    return columns;
  };
  std::vector<std::string> lines;
  for (std::size_t start = 0, nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(out.substr(start, nl - start));
  REQUIRE(lines.size() == 4);
  const int summary = column(lines[0], "SUMMARY");
  CHECK(column(lines[1], "Third summary") == summary);
  CHECK(column(lines[2], "Second summary") == summary);
  CHECK(column(lines[3], "First summary") == summary);
}

TEST_CASE("mend list refuses bad filters with exit 64") {
  Sandbox s;
  seed(s);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"list", "--status", "pending"},
                                             {"list", "--channel", "fax"},
                                             {"list", "--since", "the other day"},
                                             {"list", "--until", "2026-13-01"},
                                             {"list", "--limit", "0"},
                                             {"list", "--limit", "ten"},
                                             {"list", "--overdue=maybe"},
                                             {"list", "stray"}}) {
    std::string joined;
    for (const auto& a : args)
      joined += a + " ";
    CAPTURE(joined);
    const auto r = s.run(args);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: ", 0) == 0);
  }
}

TEST_CASE("mend list stops quietly when the reader goes away") {
  // 5,000 cases: far more lines than a pipe holds, so list is still writing
  // when head has gone.
  Sandbox s;
  s.ok({"import", "-"}, bulk_case_lines(1, 5000));
  const std::string script = s.dir + "/pipe.sh";
  {
    std::FILE* f = std::fopen(script.c_str(), "w");
    std::fprintf(f, "MEND_DB='%s' '%s' list | head -1 >/dev/null\necho \"${PIPESTATUS[0]}\"\n",
                 s.db.c_str(), MEND_BINARY);
    std::fclose(f);
  }
  std::string out;
  if (FILE* p = ::popen(("bash " + script + " 2>&1").c_str(), "r")) {
    char buf[64];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  CHECK(out == "0\n");
}

TEST_CASE("mend list into a full disk (/dev/full) fails with 74") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  const std::string cmd =
      "MEND_DB='" + s.db + "' " + MEND_BINARY + " list >/dev/full 2>&1; echo $?";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[256];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  CHECK(out.find("74") != std::string::npos);
}

TEST_CASE("mend list --status is repeatable and matches any of them") {
  Sandbox s;
  seed(s);
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"resolve", "2", "--outcome", "apology", "--followup", "never"});
  CHECK(ids(s, {"--status", "resolved"}) == std::vector<int>{1});
  CHECK(ids(s, {"--status", "resolved", "--status", "closed"}) == std::vector<int>{2, 1});
  CHECK(ids(s, {"--status", "Closed", "--status", "closed"}) == std::vector<int>{2});
  CHECK(ids(s, {"--status", "open", "--status", "resolved", "--status", "closed"}).size() == 5);
  const auto bad = s.run({"list", "--status", "open", "--status", "pending"});
  CHECK(bad.code == 64);
  CHECK(bad.out.empty());
  CHECK(bad.err.find("'pending'") != std::string::npos);
}

namespace {

// `mend list` on a pseudo-terminal COLUMNS wide (script(1)), as a person sees it.
std::string list_on_terminal(const Sandbox& s, int columns) {
  std::string env;
  for (const auto& [k, v] : s.env)
    env += k + "='" + v + "' ";
  return mend::test::shell_output(
      "cd '" + s.dir + "' && env " + env + "COLUMNS=" + std::to_string(columns) +
      " NO_COLOR=1 script -qec '" + MEND_BINARY + " list' /dev/null | tr -d '\\r'");
}

}  // namespace

TEST_CASE("a narrow terminal drops PRI and OPENED before it cuts the summary") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "Charged twice for the wedding cake deposit"});
  const auto wide = list_on_terminal(s, 160);
  CAPTURE(wide);
  CHECK(wide.find("PRI") != std::string::npos);
  CHECK(wide.find("OPENED") != std::string::npos);
  CHECK(wide.find("Charged twice for the wedding cake deposit") != std::string::npos);
  const auto narrow = list_on_terminal(s, 100);
  CAPTURE(narrow);
  CHECK(narrow.find("PRI") == std::string::npos);
  CHECK(narrow.find("OPENED") == std::string::npos);
  CHECK(narrow.find("2026-11-23") == std::string::npos);
  CHECK(narrow.find("Charged twice for the wedding cake deposit") != std::string::npos);
  for (std::size_t start = 0, nl; (nl = narrow.find('\n', start)) != std::string::npos;
       start = nl + 1) {
    std::size_t columns = 0;  // UTF-8 characters: every byte but continuation bytes
    for (std::size_t i = start; i < nl; ++i)
      if ((static_cast<unsigned char>(narrow[i]) & 0xC0) != 0x80) ++columns;
    CHECK(columns <= 100);
  }
  const auto tiny = list_on_terminal(s, 62);
  CHECK(tiny.find("Charged") != std::string::npos);
  CHECK(tiny.find("deposit") == std::string::npos);  // cut, as a last resort
}

TEST_CASE("mend list --customer matches a part of the email or of the phone number") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "A", "--email", "ada@lovelace.example", "--phone",
        "+44 7700 900123"});
  s.ok({"open", "Bob Stone", "B", "--email", "bob@stone.example", "--phone", "020 7946 0958"});
  CHECK(ids(s, {"--customer", "lovelace.example"}) == std::vector<int>{1});
  CHECK(ids(s, {"--customer", "STONE.EX"}) == std::vector<int>{2});
  CHECK(ids(s, {"--customer", "900 123"}) == std::vector<int>{1});
  CHECK(ids(s, {"--customer", "900123"}) == std::vector<int>{1});
  CHECK(ids(s, {"--customer", "7946-0958"}) == std::vector<int>{2});
  CHECK(ids(s, {"--customer", "2"}) == std::vector<int>{2});  // short numbers are ids
  CHECK(ids(s, {"--customer", "ada@lovelace.example"}) == std::vector<int>{1});
  CHECK(ids(s, {"--customer", "77009"}) == std::vector<int>{1});
  CHECK(ids(s, {"--customer", "12345"}).empty());
}
