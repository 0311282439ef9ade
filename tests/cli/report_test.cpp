// mend report: end to end, on histories seeded with `mend open` and then
// moved along with SQL (resolve and follow-up are other commands' work).
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli/report_render.hpp"
#include "harness.hpp"

using mend::test::Sandbox;
using nlohmann::json;

namespace {

// Six cases: five in the default period (the 30 days before 2026-11-23T14:05Z),
// one in the period before it.
void seed(Sandbox& s) {
  const auto at = [&](const char* when) { s.env["MEND_NOW"] = when; };
  at("2026-11-02T09:00:00Z");
  s.ok({"open", "Ada Lovelace", "Parcel late", "--email", "ada@example.com", "--category",
        "delivery", "--channel", "email"});
  at("2026-11-03T10:00:00Z");
  s.ok({"open", "Ada Lovelace", "Parcel lost", "--email", "ada@example.com", "--category",
        "delivery", "--channel", "phone"});
  at("2026-11-05T12:00:00Z");
  s.ok({"open", "=SUM(1+1)", "Charged twice", "--category", "billing", "--channel", "chat"});
  s.ok({"open", "=SUM(1+1)", "Charged again", "--category", "billing", "--channel", "chat"});
  at("2026-11-10T08:00:00Z");
  s.ok({"open", "<b>Eve</b> & Co", "Broken | lid", "--category", "product", "--channel", "review"});
  at("2026-10-10T08:00:00Z");
  s.ok({"open", "Bob Stone", "Old one", "--category", "delivery"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  mend::test::run_sql(s.db, R"sql(
UPDATE cases SET status = 'closed', resolved_at = opened_at + 10 * 3600, outcome = 'refund',
  amount_cents = 1999, currency = 'USD', fault = 'ours', cause = 'courier',
  closed_at = opened_at + 20 * 3600, followup_done_at = opened_at + 20 * 3600, satisfaction = 5
  WHERE id = 1;
UPDATE cases SET status = 'resolved', resolved_at = opened_at + 60 * 3600, outcome = 'refund',
  amount_cents = 500, currency = 'EUR', fault = 'ours', cause = 'courier',
  followup_at = opened_at + 60 * 3600 + 3 * 86400 WHERE id = 2;
UPDATE cases SET status = 'resolved', resolved_at = opened_at + 2 * 3600, outcome = 'apology',
  fault = 'ours', cause = 'typo', followup_at = opened_at + 30 * 86400 WHERE id = 3;
UPDATE cases SET status = 'resolved', resolved_at = opened_at + 4 * 3600, outcome = 'credit',
  amount_cents = 1000, currency = 'USD', fault = 'ours' WHERE id = 6;
)sql");
}

const std::set<std::string> kTopKeys = {"period",
                                        "opened",
                                        "by_category",
                                        "by_channel",
                                        "repeat_customers",
                                        "resolved",
                                        "median_hours_to_resolve",
                                        "promises_kept_pct",
                                        "by_outcome",
                                        "by_cause",
                                        "compensation",
                                        "closed",
                                        "followups_due",
                                        "followups_done",
                                        "csat_avg",
                                        "csat_responses",
                                        "open_now",
                                        "overdue_now",
                                        "previous"};

std::set<std::string> keys(const json& j) {
  std::set<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it)
    out.insert(it.key());
  return out;
}

// A small RFC 4180 reader: rows of cells, quotes doubled inside quoted cells.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      REQUIRE(cell.empty());
      in_quotes = quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      REQUIRE(c != '\n');  // a bare LF outside quotes is not RFC 4180
      cell += c;
    }
  }
  CHECK_FALSE(in_quotes);
  (void)quoted;
  if (!cell.empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

// Checks that every element opened is closed in order (void elements aside).
void check_balanced_html(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "link", "input", "col"};
  std::vector<std::string> stack;
  for (std::size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    const auto end = html.find('>', i);
    REQUIRE(end != std::string::npos);
    std::string tag = html.substr(i + 1, end - i - 1);
    if (tag.rfind("!", 0) == 0) continue;  // doctype, comments
    const bool closing = !tag.empty() && tag[0] == '/';
    const bool self_closing = !tag.empty() && tag.back() == '/';
    std::string name;
    for (std::size_t k = closing ? 1 : 0;
         k < tag.size() && std::isalnum(static_cast<unsigned char>(tag[k])); ++k)
      name += tag[k];
    REQUIRE_FALSE(name.empty());
    if (closing) {
      REQUIRE_FALSE(stack.empty());
      CHECK(stack.back() == name);
      stack.pop_back();
    } else if (!self_closing && !kVoid.count(name)) {
      stack.push_back(name);
    }
  }
  CHECK(stack.empty());
}

}  // namespace

