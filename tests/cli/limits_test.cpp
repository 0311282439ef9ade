// The limits of what mend stores (src/core/limits.hpp): what mend stores, mend
// can always export and import again. Every way in checks the same range of
// times, the same size per field, the same bound on amounts and ids.
#include <doctest/doctest.h>

#include <string>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

// Exports the sandbox and imports the export into a fresh database: the
// round trip every stored case must survive.
void require_round_trip(const Sandbox& s) {
  const std::string exported = s.ok({"export"});
  Sandbox fresh;
  const auto r = fresh.run({"import", "-"}, exported);
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(fresh.ok({"export"}) == exported);
}

void write(const Sandbox& s, const std::string& name, const std::string& bytes) {
  write_file(s.dir + "/" + name, bytes);
}

}  // namespace

TEST_CASE("a --due past 9999-12-31T23:59:59Z in UTC is refused (64), naming the range") {
  Sandbox s;
  s.env["TZ"] = "America/New_York";
  const auto r = s.run({"open", "Ann", "x", "--due", "9999-12-31T23:59"});
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.find("9999-12-31T23:59:59Z") != std::string::npos);
  CHECK(r.err.rfind("mend: ", 0) == 0);
  CHECK(s.ok({"open", "Ann", "x", "--due", "9999-12-31T18:59", "-q"}) == "1\n");
  require_round_trip(s);
}

TEST_CASE("a --due before 1970 is refused (64)") {
  Sandbox s;
  const auto r = s.run({"open", "Ann", "x", "--due", "-99999d"});
  CHECK(r.code == 64);
  CHECK(r.err.find("1970-01-01T00:00:00Z") != std::string::npos);
  s.ok({"open", "Ann", "x", "-q"});
  CHECK(s.run({"edit", "1", "--due", "1969-12-31"}).code == 64);
  CHECK(s.run({"resolve", "1", "--outcome", "apology", "--followup", "-99999d"}).code == 64);
  s.ok({"resolve", "1", "--outcome", "apology"});
  CHECK(s.run({"followup", "1", "--at", "-99999d"}).code == 64);
  require_round_trip(s);
}

TEST_CASE("MEND_NOW outside the range is refused (64), and a default due past it too") {
  Sandbox s;
  s.env["MEND_NOW"] = "1969-12-31T23:00:00Z";
  auto r = s.run({"list"});
  CHECK(r.code == 64);
  CHECK(r.err.find("MEND_NOW") != std::string::npos);
  CHECK(r.err.find("1970-01-01T00:00:00Z") != std::string::npos);
  s.env["MEND_NOW"] = "9999-12-31T23:00:00Z";
  r = s.run({"open", "Ann", "x"});  // the default due, +2d, is in year 10000
  CHECK(r.code == 64);
  CHECK(r.err.find("9999-12-31T23:59:59Z") != std::string::npos);
  s.ok({"open", "Ann", "x", "--due", "eod", "-q"});  // 9999-12-31T23:59:59Z, the last second
  require_round_trip(s);
}

TEST_CASE("import refuses a time that would export past 9999 or before 1970 (65)") {
  Sandbox s;
  auto line = case_line(1, 1, "Ann");
  line["due_at"] = "9999-12-31T23:30:00-01:00";
  auto r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("due_at") != std::string::npos);
  CHECK(r.err.find("9999-12-31T23:59:59Z") != std::string::npos);
  line["due_at"] = nullptr;
  line["opened_at"] = "1970-01-01T00:30:00+01:00";
  r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("opened_at") != std::string::npos);
  line["opened_at"] = "9999-12-31T22:59:59-01:00";
  line["events"][0]["at"] = "1970-01-01T00:00:00Z";
  s.ok({"import", "-"}, jsonl({line}));
  require_round_trip(s);
}

