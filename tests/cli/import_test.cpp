// mend import (and the export round trip), end to end.
#include <doctest/doctest.h>

#include <functional>
#include <sstream>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

const char* const kStatuses[] = {"open", "resolved", "closed"};
const char* const kKinds[] = {"note",    "call",  "email", "meeting",
                              "apology", "offer", "reply", "edited"};
const char* const kChannels[] = {"in-person", "phone",  "email", "chat",
                                 "social",    "review", "other"};
const char* const kPriorities[] = {"low", "normal", "high", "urgent"};
const char* const kOutcomes[] = {"refund", "replacement", "apology", "other"};
const char* const kFaults[] = {"ours", "customer", "third-party", "none", "unknown"};
const char* const kNames[] = {"Zoë Ünïcødé",
                              "山田 太郎",
                              "O'Brien \"the quote\"",
                              "Ada, Lovelace",
                              "=HYPERLINK(\"x\")",
                              "\xe2\x80\xae"
                              "bidi",
                              "Tab\tName"};
const char* const kTexts[] = {"",
                              "line one\nline two\r\nline three",
                              "quotes \" and ' and \\ backslash",
                              "control \x01\x02\x1b[31mred\x1b[0m \x7f del",
                              "emoji 😀 and café and Ωmega",
                              "-12.5",
                              "@mention +plus =eq"};

std::string time_at(int day, int hour) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-%02d-%02dT%02d:%02d:00Z", 1 + day / 28, 1 + day % 28,
                hour % 24, (day * 7) % 60);
  return buf;
}

// A varied history: every status, nulls and empty strings, unicode, quotes,
// newlines and control characters, several customers sharing cases.
std::vector<OJson> generated_history(int count) {
  std::vector<OJson> lines;
  for (int i = 1; i <= count; ++i) {
    const std::string name = kNames[i % 7];
    auto j = case_line(i, 1 + i % 7, name, std::string(kTexts[i % 7]) + " #" + std::to_string(i));
    const std::string status = kStatuses[i % 3];
    j["status"] = status;
    j["customer"]["email"] =
        i % 7 == 2 ? OJson(nullptr) : OJson("c" + std::to_string(i % 7) + "@example.com");
    j["customer"]["phone"] =
        i % 7 == 3 ? OJson("+44 (0) 20 " + std::to_string(i % 7)) : OJson(nullptr);
    j["complaint"] = i % 4 == 0 ? OJson(nullptr) : OJson(kTexts[(i + 1) % 7]);
    j["wants"] = i % 5 == 0 ? OJson("") : OJson(nullptr);
    j["reference"] = i % 3 == 0 ? OJson("INV-\"" + std::to_string(i) + "\"")
                                : (i % 2 ? OJson("") : OJson(nullptr));
    j["channel"] = kChannels[i % 7];
    j["category"] = i % 2 ? "delivery" : "billing ünï";
    j["priority"] = kPriorities[i % 4];
    j["tags"] = i % 3 == 0 ? OJson::array({"café", "vip"}) : OJson::array();
    j["opened_at"] = time_at(i, 9);
    j["due_at"] = i % 6 == 0 ? OJson(nullptr) : OJson(time_at(i + 2, 23));
    OJson events =
        OJson::array({{{"at", time_at(i, 9)}, {"kind", "opened"}, {"text", j["summary"]}}});
    for (int k = 0; k < i % 4; ++k)
      events.push_back({{"at", time_at(i, 10 + k)},
                        {"kind", kKinds[(i + k) % 8]},
                        {"text", kTexts[(i + k) % 7]}});
    if (status != "open") {
      j["resolved_at"] = time_at(i + 1, 12);
      j["resolution"] = {{"outcome", kOutcomes[i % 4]},
                         {"text", i % 2 ? OJson(kTexts[(i + 3) % 7]) : OJson(nullptr)},
                         {"amount_cents", i % 3 == 0 ? OJson(nullptr) : OJson(i * 1000 - 1000)},
                         {"currency", i % 2 ? "EUR" : "USD"},
                         {"fault", kFaults[i % 5]},
                         {"cause", i % 2 ? OJson("courier ünï") : OJson(nullptr)}};
      events.push_back({{"at", time_at(i + 1, 12)}, {"kind", "resolved"}, {"text", "done"}});
    }
    if (status == "resolved") j["followup_at"] = time_at(i + 4, 23);
    if (status == "closed") {
      j["closed_at"] = time_at(i + 4, 15);
      j["satisfaction"] = 1 + i % 5;
      events.push_back(
          {{"at", time_at(i + 4, 15)}, {"kind", "followup-done"}, {"text", kTexts[i % 7]}});
    }
    // Who wrote each entry (unknown for entries from before schema v3), and
    // the mail some of them carry.
    for (std::size_t k = 0; k < events.size(); ++k) {
      auto& e = events[k];
      const int n = i + static_cast<int>(k);
      e["by"] = n % 3 == 0 ? OJson(nullptr) : OJson(n % 3 == 1 ? "sam" : "Zoë");
      if (e["kind"] == "email" || e["kind"] == "reply") {
        e["message"] = {
            {"id", n % 2 ? OJson("m" + std::to_string(n) + "@example.com") : OJson(nullptr)},
            {"from", kTexts[n % 7]},
            {"to", n % 4 ? OJson("shop@example.com") : OJson(nullptr)},
            {"subject", kTexts[(n + 1) % 7]},
            {"direction", e["kind"] == "email" ? "in" : "out"}};
      } else {
        e["message"] = nullptr;
      }
    }
    j["owner"] = i % 5 == 0 ? OJson("Bea") : OJson(nullptr);
    j["events"] = events;
    j["attachments"] = OJson::array();
    lines.push_back(j);
  }
  return lines;
}