TEST_CASE("mend report --json carries every SPEC key with figures from the history") {
  Sandbox s;
  seed(s);
  const auto j = json::parse(s.ok({"report", "--json"}));
  CHECK(keys(j) == kTopKeys);
  auto prev_keys = kTopKeys;
  for (const char* k : {"open_now", "overdue_now", "by_category", "by_channel", "by_outcome",
                        "by_cause", "previous"})
    prev_keys.erase(k);
  CHECK(keys(j["previous"]) == prev_keys);
  CHECK(j["period"]["since"] == "2026-10-24T14:05:00Z");
  CHECK(j["period"]["until"] == "2026-11-23T14:05:00Z");
  CHECK(j["previous"]["period"]["since"] == "2026-09-24T14:05:00Z");
  CHECK(j["previous"]["period"]["until"] == "2026-10-24T14:05:00Z");
  CHECK(j["opened"] == 5);
  CHECK(j["by_category"] ==
        json::parse(R"([{"key":"billing","count":2},{"key":"delivery","count":2},
                                             {"key":"product","count":1}])"));
  CHECK(j["by_channel"] == json::parse(R"([{"key":"chat","count":2},{"key":"email","count":1},
                                            {"key":"phone","count":1},{"key":"review","count":1}])"));
  CHECK(j["repeat_customers"] ==
        json::parse(R"j([{"customer":{"id":2,"name":"=SUM(1+1)"},"count":2},
                         {"customer":{"id":1,"name":"Ada Lovelace"},"count":2}])j"));
  CHECK(j["resolved"] == 3);
  CHECK(j["median_hours_to_resolve"] == 10.0);  // 2, 10 and 60 hours
  // Every case has the default due time (+2d): 10 h and 2 h kept it, 60 h did not.
  CHECK(j["promises_kept_pct"].get<double>() == doctest::Approx(200.0 / 3));
  CHECK(j["by_outcome"] ==
        json::parse(R"([{"key":"refund","count":2},{"key":"apology","count":1}])"));
  CHECK(j["by_cause"] == json::parse(R"([{"key":"courier","count":2},{"key":"typo","count":1}])"));
  CHECK(j["compensation"] == json::parse(R"([{"currency":"EUR","amount_cents":500},
                                              {"currency":"USD","amount_cents":1999}])"));
  CHECK(j["closed"] == 1);
  CHECK(j["followups_due"] == 1);  // case 3's falls after the period
  CHECK(j["followups_done"] == 1);
  CHECK(j["csat_avg"] == 5.0);
  CHECK(j["csat_responses"] == 1);
  CHECK(j["open_now"] == 2);
  CHECK(j["overdue_now"] == 2);
  const auto& p = j["previous"];
  CHECK(p["opened"] == 1);
  CHECK(p["resolved"] == 1);
  CHECK(p["median_hours_to_resolve"] == 4.0);
  CHECK(p["promises_kept_pct"] == 100.0);
  CHECK(p["compensation"] == json::parse(R"([{"currency":"USD","amount_cents":1000}])"));
  CHECK(p["csat_avg"].is_null());
  CHECK(p["closed"] == 0);
  // --format json is the same document.
  CHECK(json::parse(s.ok({"report", "--format", "json"})) == j);
}

