// mend show: the timeline as a story and the playbook line.
#include <doctest/doctest.h>

#include "harness.hpp"

using mend::test::Sandbox;

namespace {

bool has(const std::string& out, const std::string& fact) {
  return out.find(fact) != std::string::npos;
}

}  // namespace

TEST_CASE("mend show tells the timeline day by day with what happened") {
  Sandbox s;
  s.ok({"open", "Ada", "Parcel arrived damaged", "-m", "The box was crushed."});
  s.ok({"note", "1", "Sorry for the trouble", "--kind", "apology"});
  s.env["MEND_NOW"] = "2026-11-24T09:00:00Z";
  s.ok({"note", "1", "First line\nsecond line", "--kind", "call"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "12"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out,
            "Timeline\n"
            "  Mon 23 Nov 2026\n"
            "    14:05  opened           Parcel arrived damaged\n"
            "    14:05  apologised       Sorry for the trouble\n"
            "  Tue 24 Nov 2026\n"
            "    09:00  called           First line\n"
            "                            second line\n"
            "    09:00  resolved         refund 12.00 USD\n"
            "    09:00  scheduled        follow-up due 2026-11-27 09:00\n"));
}

TEST_CASE("mend show names every kind of event in the story") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  for (const char* kind : {"note", "call", "email", "meeting", "apology", "offer", "reply"})
    s.ok({"note", "1", std::string("text of ") + kind, "--kind", kind});
  s.ok({"edit", "1", "--priority", "high"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"reopen", "1", "why"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  for (const char* verb : {"opened", "note", "called", "emailed", "met", "apologised", "offered",
                           "replied", "edited", "resolved", "scheduled", "reopened"}) {
    CAPTURE(std::string(verb));
    CHECK(has(out, std::string("  ") + verb + " "));
  }
}

TEST_CASE("the playbook line shows the steps a case has had") {
  Sandbox s;
  s.env["COLUMNS"] = "120";
  s.ok({"open", "Ada", "S", "--due", "2026-11-25"});
  auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out,
            "Playbook   · complaint written down  · apology  · remedy offered  ✓ promise set (Wed "
            "25 Nov)"));
  CHECK(has(out, "✓ promise set (Wed 25 Nov)  · resolved"));
  CHECK(has(out, "· followed up"));
  s.ok({"edit", "1", "--wants", "refund"});
  s.ok({"open", "Bob", "S", "-m", "Words", "--due", "2026-11-23T12:00"});
  s.ok({"note", "2", "Sorry", "--kind", "apology"});
  s.ok({"note", "2", "A voucher", "--kind", "offer"});
  out = s.ok({"show", "2"});
  CHECK(has(out,
            "Playbook   ✓ complaint written down  ✓ apology (Mon 23 Nov)  ✓ remedy offered (Mon 23 "
            "Nov)"));
  CHECK(has(out, "✗ promise missed (Mon 23 Nov)"));
}

TEST_CASE("the playbook line wraps to the terminal width") {
  Sandbox s;
  s.ok({"open", "Ada", "S", "--due", "2026-11-25"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out,
            "  Playbook   · complaint written down  · apology  · remedy offered\n"
            "             ✓ promise set (Wed 25 Nov)  · resolved  · followed up\n"));
}

TEST_CASE("the playbook shows a kept promise, and a follow-up skipped by never") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"resolve", "1", "--outcome", "explanation", "--followup", "never"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out,
            "· remedy offered\n             ✓ promise kept (Wed 25 Nov)  ✓ resolved (Mon 23 Nov)"));
  CHECK(has(out, "– no follow-up"));
}

TEST_CASE("an overdue follow-up shows as missed in the playbook") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"resolve", "1", "--outcome", "refund", "--followup", "+1d"});
  s.env["MEND_NOW"] = "2026-11-25T14:05:00Z";
  CHECK(has(s.ok({"show", "1"}), "✗ follow-up overdue"));
}

TEST_CASE("the fault is marked internal in show and never printed next to the customer") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"resolve", "1", "--outcome", "refund", "--fault", "ours", "--cause", "Packing"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out, "fault ours, cause packing  (internal: not for the customer)"));
  std::size_t lines_with_fault = 0;
  for (std::size_t p = 0; (p = out.find("fault", p)) != std::string::npos; ++p)
    ++lines_with_fault;
  CHECK(lines_with_fault == 1);
  CHECK_FALSE(has(out, "Ada  fault"));
}

TEST_CASE("the playbook ticks an apology made in a call, and a follow-up done, with when") {
  Sandbox s;
  s.env["COLUMNS"] = "200";
  s.ok({"open", "Ada", "Cake collapsed", "--due", "2026-11-26"});
  s.env["MEND_NOW"] = "2026-11-24T09:00:00Z";
  s.ok({"note", "1", "So sorry about the cake; a new one on Thursday", "--kind", "call"});
  s.ok({"resolve", "1", "--outcome", "replacement", "--followup", "2026-11-27T09:30"});
  auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out, "✓ apology (Tue 24 Nov)"));
  CHECK(has(out, "✓ promise kept (Thu 26 Nov)"));
  CHECK(has(out, "· follow-up (Fri 27 Nov)"));
  // Done a day early: the card must not still say it is due tomorrow.
  s.env["MEND_NOW"] = "2026-11-26T08:00:00Z";
  s.ok({"followup", "1", "--done", "--csat", "5"});
  s.env["MEND_NOW"] = "2026-11-26T09:00:00Z";
  out = s.ok({"show", "1"});
  CHECK(has(out, "✓ followed up Thu 26 Nov 08:00, 5/5"));
  CHECK(has(out, "Follow-up  done today 08:00"));
  CHECK_FALSE(has(out, "tomorrow 09:30"));
}

TEST_CASE("a timeline words every scheduled follow-up one way, and money has its symbol") {
  Sandbox s;
  s.env["COLUMNS"] = "120";
  s.ok({"open", "Ada", "Cake"});
  s.ok({"resolve", "1", "--outcome", "refund", "--amount", "45.50", "--currency", "GBP",
        "--followup", "2026-11-26T10:00"});
  s.env["MEND_NOW"] = "2026-11-26T11:00:00Z";
  s.ok({"followup", "1", "--no-answer"});
  s.ok({"followup", "1", "--at", "2026-11-30T09:00"});
  const auto out = s.ok({"show", "1"});
  CAPTURE(out);
  CHECK(has(out, "scheduled        follow-up due 2026-11-26 10:00"));
  CHECK(has(out, "scheduled        follow-up due 2026-11-28 11:00"));
  CHECK(has(out, "scheduled        follow-up due 2026-11-30 09:00"));
  CHECK_FALSE(has(out, "Follow-up Sat"));
  CHECK(has(out, "Remedy     refund £45.50"));
  // JSON keeps the ISO code in its money fields.
  const auto j = nlohmann::json::parse(s.ok({"show", "1", "--json"}));
  CHECK(j["resolution"]["currency"] == "GBP");
  CHECK(j["resolution"]["amount_cents"] == 4550);
}
