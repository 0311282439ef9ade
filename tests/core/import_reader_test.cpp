#include "core/import_reader.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "core/sqlite_store.hpp"

using namespace mend;
using Json = nlohmann::ordered_json;

namespace {

Json valid_case() {
  return Json::parse(R"({"id":7,"status":"closed",
    "customer":{"id":3,"name":"Ada","email":"ada@example.com","phone":"+44 1"},
    "summary":"Parcel damaged","complaint":"Box crushed","wants":null,"channel":"email",
    "category":"Delivery","priority":"high","reference":"INV-1","tags":["vip","fragile"],
    "opened_at":"2026-11-20T10:00:00Z","due_at":"2026-11-22T23:59:59Z",
    "resolved_at":"2026-11-21T10:00:00Z","followup_at":"2026-11-24T10:00:00Z",
    "closed_at":"2026-11-24T11:00:00Z",
    "resolution":{"outcome":"refund","text":"Refunded","amount_cents":4999,"currency":"EUR",
                  "fault":"third-party","cause":"courier"},
    "satisfaction":4,
    "events":[{"at":"2026-11-20T10:00:00Z","kind":"opened","text":"Parcel damaged"},
              {"at":"2026-11-24T11:00:00Z","kind":"followup-done","text":"happy"}]})");
}

// The message of the Error(data) that parsing `j` throws.
std::string error_of(const Json& j) {
  try {
    parse_import_line(j.dump());
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    return e.what();
  }
  FAIL("the line was accepted");
  return {};
}

}  // namespace

TEST_CASE("an import line in the export shape reads back every field") {
  const Case c = parse_import_line(valid_case().dump());
  CHECK(c.id == 7);
  CHECK(c.status == Status::closed);
  CHECK(c.customer.id == 3);
  CHECK(c.customer.phone == "+44 1");
  CHECK(c.category == "delivery");
  CHECK(c.wants == std::nullopt);
  CHECK(c.tags == std::vector<std::string>{"vip", "fragile"});
  CHECK(c.opened_at == 1'795'168'800);
  REQUIRE(c.resolution);
  CHECK(c.resolution->amount_cents == 4999);
  CHECK(c.resolution->currency == "EUR");
  CHECK(c.resolution->cause == "courier");
  CHECK(c.satisfaction == 4);
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[1].kind == EventKind::followup_done);
}

TEST_CASE("nullable fields may be left out of an import line and unknown ones are ignored") {
  const Case c = parse_import_line(
      R"({"id":1,"status":"open","customer":{"id":1,"name":"Bo"},"summary":"","channel":"other",)"
      R"("category":"other","priority":"normal","tags":[],"opened_at":"2026-11-20T10:00:00Z",)"
      R"("events":[],"history":[{"id":9}]})");
  CHECK(c.summary.empty());
  CHECK_FALSE(c.customer.email);
  CHECK_FALSE(c.resolution);
  CHECK_FALSE(c.due_at);
}

TEST_CASE("an empty email or phone on an import line reads as none") {
  auto j = valid_case();
  j["customer"]["email"] = "";
  j["customer"]["phone"] = "";
  const Case c = parse_import_line(j.dump());
  CHECK_FALSE(c.customer.email);
  CHECK_FALSE(c.customer.phone);
}

