// mend reopen: end to end.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "refusal.hpp"

using mend::test::check_refused;
using mend::test::Sandbox;

namespace {

std::vector<std::string> event_kinds(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& e : j["events"])
    out.push_back(e["kind"]);
  return out;
}

}  // namespace

TEST_CASE("mend reopen of a resolved case clears the resolution and keeps the timeline") {
  Sandbox s;
  s.ok({"open", "Ada", "Parcel arrived damaged", "--due", "2026-11-27"});
  s.ok(
      {"resolve", "1", "--outcome", "refund", "--amount", "10", "--fault", "ours", "--cause", "x"});
  s.env["MEND_NOW"] = "2026-11-24T08:00:00Z";
  const auto j = nlohmann::json::parse(s.ok({"reopen", "1", "The refund never arrived", "--json"}));
  CHECK(j["status"] == "open");
  for (const char* k : {"resolved_at", "followup_at", "closed_at", "resolution", "satisfaction"}) {
    CAPTURE(std::string(k));
    CHECK(j[k].is_null());
  }
  CHECK(j["due_at"] == "2026-11-27T23:59:59Z");
  CHECK(event_kinds(j) ==
        std::vector<std::string>{"opened", "resolved", "followup-scheduled", "reopened"});
  CHECK(j["events"][3] == nlohmann::json{{"at", "2026-11-24T08:00:00Z"},
                                         {"kind", "reopened"},
                                         {"text", "The refund never arrived"},
                                         {"by", "sam"},
                                         {"message", nullptr}});
}

TEST_CASE("mend reopen of a closed case opens it, and the reason is optional") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"resolve", "1", "--outcome", "apology", "--followup", "never"});
  const auto j = nlohmann::json::parse(s.ok({"reopen", "#1", "--json"}));
  CHECK(j["status"] == "open");
  CHECK(j["closed_at"].is_null());
  CHECK(j["events"].back()["kind"] == "reopened");
  CHECK(j["events"].back()["text"] == "");
}

TEST_CASE("mend reopen then resolve again records a second resolution") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"reopen", "1"});
  const auto j =
      nlohmann::json::parse(s.ok({"resolve", "1", "--outcome", "replacement", "--json"}));
  CHECK(j["status"] == "resolved");
  CHECK(j["resolution"]["outcome"] == "replacement");
  CHECK(event_kinds(j) == std::vector<std::string>{"opened", "resolved", "followup-scheduled",
                                                   "reopened", "resolved", "followup-scheduled"});
}

TEST_CASE("mend reopen of an open case exits 65 naming its state") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  check_refused(s, {"reopen", "1"}, 65, "case #1 is open");
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"reopen", "1"});
  check_refused(s, {"reopen", "1", "again", "--json"}, 65, "is open");
}

TEST_CASE("mend reopen of a missing case exits 66, a bad id 64") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  check_refused(s, {"reopen", "3"}, 66, "no case #3");
  check_refused(s, {"reopen", "three"}, 64);
  check_refused(s, {"reopen"}, 64);
}

TEST_CASE("mend reopen text output confirms it, -q prints nothing") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"open", "Bob", "S"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"resolve", "2", "--outcome", "refund"});
  const auto out = s.ok({"reopen", "1", "Still broken"});
  CHECK(out.find("Reopened case #1.") != std::string::npos);
  CHECK(out.find("Still broken") != std::string::npos);
  const auto r = s.run({"reopen", "2", "-q"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
}
