// mend export, end to end.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

int file_mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace

TEST_CASE(
    "mend export writes one case per line in id order, the show --json shape without history") {
  Sandbox s;
  s.ok({"open", "Ada", "First", "--email", "ada@example.com", "--tag", "vip", "-m", "Two\nlines"});
  s.ok({"open", "Bob", "Second"});
  s.ok({"open", "Ada", "Third", "--email", "ada@example.com"});
  const auto lines = lines_of(s.ok({"export"}));
  REQUIRE(lines.size() == 3);
  for (int id = 1; id <= 3; ++id) {
    auto shown = nlohmann::ordered_json::parse(s.ok({"show", std::to_string(id), "--json"}));
    shown.erase("history");
    CHECK(lines[static_cast<std::size_t>(id - 1)] == shown.dump());
  }
}

TEST_CASE("mend export on an empty database prints nothing, and csv only the header") {
  Sandbox s;
  CHECK(s.ok({"export"}).empty());
  const auto csv = s.ok({"export", "--format", "csv"});
  CHECK(csv.rfind("id,status,customer_id,customer_name,customer_email,customer_phone,summary,",
                  0) == 0);
  CHECK(csv.find("\r\n") == csv.size() - 2);
}

TEST_CASE("mend export filters by status and by opened_at with --since and --until") {
  Sandbox s;
  auto a = case_line(1, 1, "Ada");
  a["opened_at"] = "2026-10-01T10:00:00Z";
  auto b = case_line(2, 1, "Ada");
  b["opened_at"] = "2026-11-01T10:00:00Z";
  b["status"] = "resolved";
  b["resolved_at"] = "2026-11-02T10:00:00Z";
  b["resolution"] = {{"outcome", "apology"}, {"currency", "USD"}, {"fault", "none"}};
  auto c = case_line(3, 1, "Ada");
  c["opened_at"] = "2026-11-20T10:00:00Z";
  s.ok({"import", "-"}, jsonl({a, b, c}));
  auto ids = [&](const std::vector<std::string>& args) {
    std::vector<int> out;
    for (const auto& l : lines_of(s.ok(args)))
      out.push_back(nlohmann::json::parse(l)["id"].get<int>());
    return out;
  };
  CHECK(ids({"export", "--status", "open"}) == std::vector<int>{1, 3});
  CHECK(ids({"export", "--status", "resolved"}) == std::vector<int>{2});
  CHECK(ids({"export", "--since", "2026-11-01"}) == std::vector<int>{2, 3});
  CHECK(ids({"export", "--until", "2026-11-01"}) == std::vector<int>{1, 2});
  CHECK(ids({"export", "--since", "2026-10-02", "--until", "2026-11-19"}) == std::vector<int>{2});
  CHECK(s.run({"export", "--status", "pending"}).code == 64);
  CHECK(s.run({"export", "--since", "someday"}).code == 64);
  CHECK(s.run({"export", "--format", "xml"}).code == 64);
}

TEST_CASE("mend export --format csv neutralises spreadsheet formulas but leaves plain numbers") {
  Sandbox s;
  const std::vector<std::string> summaries = {
      "=1+1",     "+SUM(A1)",   "-cmd|calc", "@import",
      "\tTabbed", "\rCarriage", "-12.5",     "plain, with \"quotes\""};
  std::vector<OJson> lines;
  for (std::size_t i = 0; i < summaries.size(); ++i)
    lines.push_back(case_line(static_cast<std::int64_t>(i + 1), 1, "Ada", summaries[i]));
  lines[0]["complaint"] = "two\nlines";
  lines[1]["tags"] = {"a", "b"};
  s.ok({"import", "-"}, jsonl(lines));
  const auto csv = s.ok({"export", "--format", "csv"});
  // Each record ends with CRLF; cells with a comma, quote, CR or LF are quoted.
  CHECK(
      csv.find(
          "\n1,open,1,Ada,,,'=1+1,\"two\nlines\",,email,delivery,normal,,,2026-11-01T09:00:00Z,") !=
      std::string::npos);
  CHECK(csv.find("\r\n2,open,1,Ada,,,'+SUM(A1),,,email,delivery,normal,,a b,") !=
        std::string::npos);
  CHECK(csv.find("\r\n3,open,1,Ada,,,'-cmd|calc,") != std::string::npos);
  CHECK(csv.find("\r\n4,open,1,Ada,,,'@import,") != std::string::npos);
  CHECK(csv.find("\r\n5,open,1,Ada,,,'\tTabbed,") != std::string::npos);
  CHECK(csv.find("\r\n6,open,1,Ada,,,\"'\rCarriage\",") != std::string::npos);
  CHECK(csv.find("\r\n7,open,1,Ada,,,-12.5,") != std::string::npos);
  CHECK(csv.find("\r\n8,open,1,Ada,,,\"plain, with \"\"quotes\"\"\",") != std::string::npos);
  // Event texts are not in the CSV, so the formula appears nowhere unneutralised.
  CHECK(csv.find(",=1+1") == std::string::npos);
}

