// mend edit: end to end.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "refusal.hpp"

using mend::test::check_refused;
using mend::test::Sandbox;

namespace {

nlohmann::json edit_json(const Sandbox& s, std::vector<std::string> args) {
  args.insert(args.begin(), "edit");
  args.push_back("--json");
  return nlohmann::json::parse(s.ok(args));
}

void open_ada(const Sandbox& s) {
  s.ok({"open", "Ada", "Parcel arrived damaged", "--email", "ada@example.com", "--tag", "fragile",
        "--wants", "a refund", "--ref", "INV-1"});
}

}  // namespace

TEST_CASE("mend edit changes every field and writes one edited event naming each change") {
  Sandbox s;
  open_ada(s);
  s.env["MEND_NOW"] = "2026-11-23T16:00:00Z";
  const auto j = edit_json(
      s, {"1",       "--summary",  "Vase broken",     "--category", "Delivery",   "--channel",
          "phone",   "--priority", "urgent",          "--due",      "2026-11-30", "--ref",
          "INV-2",   "--wants",    "a new vase",      "--tag",      "vip",        "--untag",
          "fragile", "--email",    "ada@new.example", "--phone",    "555-0100"});
  CHECK(j["summary"] == "Vase broken");
  CHECK(j["category"] == "delivery");
  CHECK(j["channel"] == "phone");
  CHECK(j["priority"] == "urgent");
  CHECK(j["due_at"] == "2026-11-30T23:59:59Z");
  CHECK(j["reference"] == "INV-2");
  CHECK(j["wants"] == "a new vase");
  CHECK(j["tags"] == nlohmann::json{"vip"});
  CHECK(j["customer"]["email"] == "ada@new.example");
  CHECK(j["customer"]["phone"] == "555-0100");
  REQUIRE(j["events"].size() == 2);
  CHECK(j["events"][1]["kind"] == "edited");
  CHECK(j["events"][1]["at"] == "2026-11-23T16:00:00Z");
  CHECK(j["events"][1]["text"] ==
        "summary: \"Parcel arrived damaged\" -> \"Vase broken\"; category: other -> delivery; "
        "channel: other -> phone; priority: normal -> urgent; "
        "due: 2026-11-25 14:05 -> 2026-11-30 23:59; ref: \"INV-1\" -> \"INV-2\"; "
        "wants: \"a refund\" -> \"a new vase\"; email: \"ada@example.com\" -> \"ada@new.example\"; "
        "phone: (none) -> \"555-0100\"; tag: +vip; tag: -fragile");
}

TEST_CASE("mend edit of the customer's email reaches their other cases and matching") {
  Sandbox s;
  open_ada(s);
  s.ok({"open", "Ada", "Second", "--email", "ada@example.com"});
  edit_json(s, {"1", "--email", "ada@new.example"});
  CHECK(nlohmann::json::parse(s.ok({"show", "2", "--json"}))["customer"]["email"] ==
        "ada@new.example");
  const auto j = nlohmann::json::parse(
      s.ok({"open", "Someone", "Third", "--email", "ADA@new.example", "--json"}));
  CHECK(j["customer"]["id"] == 1);
}

TEST_CASE("mend edit with an empty value clears ref, wants, email and phone") {
  Sandbox s;
  s.ok({"open", "Ada", "S", "--email", "a@b.c", "--phone", "555", "--ref", "R", "--wants", "W"});
  const auto j = edit_json(s, {"1", "--ref", "", "--wants", "", "--email", "", "--phone", ""});
  CHECK(j["reference"].is_null());
  CHECK(j["wants"].is_null());
  CHECK(j["customer"]["email"].is_null());
  CHECK(j["customer"]["phone"].is_null());
  CHECK(j["events"].back()["text"] ==
        "ref: \"R\" -> (none); wants: \"W\" -> (none); email: \"a@b.c\" -> (none); "
        "phone: \"555\" -> (none)");
}

TEST_CASE("mend edit to the same values is not a change: no event, a warning, exit 0") {
  Sandbox s;
  open_ada(s);
  const auto before = mend::test::db_dump(s.db);
  const auto r = s.run({"edit", "1", "--priority", "normal", "--tag", "FRAGILE", "--untag", "nope",
                        "--email", "ada@example.com", "--json"});
  CHECK(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["events"].size() == 1);
  CHECK(r.err == "mend: warning: case #1 already has those values; nothing changed\n");
  CHECK(mend::test::db_dump(s.db) == before);
}

TEST_CASE("mend edit repeats --tag and --untag") {
  Sandbox s;
  open_ada(s);
  auto j = edit_json(s, {"1", "--tag", "a", "--tag", "b", "--tag", "c"});
  CHECK(j["tags"] == nlohmann::json{"a", "b", "c", "fragile"});
  j = edit_json(s, {"1", "--untag", "a", "--untag", "FRAGILE"});
  CHECK(j["tags"] == nlohmann::json{"b", "c"});
  CHECK(j["events"].back()["text"] == "tag: -a; tag: -FRAGILE");
}

TEST_CASE("mend edit with no option is a usage error") {
  Sandbox s;
  open_ada(s);
  check_refused(s, {"edit", "1"}, 64, "nothing to change");
  check_refused(s, {"edit", "1", "--json"}, 64);
}

TEST_CASE("mend edit refuses bad values and changes nothing") {
  Sandbox s;
  open_ada(s);
  check_refused(s, {"edit", "1", "--summary", ""}, 64, "--summary");
  check_refused(s, {"edit", "1", "--summary", "two\nlines"}, 64, "--summary");
  check_refused(s, {"edit", "1", "--category", " "}, 64, "--category");
  check_refused(s, {"edit", "1", "--channel", "fax"}, 64, "--channel");
  check_refused(s, {"edit", "1", "--priority", "asap"}, 64, "--priority");
  check_refused(s, {"edit", "1", "--due", "someday"}, 64);
  check_refused(s, {"edit", "1", "--due", "never"}, 64);
  check_refused(s, {"edit", "1", "--email", "not-an-email"}, 64, "--email");
  check_refused(s, {"edit", "1", "--phone", "call me"}, 64, "--phone");
  check_refused(s, {"edit", "1", "--tag", "two words"}, 64, "--tag");
  check_refused(s, {"edit", "1", "--untag", ""}, 64, "--untag");
  check_refused(s, {"edit", "1", "--tag", "x", "--untag", "X"}, 64, "both");
  check_refused(s, {"edit", "1", "--summary", "New", "--priority", "asap"}, 64);
}

TEST_CASE("mend edit of a missing case exits 66, a bad id 64") {
  Sandbox s;
  open_ada(s);
  check_refused(s, {"edit", "9", "--priority", "high"}, 66, "no case #9");
  check_refused(s, {"edit", "nine", "--priority", "high"}, 64);
}

TEST_CASE("mend edit works on a closed case") {
  Sandbox s;
  open_ada(s);
  s.ok({"resolve", "1", "--outcome", "refund", "--followup", "never"});
  const auto j = edit_json(s, {"1", "--category", "billing"});
  CHECK(j["status"] == "closed");
  CHECK(j["category"] == "billing");
}

TEST_CASE("mend edit text output lists the changes, -q prints nothing") {
  Sandbox s;
  open_ada(s);
  const auto out = s.ok({"edit", "1", "--priority", "high"});
  CHECK(out == "Edited case #1:\n  priority: normal -> high\n");
  const auto r = s.run({"edit", "1", "--priority", "low", "-q"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(nlohmann::json::parse(s.ok({"show", "1", "--json"}))["priority"] == "low");
}