std::vector<OJson> parse_lines(const std::string& text) {
  std::vector<OJson> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(OJson::parse(line));
  return out;
}

}  // namespace

TEST_CASE("export then import into an empty database then export gives identical output") {
  Sandbox first;
  const auto history = generated_history(42);
  write_file(first.dir + "/history.jsonl", jsonl(history));
  CHECK(first.ok({"import", "history.jsonl"}) == "imported 42 cases, 7 customers\n");
  const auto exported = first.ok({"export"});
  // Nothing was lost or changed on the way in.
  const auto back = parse_lines(exported);
  REQUIRE(back.size() == history.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    INFO("case " << i + 1);
    CHECK(back[i] == history[i]);
  }
  Sandbox second;
  write_file(second.dir + "/export.jsonl", exported);
  second.ok({"import", "export.jsonl"});
  CHECK(second.ok({"export"}) == exported);
  CHECK(second.ok({"export", "--format", "csv"}) == first.ok({"export", "--format", "csv"}));
  // And through stdin too.
  Sandbox third;
  CHECK(third.ok({"import", "-"}, exported) == "imported 42 cases, 7 customers\n");
  CHECK(third.ok({"export"}) == exported);
}

TEST_CASE("import keeps a NUL character inside a text" * mend::test::kSqliteOnly) {
  Sandbox s;
  auto j = case_line(1, 1, "Ada");
  j["complaint"] = std::string("before\0after", 12);
  s.ok({"import", "-"}, jsonl({j}));
  CHECK(parse_lines(s.ok({"export"}))[0]["complaint"] == std::string("before\0after", 12));
}

TEST_CASE("import sets the internal follow-up time from the latest followup-done event") {
  Sandbox s;
  auto closed = case_line(1, 1, "Ada");
  closed["status"] = "closed";
  closed["resolved_at"] = "2026-11-02T10:00:00Z";
  closed["closed_at"] = "2026-11-06T10:00:00Z";
  closed["resolution"] = {{"outcome", "refund"}, {"text", nullptr}, {"amount_cents", 500},
                          {"currency", "USD"},   {"fault", "ours"}, {"cause", nullptr}};
  closed["satisfaction"] = 5;
  closed["events"].push_back(
      {{"at", "2026-11-05T10:00:00Z"}, {"kind", "followup-done"}, {"text", ""}});
  closed["events"].push_back(
      {{"at", "2026-11-06T10:00:00Z"}, {"kind", "followup-done"}, {"text", ""}});
  auto unscored = closed;
  unscored["id"] = 2;
  unscored["satisfaction"] = nullptr;
  s.ok({"import", "-"}, jsonl({closed, unscored}));
  CHECK(sql(s.db, "SELECT id, followup_done_at FROM cases ORDER BY id") == "1|1793959200\n2|\n");
}

TEST_CASE("import keeps free ids and the case sequence continues after them") {
  Sandbox s;
  s.ok({"import", "-"}, jsonl({case_line(100, 40, "Ada"), case_line(7, 3, "Bob")}));
  CHECK(sql(s.db, "SELECT id, customer_id FROM cases ORDER BY id") == "7|3\n100|40\n");
  CHECK(s.ok({"open", "Cy", "Later", "-q"}) == "101\n");
}