TEST_CASE("export and report CSV neutralise a category +5 alike, and leave -12.5 a number") {
  Sandbox s;
  s.ok({"open", "Ada", "Plus", "--category", "+5"});
  s.ok({"open", "Bob", "Minus", "--category", "-12.5"});
  const auto exported = s.ok({"export", "--format", "csv"});
  CHECK(exported.find(",other,'+5,normal,") != std::string::npos);
  CHECK(exported.find(",other,-12.5,normal,") != std::string::npos);
  CHECK(exported.find(",+5,") == std::string::npos);
  const auto report = s.ok({"report", "--format", "csv"});
  CHECK(report.find("\r\n'+5,1\r\n") != std::string::npos);
  CHECK(report.find("\r\n-12.5,1\r\n") != std::string::npos);
  CHECK(report.find("\n+5,") == std::string::npos);
}

TEST_CASE("the most negative amount a database can hold prints alike in show, export and report") {
  // Import and resolve refuse it; a database written by hand or by another
  // program can still hold it, and every output must print it.
  Sandbox s;
  s.env["MEND_NOW"] = "2026-11-10T00:00:00Z";
  s.ok({"open", "Ada", "Lost parcel"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "1", "--currency", "EUR"});
  mend::test::run_sql(s.db, "UPDATE cases SET amount_cents = -9223372036854775807 - 1");
  CHECK(s.ok({"show", "1"}).find("refund -€92233720368547758.08\n") != std::string::npos);
  CHECK(s.ok({"export", "--format", "csv"})
            .find(",-92233720368547758.08,-9223372036854775808,EUR,") != std::string::npos);
  CHECK(s.ok({"export"}).find("\"amount_cents\":-9223372036854775808,") != std::string::npos);
  CHECK(s.ok({"report", "--format", "csv"})
            .find("\r\nEUR,-9223372036854775808,-92233720368547758.08,0\r\n") != std::string::npos);
  CHECK(s.ok({"report"}).find("EUR -92233720368547758.08") != std::string::npos);
  CHECK(s.ok({"report", "--format", "markdown"}).find("-€92233720368547758.08") !=
        std::string::npos);
}

TEST_CASE("mend export -o creates a private file and refuses an existing one or a symbolic link") {
  Sandbox s;
  s.ok({"open", "Ada", "First"});
  const auto file = s.dir + "/out.jsonl";
  CHECK(s.ok({"export", "-o", "out.jsonl"}) == "Exported 1 case to out.jsonl.\n");
  CHECK(file_mode(file) == 0600);
  CHECK(file_bytes(file) == s.ok({"export"}));
  auto r = s.run({"export", "-o", "out.jsonl"});
  CHECK(r.code == 73);
  CHECK(r.err.find("exists; use --force") != std::string::npos);
  s.ok({"open", "Bob", "Second"});
  s.ok({"export", "-o", "out.jsonl", "--force"});
  CHECK(lines_of(file_bytes(file)).size() == 2);
  CHECK(file_mode(file) == 0600);
  // A link planted where the export goes is never followed, not even with --force.
  const auto target = s.dir + "/target";
  write_file(target, "precious\n");
  REQUIRE(::symlink(target.c_str(), (s.dir + "/link.jsonl").c_str()) == 0);
  for (bool force : {false, true}) {
    std::vector<std::string> args = {"export", "-o", "link.jsonl"};
    if (force) args.push_back("--force");
    r = s.run(args);
    CHECK(r.code == 73);
    CHECK(r.err.find("symbolic link") != std::string::npos);
    CHECK(file_bytes(target) == "precious\n");
  }
}