TEST_CASE("a field over its size limit is refused: 64 as an argument, 65 from -F or import") {
  Sandbox s;
  auto r = s.run({"open", "Ann", std::string(4097, 's')});
  CHECK(r.code == 64);
  CHECK(r.err.find("summary") != std::string::npos);
  CHECK(r.err.find("4096 bytes") != std::string::npos);
  CHECK(s.run({"open", std::string(4097, 'n'), "x"}).code == 64);
  CHECK(s.run({"open", "Ann", "x", "--tag", std::string(4097, 't')}).code == 64);
  // 12 MB of control bytes: JSON writes each as \u00XX, 6 bytes, a 75 MB line.
  write(s, "big.txt", std::string(12'000'000, '\x01'));
  r = s.run({"open", "Ann", "x", "-F", s.dir + "/big.txt"});
  CHECK(r.code == 65);
  CHECK(r.err.find("complaint") != std::string::npos);
  CHECK(r.err.find("1 MiB") != std::string::npos);
  s.ok({"open", "Ann", "x", "-q"});
  r = s.run({"note", "1", "-F", "-"}, std::string(5'000'000, '\x01'));
  CHECK(r.code == 65);
  CHECK(r.err.find("4 MiB") != std::string::npos);
  auto line = case_line(2, 1, "Ann");
  line["complaint"] = std::string(1024 * 1024 + 1, 'c');
  r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("complaint") != std::string::npos);
  require_round_trip(s);
}

TEST_CASE("a case whose export line would pass import's 64 MiB is full (65), and still exports") {
  Sandbox s;
  s.ok({"open", "Ann", "x", "-q"});
  const std::string note(4 * 1024 * 1024 - 64, '\x01');  // 24 MiB each, escaped
  write(s, "note.txt", note);
  int written = 0;
  Result r;
  for (int i = 0; i < 4; ++i) {
    r = s.run({"note", "1", "-F", s.dir + "/note.txt", "-q"});
    if (r.code != 0) break;
    ++written;
  }
  CHECK(written == 2);
  CHECK(r.code == 65);
  CHECK(r.err.find("64 MiB") != std::string::npos);
  require_round_trip(s);
}

TEST_CASE("import refuses amounts past what --amount accepts (65); reports sum them exactly") {
  Sandbox s;
  auto line = case_line(1, 1, "Ann");
  line["status"] = "closed";
  line["resolved_at"] = "2026-11-02T09:00:00Z";
  line["closed_at"] = "2026-11-02T09:00:00Z";
  line["resolution"] = {
      {"outcome", "refund"}, {"text", nullptr}, {"amount_cents", 9223372036854775807LL},
      {"currency", "USD"},   {"fault", "ours"}, {"cause", nullptr}};
  auto r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("amount_cents") != std::string::npos);
  CHECK(r.err.find("999999999999999") != std::string::npos);
  line["resolution"]["amount_cents"] = -1;
  CHECK(s.run({"import", "-"}, jsonl({line})).code == 65);
  // 10000 cases at the bound add up past INT64_MAX cents.
  std::vector<OJson> lines;
  for (int i = 1; i <= 10000; ++i) {
    line["id"] = i;
    line["resolution"]["amount_cents"] = 999999999999999LL;
    lines.push_back(line);
  }
  s.ok({"import", "-"}, jsonl(lines));
  const auto report = s.ok({"--json", "report", "--since", "2026-11-01", "--until", "2026-11-30"});
  CHECK(report.find("9999999999999990000") != std::string::npos);
}

TEST_CASE("import refuses case and customer ids past 2^53 - 1 (65); open goes on after one") {
  Sandbox s;
  auto line = case_line(9223372036854775807LL, 1, "Ann");
  auto r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("9007199254740991") != std::string::npos);
  line = case_line(9007199254740992LL, 1, "Ann");
  CHECK(s.run({"import", "-"}, jsonl({line})).code == 65);
  line = case_line(1, 9007199254740992LL, "Ann");
  r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("customer.id") != std::string::npos);
  line = case_line(4503599627370496LL, 4503599627370496LL, "Ann");  // 2^52
  s.ok({"import", "-"}, jsonl({line}));
  CHECK(s.ok({"open", "Bob", "y", "-q"}) == "4503599627370497\n");
  require_round_trip(s);
}