TEST_CASE("import errors name the field and what is wrong with it") {
  auto j = valid_case();
  j["status"] = "pending";
  CHECK(error_of(j) == "field 'status': 'pending' is not one of open, resolved, closed");
  j = valid_case();
  j["channel"] = "fax";
  CHECK(error_of(j).find("field 'channel': 'fax' is not one of in-person") == 0);
  j = valid_case();
  j["priority"] = "asap";
  CHECK(error_of(j).find("field 'priority': 'asap'") == 0);
  j = valid_case();
  j["resolution"]["outcome"] = "bribe";
  CHECK(error_of(j).find("field 'resolution.outcome': 'bribe'") == 0);
  j = valid_case();
  j["resolution"]["fault"] = "god";
  CHECK(error_of(j).find("field 'resolution.fault': 'god'") == 0);
  j = valid_case();
  j["events"][1]["kind"] = "gossip";
  CHECK(error_of(j).find("field 'events[1].kind': 'gossip'") == 0);
  j = valid_case();
  j["opened_at"] = "2026-13-01T00:00:00Z";
  CHECK(error_of(j).find("field 'opened_at': '2026-13-01T00:00:00Z' is not an RFC 3339 time") == 0);
  j = valid_case();
  j["events"][0]["at"] = "yesterday";
  CHECK(error_of(j).find("field 'events[0].at'") == 0);
  j = valid_case();
  j["id"] = "7";
  CHECK(error_of(j) == "field 'id': expected an integer, not a string");
  j = valid_case();
  j["id"] = 0;
  CHECK(error_of(j).find("field 'id': 0 is not an id") == 0);
  j = valid_case();
  j["resolution"]["amount_cents"] = 49.99;
  CHECK(error_of(j) ==
        "field 'resolution.amount_cents': expected an integer, not a number with a fraction");
  j = valid_case();
  j["tags"] = "vip";
  CHECK(error_of(j) == "field 'tags': expected an array, not a string");
  j = valid_case();
  j["satisfaction"] = 6;
  CHECK(error_of(j).find("field 'satisfaction': 6 is not a score") == 0);
  j = valid_case();
  j.erase("summary");
  CHECK(error_of(j) == "field 'summary' is missing");
  j = valid_case();
  j["customer"].erase("name");
  CHECK(error_of(j) == "field 'customer.name' is missing");
  j = valid_case();
  j["closed_at"] = nullptr;
  CHECK(error_of(j).find("field 'closed_at'") == 0);
}

TEST_CASE("an import line that is not JSON or not an object is refused") {
  CHECK_THROWS_WITH_AS(parse_import_line("{\"id\": 1,"), doctest::Contains("not valid JSON"),
                       Error);
  CHECK_THROWS_WITH_AS(parse_import_line("[1,2]"), "expected a JSON object, not an array", Error);
  CHECK_THROWS_AS(parse_import_line("{\"summary\":\"\xff\"}"), Error);
}

TEST_CASE("a number too large for any type is a data error, not a crash (found by fuzzing)") {
  for (const char* line : {"922303685477e807", "{\"id\": 1e999}"}) {
    try {
      parse_import_line(line);
      FAIL("accepted " << std::string(line));
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::data);
      CHECK(std::string(e.what()).find("not valid JSON") != std::string::npos);
    }
  }
}