TEST_CASE("mend report on an empty database is a calm report of zeros") {
  Sandbox s;
  for (const char* format : {"text", "json", "csv", "markdown", "html"}) {
    CAPTURE(format);
    const auto r = s.run({"report", "--format", format});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK_FALSE(r.out.empty());
  }
  const auto j = json::parse(s.ok({"report", "--json"}));
  CHECK(keys(j) == kTopKeys);
  CHECK(j["opened"] == 0);
  CHECK(j["median_hours_to_resolve"].is_null());
  CHECK(j["promises_kept_pct"].is_null());
  CHECK(j["csat_avg"].is_null());
  CHECK(j["by_category"] == json::array());
  CHECK(j["compensation"] == json::array());
  CHECK(j["previous"]["opened"] == 0);
  CHECK(s.ok({"report"}).find("Nothing happened") != std::string::npos);
}

TEST_CASE("mend report --period names calendar periods and the one before") {
  Sandbox s;
  seed(s);
  auto j = json::parse(s.ok({"report", "--period", "2026-11", "--json"}));
  CHECK(j["period"]["since"] == "2026-11-01T00:00:00Z");
  CHECK(j["period"]["until"] == "2026-12-01T00:00:00Z");
  CHECK(j["previous"]["period"]["since"] == "2026-10-01T00:00:00Z");
  CHECK(j["opened"] == 5);
  CHECK(j["previous"]["opened"] == 1);
  j = json::parse(s.ok({"report", "--period", "last-month", "--json"}));
  CHECK(j["period"]["since"] == "2026-10-01T00:00:00Z");
  CHECK(j["opened"] == 1);
  j = json::parse(s.ok({"report", "--period", "week", "--json"}));
  CHECK(j["period"]["since"] == "2026-11-23T00:00:00Z");  // Monday
  CHECK(j["period"]["until"] == "2026-11-30T00:00:00Z");
  j = json::parse(s.ok({"report", "--since", "2026-11-05", "--until", "2026-11-05", "--json"}));
  CHECK(j["period"]["until"] == "2026-11-06T00:00:00Z");
  CHECK(j["opened"] == 2);
}

TEST_CASE("mend report refuses conflicting or bad options with 64 and prints nothing") {
  Sandbox s;
  seed(s);
  const auto before = mend::test::db_dump(s.db);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"report", "--period", "month", "--since", "-7d"},
           {"report", "--period", "fortnight"},
           {"report", "--period", "2026-13"},
           {"report", "--since", "soon"},
           {"report", "--since", "2026-11-10", "--until", "2026-11-01"},
           {"report", "--format", "pdf"},
           {"report", "--by", "colour"},
           {"report", "--top", "0"},
           {"report", "--json", "--format", "csv"}}) {
    const auto r = s.run(args);
    CAPTURE(args.back());
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: ", 0) == 0);
  }
  CHECK(mend::test::db_dump(s.db) == before);
}

TEST_CASE("mend report text off a terminal is ASCII, fits the width and has every figure") {
  Sandbox s;
  seed(s);
  s.env["COLUMNS"] = "60";
  const auto out = s.ok({"report"});
  for (unsigned char c : out)
    CHECK(c < 0x80);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(line.size() <= 60);
  }
  for (const char* want :
       {"Opened", "Resolved", "Median time to resolve", "Promises kept", "Closed", "Follow-ups due",
        "Follow-ups done", "Satisfaction", "Compensation", "USD 19.99", "EUR 5.00", "Open now",
        "2 overdue", "By category", "By channel", "By outcome", "By cause", "Repeat customers",
        "#"}) {
    CAPTURE(want);
    CHECK(out.find(want) != std::string::npos);
  }
  CHECK(out.find("+4 vs 1") != std::string::npos);  // opened: 5 now, 1 before
  CHECK(out.find("10.0 h") != std::string::npos);
  CHECK(out.find("67%") != std::string::npos);
}