TEST_CASE("import reassigns taken ids, lists each one, and matches customers as open does") {
  Sandbox s;
  s.ok({"open", "Ada Lovelace", "First", "--email", "ada@example.com"});  // case 1, customer 1
  s.ok({"open", "Bob Stone", "Second"});                                  // case 2, customer 2
  auto ada = case_line(1, 1, "Ada L.");
  ada["customer"]["email"] = "ADA@example.com";  // taken id 1, matched by email: no line
  auto zed = case_line(5, 2, "Zed");             // taken customer 2, no match: new customer 3
  auto eve = case_line(6, 9, "Eve");             // free ids: kept
  auto zed_again = case_line(2, 2, "Zed");       // same file customer: same new customer
  const auto r = s.run({"import", "-"}, jsonl({ada, zed, eve, zed_again}));
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Lines that keep their ids go in first; the moved ones get ids past every
  // id in use, so no id that was free before the import is taken from a line.
  CHECK(r.out == "case 1 → 7\ncustomer 2 → 10\ncase 2 → 8\n");
  CHECK(sql(s.db, "SELECT id, customer_id FROM cases ORDER BY id") ==
        "1|1\n2|2\n5|10\n6|9\n7|1\n8|10\n");
  CHECK(sql(s.db, "SELECT id, name FROM customers ORDER BY id") ==
        "1|Ada Lovelace\n2|Bob Stone\n9|Eve\n10|Zed\n");
  CHECK(s.ok({"open", "Cy", "Next", "-q"}) == "9\n");
}

TEST_CASE("a long import keeps each case's events and tags with it across batches and moved ids" *
          mend::test::kSqliteOnly) {
  Sandbox s;
  s.ok({"open", "Ada", "One"});   // case 1, customer 1
  s.ok({"open", "Bob", "Two"});   // case 2, customer 2
  s.ok({"open", "Cy", "Three"});  // case 3, customer 3
  std::vector<OJson> lines;
  for (int l = 1; l <= 300; ++l) {
    std::int64_t id = 9 + l;      // free: go in many at a time
    if (l == 20) id = 15;         // taken by line 6 of the same batch of lines
    if (l == 50) id = 2;          // taken before the import
    if (l == 100) id = 40;        // taken by line 31, an earlier batch
    if (l == 150) id = 70000000;  // past the bitmap of ids
    if (l == 130) id = 16;        // taken by line 7, whose customer is matched
    if (l == 200) id = 3;         // taken before the import
    const std::string tag = "t" + std::to_string(l);
    auto j = case_line(id, 1000 + l, "Person " + std::to_string(l), "line " + std::to_string(l));
    j["tags"] = OJson::array({tag, "common"});
    for (int k = 1; k <= l % 5; ++k)
      j["events"].push_back({{"at", "2026-11-02T09:00:00Z"},
                             {"kind", "note"},
                             {"text", "line " + std::to_string(l) + " note " + std::to_string(k)}});
    lines.push_back(j);
  }
  // Line 5 brings a new customer with an email, line 7 names taken customer
  // 1 with that email: matched to line 5's customer, as `open` matches.
  lines[4]["customer"]["email"] = "m@example.com";
  lines[6]["customer"] = {{"id", 1}, {"name", "M"}, {"email", "M@example.com"}, {"phone", nullptr}};
  const auto r = s.run({"import", "-"}, jsonl(lines));
  INFO(r.err);
  REQUIRE(r.code == 0);
  // Line 7 goes in with the first lines (matching sees line 5's customer),
  // so line 130 is the one that moves.
  CHECK(r.out ==
        "customer 1 → 1005\ncase 15 → 70000001\ncase 2 → 70000002\ncase 40 → 70000003\n"
        "case 16 → 70000004\ncase 3 → 70000005\n");
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "303\n");
  CHECK(sql(s.db, "SELECT customer_id FROM cases WHERE summary = 'line 7'") == "1005\n");
  CHECK(sql(s.db, "SELECT email FROM customers WHERE id = 1005") == "m@example.com\n");
  CHECK(sql(s.db, "SELECT id FROM cases WHERE summary IN ('line 20', 'line 150') ORDER BY id") ==
        "70000000\n70000001\n");
  // Every event and tag sits with the case of its own line.
  CHECK(sql(s.db,
            "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id "
            "WHERE c.summary LIKE 'line %' AND substr(e.text, 1, length(c.summary)) = c.summary "
            "AND (length(e.text) = length(c.summary) OR substr(e.text, length(c.summary) + 1, 1) "
            "= ' ')") == "900\n");
  CHECK(sql(s.db, "SELECT count(*) FROM events") == "903\n");
  // Events go in in the order of their lines; the moved lines' come last.
  CHECK(sql(s.db,
            "SELECT group_concat(line, ' ') FROM (SELECT line, lag(line) OVER (ORDER BY id) AS "
            "prev FROM (SELECT e.id, CAST(substr(c.summary, 6) AS INTEGER) AS line FROM events e "
            "JOIN cases c ON c.id = e.case_id WHERE c.summary LIKE 'line %')) WHERE line < prev") ==
        "20\n");
  CHECK(sql(s.db,
            "SELECT count(*) FROM case_tags t JOIN cases c ON c.id = t.case_id "
            "WHERE t.tag = 't' || substr(c.summary, 6)") == "300\n");
  CHECK(sql(s.db, "SELECT count(*) FROM case_tags WHERE tag = 'common'") == "300\n");
  CHECK(sql(s.db, "PRAGMA foreign_key_check") == "");
  CHECK(sql(s.db, "PRAGMA integrity_check") == "ok\n");
}