TEST_CASE("import into the store keeps ids and export gives the same cases back") {
  SqliteStore store(":memory:");
  std::vector<std::string> lines = {valid_case().dump()};
  std::size_t next = 0;
  const auto summary = store.import_cases(
      [&](std::string& line) {
        if (next == lines.size()) return false;
        line = lines[next++];
        return true;
      },
      "test", 1'795'010'700, [](const Reassignment&) { FAIL("nothing should move"); });
  CHECK(summary.cases == 1);
  CHECK(summary.customers_created == 1);
  std::vector<Case> out;
  store.export_cases({}, [&](const Case& c) { out.push_back(c); });
  REQUIRE(out.size() == 1);
  CHECK(out[0].id == 7);
  CHECK(out[0].customer.id == 3);
  CHECK(out[0].tags == std::vector<std::string>{"fragile", "vip"});
  CHECK(out[0].events.size() == 2);
  CHECK(store.db().execAndGet("SELECT followup_done_at FROM cases WHERE id = 7").getInt64() ==
        out[0].events[1].at);
  CHECK(store.db().execAndGet("SELECT seq FROM sqlite_sequence WHERE name = 'cases'").getInt64() ==
        7);
}

namespace {

// What import makes of a line: the case as JSON, or the error's message.
std::string read(const std::string& line) {
  try {
    const Case c = parse_import_line(line);
    Json j;
    j["id"] = c.id;
    j["customer"] = {c.customer.id, c.customer.name, c.customer.email.value_or("<none>"),
                     c.customer.phone.value_or("<none>")};
    j["summary"] = c.summary;
    j["complaint"] = c.complaint.value_or("<none>");
    j["category"] = c.category;
    j["tags"] = c.tags;
    j["opened_at"] = c.opened_at;
    j["amount"] = c.resolution && c.resolution->amount_cents ? *c.resolution->amount_cents : -1;
    j["satisfaction"] = c.satisfaction.value_or(-1);
    for (const auto& e : c.events)
      j["events"].push_back({e.at, e.kind, e.text});
    return j.dump();
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::data);
    return std::string("error: ") + e.what();
  }
}

// A valid line with `from` (which must occur in it) replaced by `to`.
std::string variant(const std::string& from, const std::string& to) {
  std::string line = valid_case().dump();
  const auto at = line.find(from);
  REQUIRE(at != std::string::npos);
  return line.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("import reads every JSON spelling of the same case alike") {
  const std::string plain = read(valid_case().dump());
  REQUIRE(plain.rfind("error", 0) != 0);
  for (const auto& line : {
           valid_case().dump(2),  // spread over lines and indented
           " \t\r\n" + valid_case().dump() + " \r\n",
           "\xEF\xBB\xBF" + valid_case().dump(),          // a byte-order mark
           variant(R"("summary")", R"("su\u006dmary")"),  // an escaped key is the same key
           variant(R"("Parcel damaged")", R"("Parcel\u0020damage\u0064")"),
           variant(R"("summary")",
                   R"("extra":{"deep":[1,[2.5e3,[3,{"x":null}]],true,false]},"summary")"),
           variant(R"("id":7)", R"("id":8,"id":7)"),  // the last of two equal keys wins
       }) {
    CAPTURE(line);
    CHECK(read(line) == plain);
  }
}

TEST_CASE("import reads escapes, numbers and duplicate keys as JSON defines them") {
  CHECK(parse_import_line(variant(R"("Box crushed")",
                                  R"("Caf\u00e9 \"Ours\" \\ \/ \b\f\n\r\t \ud83d\ude00 é 日本")"))
            .complaint == "Café \"Ours\" \\ / \b\f\n\r\t \xF0\x9F\x98\x80 é 日本");
  CHECK(parse_import_line(variant(R"("satisfaction":4)", R"("satisfaction":4,"satisfaction":5)"))
            .satisfaction == 5);
  CHECK(parse_import_line(variant(R"("amount_cents":4999)", R"("amount_cents":-0)"))
            .resolution->amount_cents == 0);
  CHECK(read(variant(R"("satisfaction":4)", R"("satisfaction":-1)")) ==
        "error: field 'satisfaction': -1 is not a score from 1 to 5");
  CHECK(read(variant(R"("amount_cents":4999)", R"("amount_cents":4999e0)")) ==
        "error: field 'resolution.amount_cents': expected an integer, not a number with a "
        "fraction");
  // Past 64 bits an integer is a floating number, as in nlohmann::json.
  CHECK(read(variant(R"("id":7)", R"("id":99999999999999999999)")) ==
        "error: field 'id': expected an integer, not a number with a fraction");
  CHECK(read(variant(R"("id":7)", R"("id":9223372036854775808)")) ==
        "error: field 'id': the number is too large");
  CHECK(read(variant(R"("id":7)", R"("id":true)")) ==
        "error: field 'id': expected an integer, not true or false");
}

TEST_CASE("import refuses a line that is not JSON, saying where and why") {
  const std::string line = valid_case().dump();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"id\": 1,", "not valid JSON at column 1: the line ends inside an object"},
      {"", "not valid JSON at column 1: expected a value, but the line ends"},
      {"{\"id\": 1} x", "not valid JSON at column 11: more text after the JSON value"},
      {"{\"id\": 01}", "not valid JSON at column 8: a number with a leading zero"},
      {"{\"id\": nul}", "not valid JSON at column 8: expected a value"},
      {"{\"id\": 1,}", "not valid JSON at column 10: expected a member name in double quotes"},
      {"{\"id\" 1}", "not valid JSON at column 7: expected ':' after a member name"},
      {"[1 2]", "not valid JSON at column 4: expected ',' or ']' after an array element"},
      {std::string("{\"id\":\0}", 8), "not valid JSON at column 7: a NUL byte"},
      {"{\"a\":\"\xff\"}", "not valid JSON at column 7: invalid UTF-8"},
      {R"({"a":"\ud83d"})",
       "not valid JSON at column 7: a high surrogate \\u escape without a low one after it"},
      {R"({"a":"\x"})",
       "not valid JSON at column 7: an unknown escape (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
       "\\u)"},
      {"{\"id\": 1e999}", "not valid JSON at column 8: a number too large"},
      {std::string(65, '[') + std::string(65, ']'),
       "not valid JSON at column 65: objects and arrays nested more than 64 deep"},
  };
  for (const auto& [text, message] : cases) {
    CAPTURE(text);
    CHECK(read(text) == "error: " + message);
  }
  // A NUL byte anywhere, even inside a string, is refused as such.
  CHECK(read(variant("Box crushed", std::string("Box\0crushed", 11))) ==
        "error: not valid JSON at column " + std::to_string(line.find("Box crushed") + 4) +
            ": a NUL byte");
}