TEST_CASE("after an imported id at 2^53 - 1, open says no id is left (65) and writes nothing") {
  Sandbox s;
  s.ok({"import", "-"}, jsonl({case_line(9007199254740991LL, 9007199254740991LL, "Ann")}));
  const std::string before = db_dump(s.db);
  const auto r = s.run({"open", "Bob", "y"});
  CHECK(r.code == 65);
  CHECK(r.err.find("no customer id is left: ids go up to 9007199254740991") != std::string::npos);
  CHECK(db_dump(s.db) == before);
  // The same customer again: the customer is found, the case id is what runs out.
  const auto again = s.run({"open", "Ann", "y"});
  CHECK(again.code == 65);
  CHECK(again.err.find("no case id is left") != std::string::npos);
  require_round_trip(s);
}

TEST_CASE("import refuses tags that differ only in case (65), naming them") {
  Sandbox s;
  auto line = case_line(1, 1, "Ann");
  line["tags"] = {"Fragile", "vip", "fragile"};
  const auto r = s.run({"import", "-"}, jsonl({line}));
  CHECK(r.code == 65);
  CHECK(r.err.find("'Fragile'") != std::string::npos);
  CHECK(r.err.find("'fragile'") != std::string::npos);
}

TEST_CASE("import refuses status and field combinations mend never writes (65)") {
  Sandbox s;
  const auto refused = [&](const std::string& status, const char* field, const OJson& value) {
    auto line = case_line(1, 1, "Ann");
    line["status"] = status;
    if (status != "open") {
      line["resolved_at"] = "2026-11-02T09:00:00Z";
      line["resolution"] = {{"outcome", "apology"}, {"text", nullptr}, {"amount_cents", nullptr},
                            {"currency", "USD"},    {"fault", "none"}, {"cause", nullptr}};
    }
    if (status == "closed") line["closed_at"] = "2026-11-03T09:00:00Z";
    line[field] = value;
    const auto r = s.run({"import", "-"}, jsonl({line}));
    CAPTURE(status);
    CAPTURE(field);
    CHECK(r.code == 65);
    CHECK(r.err.find(field) != std::string::npos);
  };
  const OJson res = {{"outcome", "apology"}, {"text", nullptr}, {"amount_cents", nullptr},
                     {"currency", "USD"},    {"fault", "none"}, {"cause", nullptr}};
  refused("open", "resolution", res);
  refused("open", "resolved_at", "2026-11-02T09:00:00Z");
  refused("open", "followup_at", "2026-11-02T09:00:00Z");
  refused("open", "closed_at", "2026-11-02T09:00:00Z");
  refused("open", "satisfaction", 4);
  refused("resolved", "closed_at", "2026-11-03T09:00:00Z");
  refused("resolved", "satisfaction", 4);
  // What mend itself writes goes through: a reopened case, a closed one with
  // its score and its follow-up time, one closed without a follow-up.
  s.ok({"open", "Ann", "x", "-q"});
  s.ok({"resolve", "1", "--outcome", "apology", "-q"});
  s.ok({"reopen", "1", "again", "-q"});
  s.ok({"open", "Bob", "y", "-q"});
  s.ok({"resolve", "2", "--outcome", "refund", "--amount", "9999999999999.99", "-q"});
  s.ok({"followup", "2", "--done", "--csat", "4", "-q"});
  s.ok({"open", "Cy", "z", "-q"});
  s.ok({"resolve", "3", "--outcome", "apology", "--followup", "never", "-q"});
  require_round_trip(s);
}

TEST_CASE("an unknown TZ is a one-line warning; an unset or valid one is not") {
  Sandbox s;
  s.ok({"open", "Ann", "x", "-q"});
  s.env["TZ"] = "Mars/Olympus";
  auto r = s.run({"list"});
  CHECK(r.code == 0);
  CHECK(r.err == "mend: warning: TZ='Mars/Olympus' is not a known time zone; times are in UTC\n");
  r = s.run({"__complete", "cases"});  // never noise while the shell completes
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(s.run({"followup"}).err.find("warning: TZ=") != std::string::npos);
  s.env["TZ"] = "Europe/Berlin";
  CHECK(s.run({"list"}).err.empty());
  s.env.erase("TZ");
  CHECK(s.run({"list"}).err.empty());
  s.env["TZ"] = "EST5EDT";
  CHECK(s.run({"list"}).err.empty());
}