TEST_CASE("mend report --by and --top choose the breakdowns and cut long tails") {
  Sandbox s;
  seed(s);
  auto out = s.ok({"report", "--by", "category,cause", "--top", "1"});
  CHECK(out.find("By category") != std::string::npos);
  CHECK(out.find("By cause") != std::string::npos);
  CHECK(out.find("By channel") == std::string::npos);
  CHECK(out.find("Repeat customers") == std::string::npos);
  CHECK(out.find("and 2 more") != std::string::npos);  // categories: 3, one shown
  out = s.ok({"report", "--by", "customer", "--by", "outcome"});
  CHECK(out.find("Repeat customers") != std::string::npos);
  CHECK(out.find("By outcome") != std::string::npos);
  CHECK(out.find("By category") == std::string::npos);
  // JSON always carries every key in full.
  const auto j = json::parse(s.ok({"report", "--json", "--by", "cause", "--top", "1"}));
  CHECK(j["by_category"].size() == 3);
}

TEST_CASE("mend report text on a terminal draws Unicode bars and trend arrows within the width") {
  Sandbox s;
  seed(s);
  REQUIRE(std::system("command -v script >/dev/null") == 0);
  std::string cmd = "env -i";
  for (const auto& [k, v] : s.env)
    cmd += " '" + k + "=" + v + "'";
  cmd += " COLUMNS=70 script -qec '" + std::string(MEND_BINARY) +
         " report --color never' /dev/null < /dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
    out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  CHECK(out.find("\xe2\x96\x88") != std::string::npos);    // U+2588 full block
  CHECK(out.find("\xe2\x96\xb2 4") != std::string::npos);  // U+25B2: opened went up by 4
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    int columns = 0;
    for (unsigned char c : line)
      columns += (c & 0xC0) != 0x80;  // one column per code point here
    CAPTURE(line);
    CHECK(columns <= 70);
  }
}

TEST_CASE("mend report --format csv is RFC 4180 with one section per table and no formulas") {
  Sandbox s;
  seed(s);
  const auto out = s.ok({"report", "--format", "csv"});
  const auto rows = parse_csv(out);
  std::map<std::string, std::vector<std::vector<std::string>>> sections;
  std::string current;
  bool start = true;
  for (const auto& row : rows) {
    if (row.size() == 1 && row[0].empty()) {
      start = true;
      continue;
    }
    if (start) {
      REQUIRE(row.size() == 1);
      current = row[0];
      start = false;
      continue;
    }
    sections[current].push_back(row);
  }
  for (const char* name : {"period", "summary", "compensation", "by_category", "by_channel",
                           "by_outcome", "by_cause", "repeat_customers"}) {
    CAPTURE(name);
    REQUIRE(sections.count(name) == 1);
    const auto width = sections[name].front().size();
    for (const auto& row : sections[name])
      CHECK(row.size() == width);
  }
  const auto& summary = sections["summary"];
  CHECK(summary[0] == std::vector<std::string>{"figure", "value", "previous"});
  CHECK(std::find(summary.begin(), summary.end(), std::vector<std::string>{"opened", "5", "1"}) !=
        summary.end());
  const auto& money = sections["compensation"];
  CHECK(money[1] == std::vector<std::string>{"EUR", "500", "5.00", "0"});
  CHECK(money[2] == std::vector<std::string>{"USD", "1999", "19.99", "1000"});
  const auto& repeat = sections["repeat_customers"];
  CHECK(repeat[1] == std::vector<std::string>{"2", "'=SUM(1+1)", "2"});
  for (const auto& row : rows)
    for (const auto& cell : row)
      if (!cell.empty()) CHECK(std::string("=+@\t\r").find(cell[0]) == std::string::npos);
  for (const auto& row : rows)  // fault is never shown beside a customer
    for (const auto& cell : row)
      CHECK(cell != "ours");
}