namespace {

// The cells of a CSV line without quoted commas (enough for these tests).
std::vector<std::string> cells_of(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    out.push_back(line.substr(start, comma - start));
  out.push_back(line.substr(start));
  return out;
}

std::string column(const std::vector<std::string>& header, const std::vector<std::string>& row,
                   const std::string& name) {
  const auto at = std::find(header.begin(), header.end(), name);
  REQUIRE(at != header.end());
  return row.at(static_cast<std::size_t>(at - header.begin()));
}

// Three cases: #1 refunded 45.50 GBP on 20 Nov, #2 credited 5.00 on 23 Nov, #3 open.
void seed_paid(Sandbox& s) {
  s.env["TZ"] = "Europe/Berlin";
  s.env["MEND_NOW"] = "2026-11-16T09:00:00Z";
  s.ok({"open", "Ada", "Cake collapsed"});
  s.ok({"open", "Bob", "Late delivery"});
  s.ok({"open", "Carol", "Wrong icing"});
  s.env["MEND_NOW"] = "2026-11-20T15:30:00Z";
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "45.50", "--currency", "GBP"});
  s.env["MEND_NOW"] = "2026-11-23T14:05:00Z";
  s.ok({"resolve", "2", "--outcome", "credit", "--amount", "5", "--followup", "never"});
}

}  // namespace

TEST_CASE("mend export --format csv has amount in currency units beside amount_cents") {
  Sandbox s;
  seed_paid(s);
  const auto lines = lines_of(s.ok({"export", "--format", "csv"}));
  REQUIRE(lines.size() == 4);
  const auto header = cells_of(lines[0]);
  const auto at = std::find(header.begin(), header.end(), "amount");
  REQUIRE(at != header.end());
  CHECK(*(at + 1) == "amount_cents");
  CHECK(*(at + 2) == "currency");
  const auto first = cells_of(lines[1]);
  CHECK(column(header, first, "amount") == "45.50");
  CHECK(column(header, first, "amount_cents") == "4550");
  CHECK(column(header, first, "currency") == "GBP");
  CHECK(column(header, cells_of(lines[2]), "amount") == "5.00");
  CHECK(column(header, cells_of(lines[3]), "amount").empty());
  CHECK(column(header, first, "resolved_at") == "2026-11-20T15:30:00Z");
}

TEST_CASE("mend export --local writes local times with their offset, CSV only") {
  Sandbox s;
  seed_paid(s);
  const auto lines = lines_of(s.ok({"export", "--format", "csv", "--local"}));
  REQUIRE(lines.size() == 4);
  const auto header = cells_of(lines[0]);
  const auto first = cells_of(lines[1]);
  CHECK(column(header, first, "opened_at") == "2026-11-16T10:00:00+01:00");
  CHECK(column(header, first, "resolved_at") == "2026-11-20T16:30:00+01:00");
  s.env["TZ"] = "America/New_York";
  const auto ny = cells_of(lines_of(s.ok({"export", "--format", "csv", "--local"}))[1]);
  CHECK(column(header, ny, "opened_at") == "2026-11-16T04:00:00-05:00");

  const auto json = s.run({"export", "--local"});
  CHECK(json.code == 64);
  CHECK(json.out.empty());
  CHECK(json.err.find("--local goes with --format csv") != std::string::npos);
}

TEST_CASE("mend export --resolved-since/--resolved-until lists what was paid out in a period") {
  Sandbox s;
  seed_paid(s);
  auto ids = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "export");
    std::vector<int> out;
    for (const auto& line : lines_of(s.ok(args)))
      out.push_back(nlohmann::json::parse(line)["id"]);
    return out;
  };
  CHECK(ids({"--resolved-since", "2026-11-01"}) == std::vector<int>{1, 2});
  CHECK(ids({"--resolved-since", "2026-11-21"}) == std::vector<int>{2});
  CHECK(ids({"--resolved-until", "2026-11-20"}) == std::vector<int>{1});
  CHECK(ids({"--resolved-since", "2026-11-21", "--resolved-until", "2026-11-22"}).empty());
  CHECK(ids({"--status", "resolved", "--status", "closed"}) == std::vector<int>{1, 2});
  CHECK(ids({"--status", "open", "--status", "closed"}) == std::vector<int>{2, 3});
  const auto backwards =
      s.run({"export", "--resolved-since", "2026-11-22", "--resolved-until", "2026-11-01"});
  CHECK(backwards.code == 64);
  CHECK(backwards.out.empty());
  CHECK(backwards.err.find("--resolved-since 2026-11-22") != std::string::npos);
  CHECK(backwards.err.find("is later than --resolved-until 2026-11-01") != std::string::npos);
}