TEST_CASE("import --json lists the counts and the reassignments") {
  Sandbox s;
  s.ok({"open", "Ada", "First"});
  const auto j = nlohmann::json::parse(
      s.ok({"import", "-", "--json"}, jsonl({case_line(1, 1, "Ada"), case_line(2, 5, "Bob")})));
  CHECK(j == nlohmann::json{{"cases", 2},
                            {"customers", 2},
                            {"customers_created", 1},
                            {"customers_matched", 1},
                            {"reassigned", {{{"what", "case"}, {"from", 1}, {"to", 3}}}}});
}

TEST_CASE("import -q prints nothing when no id moved") {
  Sandbox s;
  CHECK(s.ok({"-q", "import", "-"}, jsonl({case_line(1, 1, "Ada")})).empty());
}

TEST_CASE(
    "every malformed import line fails with 65 naming the line and the field and changes nothing") {
  Sandbox s;
  s.ok({"open", "Ada", "Keep me"});
  const auto before = db_dump(s.db);
  struct Bad {
    std::string what;
    std::function<void(OJson&)> spoil;
    std::string message;
  };
  const std::vector<Bad> bads = {
      {"status", [](OJson& j) { j["status"] = "pending"; },
       "field 'status': 'pending' is not one of open, resolved, closed"},
      {"channel", [](OJson& j) { j["channel"] = "fax"; }, "field 'channel': 'fax' is not one of"},
      {"priority", [](OJson& j) { j["priority"] = 3; },
       "field 'priority': expected a string, not an integer"},
      {"outcome",
       [](OJson& j) {
         j["status"] = "resolved";
         j["resolved_at"] = "2026-11-02T00:00:00Z";
         j["resolution"] = {{"outcome", "bribe"}, {"currency", "USD"}, {"fault", "ours"}};
       },
       "field 'resolution.outcome': 'bribe' is not one of"},
      {"fault",
       [](OJson& j) {
         j["status"] = "resolved";
         j["resolved_at"] = "2026-11-02T00:00:00Z";
         j["resolution"] = {{"outcome", "refund"}, {"currency", "USD"}, {"fault", "god"}};
       },
       "field 'resolution.fault': 'god' is not one of"},
      {"event kind", [](OJson& j) { j["events"][0]["kind"] = "gossip"; },
       "field 'events[0].kind': 'gossip' is not one of"},
      {"time", [](OJson& j) { j["opened_at"] = "2026-02-30T10:00:00Z"; },
       "field 'opened_at': '2026-02-30T10:00:00Z' is not an RFC 3339 time"},
      {"event time", [](OJson& j) { j["events"][0]["at"] = "last tuesday"; },
       "field 'events[0].at': 'last tuesday' is not an RFC 3339 time"},
      {"wrong type", [](OJson& j) { j["tags"] = "vip"; },
       "field 'tags': expected an array, not a string"},
      {"missing", [](OJson& j) { j.erase("summary"); }, "field 'summary' is missing"},
      {"missing nested", [](OJson& j) { j["customer"].erase("id"); },
       "field 'customer.id' is missing"},
  };
  for (const auto& bad : bads) {
    INFO(bad.what);
    std::vector<OJson> lines;
    for (int i = 1; i <= 11; ++i)
      lines.push_back(case_line(10 + i, 10 + i, "Good"));
    auto spoiled = case_line(30, 30, "Bad");
    bad.spoil(spoiled);
    lines.push_back(spoiled);
    lines.push_back(case_line(31, 31, "After"));
    write_file(s.dir + "/cases.jsonl", jsonl(lines));
    const auto r = s.run({"import", "cases.jsonl"});
    CHECK(r.code == 65);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: cases.jsonl:12: " + bad.message, 0) == 0);
    CHECK(db_dump(s.db) == before);
  }
  // Not JSON at all, and a line that is JSON but not an object.
  write_file(s.dir + "/cases.jsonl", jsonl({case_line(11, 11, "Good")}) + "{\"id\": 1,\n");
  auto r = s.run({"import", "cases.jsonl"});
  CHECK(r.code == 65);
  CHECK(r.err.rfind("mend: cases.jsonl:2: not valid JSON", 0) == 0);
  r = s.run({"import", "-"}, "\n[1, 2]\n");
  CHECK(r.code == 65);
  CHECK(r.err == "mend: stdin:2: expected a JSON object, not an array\n");
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("import of a missing file exits 66 and creates nothing") {
  Sandbox s;
  const auto r = s.run({"import", "nope.jsonl"});
  CHECK(r.code == 66);
  CHECK(r.out.empty());
  CHECK(r.err.find("nope.jsonl") != std::string::npos);
}

TEST_CASE("import skips blank lines and accepts CRLF line ends") {
  Sandbox s;
  const std::string text =
      case_line(1, 1, "Ada").dump() + "\r\n\r\n" + case_line(2, 1, "Ada").dump() + "\r\n";
  CHECK(s.ok({"import", "-"}, text) == "imported 2 cases, 1 customer\n");
}

TEST_CASE("import into an empty database leaves the same schema and changes nothing on failure" *
          mend::test::kSqliteOnly) {
  // Into an empty database import drops the indexes it would fill in random
  // order and builds them again at the end of its transaction.
  const std::string schema_sql =
      "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name;";
  Sandbox fresh;
  fresh.ok({"list"});
  const auto empty_schema = sql(fresh.db, schema_sql);
  REQUIRE(empty_schema.find("customers_by_email") != std::string::npos);
  REQUIRE(empty_schema.find("cases_by_customer") != std::string::npos);

  Sandbox s;
  s.ok({"list"});
  const auto before = db_dump(s.db);
  auto history = generated_history(30);
  auto spoiled = case_line(99, 99, "Bad");
  spoiled["status"] = "pending";
  history.push_back(spoiled);
  write_file(s.dir + "/bad.jsonl", jsonl(history));
  const auto r = s.run({"import", "bad.jsonl"});
  CHECK(r.code == 65);
  CHECK(r.err.rfind("mend: bad.jsonl:31: field 'status'", 0) == 0);
  CHECK(db_dump(s.db) == before);
  CHECK(sql(s.db, schema_sql) == empty_schema);

  history.pop_back();
  write_file(s.dir + "/good.jsonl", jsonl(history));
  CHECK(s.ok({"import", "good.jsonl"}) == "imported 30 cases, 7 customers\n");
  CHECK(sql(s.db, schema_sql) == empty_schema);
  CHECK(sql(s.db, "PRAGMA integrity_check;") == "ok\n");
  // The rebuilt indexes serve the queries that need them.
  CHECK(sql(s.db,
            "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE email = 'c1@example.com' "
            "COLLATE NOCASE;")
            .find("customers_by_email") != std::string::npos);
  // A second import now matches customers through them, as open does.
  auto again = case_line(500, 1, "Someone Else");
  again["customer"]["email"] = "C1@example.com";
  CHECK(s.ok({"import", "-"}, jsonl({again})).find("customer 1 → ") != std::string::npos);
  CHECK(sql(s.db, "SELECT customer_id FROM cases WHERE id = 500;") ==
        sql(s.db, "SELECT id FROM customers WHERE email = 'c1@example.com' COLLATE NOCASE;"));
}

// Big enough that statements of the load keep statement journals past the
// 1 MiB an import lets them grow in memory: they spill to a file in one
// write that SQLite's own VFS would refuse as a full disk, and only import's
// buffering VFS cuts into pieces.
TEST_CASE("an import of 60,000 cases into an empty database, then 60,000 more, goes through" *
          mend::test::kSqliteOnly) {
  Sandbox s;
  auto r = s.run({"import", "-", "--json"}, bulk_case_lines(1, 60000));
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find(R"("cases":60000)") != std::string::npos);
  r = s.run({"import", "-", "--json"}, bulk_case_lines(100001, 60000));
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find(R"("cases":60000)") != std::string::npos);
  CHECK(sql(s.db, "SELECT count(*), count(DISTINCT customer_id) FROM cases") == "120000|120000\n");
  CHECK(sql(s.db, "SELECT count(*) FROM events") == "240000\n");
  CHECK(s.run({"search", "bulk case 119999", "--json"}).out.find(R"("id":119999)") !=
        std::string::npos);
  CHECK(sql(s.db, "PRAGMA integrity_check") == "ok\n");
}