TEST_CASE("mend report --format markdown is pipe tables that survive customer text") {
  Sandbox s;
  seed(s);
  const auto out = s.ok({"report", "--format", "markdown"});
  CHECK(out.rfind("# Complaints report", 0) == 0);
  std::istringstream lines(out);
  int tables = 0;
  std::size_t columns = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '|') {
      columns = 0;
      continue;
    }
    CHECK(line.back() == '|');
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    if (columns == 0) {
      ++tables;
      columns = pipes;
    }
    CAPTURE(line);
    CHECK(pipes == columns);
  }
  CHECK(tables == 6);  // the headline and five non-empty breakdowns
  CHECK(out.find("|:--|--:|") != std::string::npos);
  CHECK(out.find("\\<b\\>Eve") == std::string::npos);  // Eve has one case: not a repeat customer
  CHECK(out.find("| refund | 2 |") != std::string::npos);
}

TEST_CASE("mend report --format html is one self-contained, escaped, well-formed file") {
  Sandbox s;
  seed(s);
  mend::test::run_sql(s.db, "UPDATE cases SET cause = '<script>alert(1)</script>' WHERE id = 3;");
  mend::test::run_sql(
      s.db, "UPDATE customers SET name = '<img src=https://evil.example/x.png>' WHERE id = 2;");
  const auto html = s.ok({"report", "--format", "html"});
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  check_balanced_html(html);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("Cases opened and resolved per week") != std::string::npos);
  CHECK(html.find("<polyline") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);  // even in text, the colon is escaped
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=https&#58;//evil") != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find(">ours<") == std::string::npos);
  CHECK(html.find("fault") == std::string::npos);
}

TEST_CASE("the html report names the business from the config in its title, escaped") {
  mend::Report r;
  mend::cli::ReportView view;
  view.business_name = "Bob's <Bikes> & Co";
  const auto html = mend::cli::render_report_html(r, view);
  CHECK(html.find("<title>Complaints report&#58; Bob&#39;s &lt;Bikes&gt; &amp; Co</title>") !=
        std::string::npos);
  check_balanced_html(html);
  const auto text = mend::cli::render_report_text(r, view);
  CHECK(text.find("Bob's <Bikes> & Co") != std::string::npos);
}

TEST_CASE("the html report renders in headless Chromium") {
  Sandbox s;
  seed(s);
  const std::string html_path = s.dir + "/report.html";
  const std::string png_path = s.dir + "/report.png";
  {
    std::ofstream f(html_path);
    f << s.ok({"report", "--format", "html"});
  }
  REQUIRE(std::filesystem::exists("/usr/bin/chromium"));  // scripts/install-deps.sh installs it
  const std::string profile = s.dir + "/chromium-profile";
  const std::string cmd =
      "HOME='" + s.dir +
      "' timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
      "--disable-quic --no-first-run --disable-background-networking --disable-component-update "
      "--disable-sync --user-data-dir='" +
      profile + "' --screenshot='" + png_path + "' --window-size=1200,1600 'file://" + html_path +
      "' >/dev/null 2>&1";
  CHECK(std::system(cmd.c_str()) == 0);
  const auto png = mend::test::file_bytes(png_path);
  REQUIRE(png.size() > 20000);  // a blank page is a few kB
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  if (const char* keep = std::getenv("MEND_KEEP_SCREENSHOT"))
    std::filesystem::copy_file(png_path, keep, std::filesystem::copy_options::overwrite_existing);
}

namespace {

// Twelve customers with two cases each in the default period, by SQL: more
// repeat customers than the human formats list.
void seed_repeaters(Sandbox& s) {
  s.ok({"open", "Seed Customer", "First"});
  mend::test::run_sql(s.db, R"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO customers(name, created_at) SELECT 'Repeat ' || substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ', i, 1), 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24)
INSERT INTO cases(customer_id, status, summary, channel, category, priority, opened_at)
  SELECT 2 + (i - 1) / 2, 'open', 'Again', 'email', 'other', 'normal',
         1795168800 + i FROM n;  -- 2026-11-20T10:00:00Z
)sql");
}

}  // namespace

TEST_CASE("mend report text lists the first 10 repeat customers and says how many more") {
  Sandbox s;
  seed_repeaters(s);
  const auto text = s.ok({"report"});
  CHECK(text.find("Repeat A (#2)") != std::string::npos);
  CHECK(text.find("Repeat J (#11)") != std::string::npos);
  CHECK(text.find("Repeat K (#12)") == std::string::npos);
  CHECK(text.find("  ... and 2 more (--top N shows more; csv and json list all)\n") !=
        std::string::npos);
  // --top is the person's own choice: it shows that many, with its own hint.
  const auto all = s.ok({"report", "--top", "12"});
  CHECK(all.find("Repeat L (#13)") != std::string::npos);
  CHECK(all.find("more") == std::string::npos);
  CHECK(s.ok({"report", "--top", "11"}).find("  ... and 1 more (--top)\n") != std::string::npos);
  const auto md = s.ok({"report", "--format", "markdown"});
  CHECK(md.find("| Repeat J (#11) | 2 |") != std::string::npos);
  CHECK(md.find("Repeat K") == std::string::npos);
  CHECK(md.find("2 more not shown (--top N shows more; csv and json list all).") !=
        std::string::npos);
  const auto html = s.ok({"report", "--format", "html"});
  CHECK(html.find("Repeat K") == std::string::npos);
  CHECK(html.find("2 more not shown (--top N shows more; csv and json list all).") !=
        std::string::npos);
  check_balanced_html(html);
}

TEST_CASE("mend report csv and json list every repeat customer") {
  Sandbox s;
  seed_repeaters(s);
  const auto rows = parse_csv(s.ok({"report", "--format", "csv"}));
  std::vector<std::string> names;
  bool in_section = false;
  for (const auto& row : rows) {
    if (row.size() == 1 && row[0] == "repeat_customers") in_section = true;
    if (in_section && row.size() == 3 && row[0] != "customer_id") names.push_back(row[1]);
  }
  REQUIRE(names.size() == 12);
  CHECK(names.front() == "Repeat A");
  CHECK(names.back() == "Repeat L");
  const auto j = json::parse(s.ok({"report", "--json"}));
  REQUIRE(j["repeat_customers"].size() == 12);
  CHECK(j["repeat_customers"][11]["customer"]["name"] == "Repeat L");
  CHECK(j["repeat_customers"][11]["count"] == 2);
}

TEST_CASE("the streamed report JSON is byte for byte the JSON tree, in pieces") {
  mend::Report r;
  r.current.since = 1'795'000'000;
  r.current.until = 1'795'442'700;
  r.previous.since = 1'794'000'000;
  r.previous.until = 1'795'000'000;
  r.current.opened = 30000;
  r.current.median_hours_to_resolve = 23.125;
  r.current.promises_kept_pct = 100.0 * 2 / 3;
  r.current.csat_avg = 3.9;
  r.current.compensation = {{"EUR", 407531515}, {"USD", -5}};
  r.by_category = {{"delivery", 5}, {"b\"ill\\ing", 2}};
  r.by_cause = {{"late courier", 3}};
  r.open_now = 7;
  // Thousands of customers, with names that JSON must escape or that mend
  // writes as \u escapes: quotes, backslashes, controls, DEL, C1, bidi,
  // line separators, invalid UTF-8, and plain non-ASCII.
  const std::vector<std::string> odd = {"Plain Name",      "Zoë Müller",    "quote \" here",
                                        "back\\slash",     "tab\there",     "bell\x07",
                                        "del\x7f",         "c1 \xc2\x85",   "bidi \xe2\x80\xae",
                                        "ls \xe2\x80\xa8", "bad \xff utf8", "cut \xe2\x82"};
  for (std::int64_t i = 0; i < 6000; ++i) {
    r.current.repeat_customers.push_back(
        {i + 1, odd[static_cast<std::size_t>(i) % odd.size()] + std::to_string(i), 6000 - i});
  }
  r.previous.repeat_customers = {{9, "Prev \"one\"", 3}};
  std::string streamed;
  int pieces = 0;
  mend::cli::write_report_json(r, [&](std::string_view piece) {
    streamed += piece;
    ++pieces;
  });
  // Valid JSON, written as dump_json writes the same tree, keys in order.
  const auto tree = mend::cli::Json::parse(streamed);
  CHECK(streamed == mend::cli::dump_json(tree));
  CHECK(pieces > 1);
  std::vector<std::string> keys;
  for (const auto& [key, value] : tree.items())
    keys.push_back(key);
  CHECK(keys == std::vector<std::string>{
                    "period", "opened", "by_category", "by_channel", "repeat_customers", "resolved",
                    "median_hours_to_resolve", "promises_kept_pct", "by_outcome", "by_cause",
                    "compensation", "closed", "followups_due", "followups_done", "csat_avg",
                    "csat_responses", "open_now", "overdue_now", "previous"});
  REQUIRE(tree["repeat_customers"].size() == 6000);
  CHECK(tree["repeat_customers"][2]["customer"]["name"] == "quote \" here2");
  CHECK(tree["repeat_customers"][10]["customer"]["name"] == "bad \xEF\xBF\xBD utf810");
  CHECK(tree["previous"]["repeat_customers"][0]["customer"]["name"] == "Prev \"one\"");
  CHECK(tree["compensation"][1]["amount_cents"] == -5);
  CHECK(tree["csat_avg"] == 3.9);
  // And an empty report.
  mend::Report empty;
  std::string small;
  mend::cli::write_report_json(empty, [&](std::string_view piece) { small += piece; });
  CHECK(small == mend::cli::dump_json(mend::cli::Json::parse(small)));
  CHECK(mend::cli::Json::parse(small)["repeat_customers"].empty());
}

TEST_CASE("mend report text keeps large compensation sums in the column of the other figures") {
  Sandbox s;
  s.ok({"open", "Ada", "Big order lost", "-q"});
  s.ok({"open", "Bo", "Another big order", "-q"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "720139.38", "--currency", "EUR"});
  s.ok({"resolve", "2", "--outcome", "refund", "--amount", "6579552.30"});
  const auto out = s.ok({"report"});
  // Where each row's value ends: right after the last character of the value.
  const auto value_end = [&](const std::string& label, const std::string& value) {
    const auto at = out.find("  " + label);
    REQUIRE(at != std::string::npos);
    const auto v = out.find(value, at);
    REQUIRE(v != std::string::npos);
    REQUIRE(out.find('\n', at) > v);  // on the same line
    return v + value.size() - at;
  };
  CHECK(value_end("Compensation", "EUR 720139.38") == value_end("Opened", "2"));
  CHECK(value_end("Resolved", "2") == value_end("Opened", "2"));
  CHECK(out.find("USD 6579552.30") != std::string::npos);
}

TEST_CASE("mend report text picks its first 10 repeat customers by count, then name, then id") {
  Sandbox s;
  s.ok({"open", "Seed Customer", "First"});
  // Fourteen customers, #2 to #15, named against their ids ('N' down to
  // 'b', every other one in capitals; #14 and #15 share a name but for
  // case): #2 has four cases, #3 three, the rest two. The tie at two cases
  // crosses the cut after the 10th and is settled by name (NOCASE), then id.
  mend::test::run_sql(s.db, R"sql(
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 14)
INSERT INTO customers(name, created_at)
  SELECT CASE WHEN i = 14 THEN 'Tie b'
              WHEN i % 2 = 0 THEN 'Tie ' || substr('abcdefghijklmnopqrstuvwxyz', 15 - i, 1)
              ELSE 'TIE ' || substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 15 - i, 1) END, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 14),
     k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 4)
INSERT INTO cases(customer_id, status, summary, channel, category, priority, opened_at)
  SELECT 1 + i, 'open', 'Again', 'email', 'other', 'normal',
         1795168800 + i * 10 + j FROM n, k  -- 2026-11-20T10:00:00Z
  WHERE j <= CASE i WHEN 1 THEN 4 WHEN 2 THEN 3 ELSE 2 END;
)sql");
  const auto json = json::parse(s.ok({"report", "--json"}));
  const auto& all = json["repeat_customers"];
  REQUIRE(all.size() == 14);
  CHECK(all[0]["customer"]["id"] == 2);
  CHECK(all[1]["customer"]["id"] == 3);
  CHECK(all[2]["customer"]["id"] == 14);
  CHECK(all[13]["customer"]["id"] == 4);
  // The text lists the JSON's first ten, in its order, and counts the rest.
  const auto text = s.ok({"report"});
  std::size_t at = 0;
  for (std::size_t i = 0; i < 14; ++i) {
    const std::string label = all[i]["customer"]["name"].get<std::string>() + " (#" +
                              std::to_string(all[i]["customer"]["id"].get<int>()) + ")";
    CAPTURE(label);
    const auto found = text.find(label);
    if (i < 10) {
      REQUIRE(found != std::string::npos);
      CHECK(found > at);
      at = found;
    } else {
      CHECK(found == std::string::npos);
    }
  }
  CHECK(text.find("  ... and 4 more (--top N shows more; csv and json list all)\n") !=
        std::string::npos);
  // Names equal but for case go by id.
  CHECK(text.find("TIE B (#14)") < text.find("Tie b (#15)"));
  CHECK(text.find("Tie i (#7)") == std::string::npos);
  const auto top3 = s.ok({"report", "--top", "3"});
  CHECK(top3.find("  ... and 11 more (--top)\n") != std::string::npos);
  const auto csv = s.ok({"report", "--format", "csv", "--top", "12"});
  CHECK(csv.find("(2 more),,") != std::string::npos);
  CHECK(s.ok({"report", "--by", "category"}).find("Repeat customers") == std::string::npos);
}

TEST_CASE(
    "report tables are headed by what they count, money has its symbol where people read it") {
  Sandbox s;
  seed(s);
  const auto md = s.ok({"report", "--format", "markdown"});
  CAPTURE(md);
  CHECK(md.find("| Key |") == std::string::npos);
  CHECK(md.find("| Category | Cases |") != std::string::npos);
  CHECK(md.find("| Cause | Cases |") != std::string::npos);
  CHECK(md.find("| Compensation | €5.00, $19.99 |") != std::string::npos);
  const auto html = s.ok({"report", "--format", "html"});
  CHECK(html.find("$19.99") != std::string::npos);
  // Piped text stays plain ASCII for a cron mail, and JSON and CSV keep ISO codes.
  CHECK(s.ok({"report"}).find("EUR 5.00") != std::string::npos);
  CHECK(s.ok({"report", "--format", "csv"}).find("EUR,500,5.00") != std::string::npos);
  CHECK(s.ok({"report", "--format", "json"}).find("\"currency\":\"EUR\"") != std::string::npos);
}

TEST_CASE("the HTML trend shows equal lines both, shades partial weeks, and skips short periods") {
  Sandbox s;
  for (int week = 0; week < 4; ++week) {
    const auto day = fmt::format("2026-11-{:02}", 3 + 7 * week);
    s.env["MEND_NOW"] = day + "T10:00:00Z";
    s.ok({"open", "Ada", "Cake"});
    s.env["MEND_NOW"] = day + "T11:00:00Z";
    s.ok({"resolve", std::to_string(week + 1), "--outcome", "apology", "--followup", "never"});
  }
  s.env["MEND_NOW"] = "2026-12-01T10:00:00Z";
  const auto html = s.ok({"report", "--period", "2026-11", "--format", "html"});
  check_balanced_html(html);
  CHECK(html.find("<polyline class=\"resolved\"") != std::string::npos);
  CHECK(html.find("stroke-dasharray") != std::string::npos);
  std::size_t shaded = 0;
  for (std::size_t p = 0; (p = html.find("class=\"partial\"", p)) != std::string::npos; ++p)
    ++shaded;
  CHECK(shaded == 2);  // Mon 26 Oct and Mon 30 Nov: the month has part of each
  CHECK(html.find("part of a week in the period") != std::string::npos);
  const auto week =
      s.ok({"report", "--since", "2026-11-23", "--until", "2026-11-29", "--format", "html"});
  CHECK(week.find("<polyline") == std::string::npos);
  CHECK(week.find("Too short a period for a weekly trend: 1 opened, 1 resolved") !=
        std::string::npos);
}
