// append_case_json must write exactly what dump_json(case_json(...)) writes.
#include <doctest/doctest.h>

#include "cli/output.hpp"

using namespace mend;
using namespace mend::cli;

namespace {

Case sample(const std::string& text) {
  Case c;
  c.id = 42;
  c.status = Status::resolved;
  c.customer = Customer{7, "Ann " + text, std::string("ann@example.com"), std::nullopt};
  c.summary = text;
  c.complaint = "line one\nline two\t" + text;
  c.wants = std::nullopt;
  c.channel = Channel::email;
  c.category = "delivery";
  c.reference = "INV-\"1\"";
  c.tags = {"vip", text};
  c.opened_at = 1795442700;
  c.due_at = 1795615500;
  c.resolved_at = 1795529100;
  c.followup_at = 1795788300;
  Resolution r;
  r.outcome = Outcome::refund;
  r.text = text;
  r.amount_cents = 1250;
  r.currency = "EUR";
  r.fault = Fault::ours;
  r.cause = std::nullopt;
  c.resolution = r;
  c.satisfaction = 4;
  c.events = {Event{1, 1795442700, EventKind::opened, text, {}, {}},
              Event{2, 1795529100, EventKind::note, "", {}, {}}};
  return c;
}

}  // namespace

TEST_CASE("the direct case JSON writer matches the JSON tree for every kind of text") {
  const std::vector<std::string> texts = {"plain words",
                                          "quote \" and back\\slash",
                                          "tab\tnewline\nreturn\r",
                                          "bell \x07 esc \x1b[31m",
                                          "DEL \x7f",
                                          "C1 \xc2\x85 next line",
                                          "bidi \xe2\x80\xae evil",
                                          "line sep \xe2\x80\xa8",
                                          "invalid \xff\xfe utf-8",
                                          "cut short \xe2\x82",
                                          "Zoë Chloé 日本語 🎉",
                                          ""};
  for (const auto& t : texts) {
    CAPTURE(t);
    for (bool with_events : {false, true}) {
      Case c = sample(t);
      std::string direct;
      append_case_json(direct, c, with_events);
      CHECK(direct == dump_json(case_json(c, with_events)));
      c.resolution.reset();
      c.satisfaction.reset();
      c.tags.clear();
      c.events.clear();
      c.customer.email.reset();
      c.due_at.reset();
      direct.clear();
      append_case_json(direct, c, with_events);
      CHECK(direct == dump_json(case_json(c, with_events)));
    }
  }
}

TEST_CASE("a JSON string is written as the JSON tree writes it, at every edge of UTF-8") {
  const std::vector<std::string> texts = {"",
                                          "ascii only",
                                          "\xc2\x9f last C1",
                                          "\xc2\xa0 first after C1",
                                          "overlong \xc0\xaf",
                                          "surrogate \xed\xa0\x80",
                                          "past Unicode \xf4\x90\x80\x80",
                                          "highest \xf4\x8f\xbf\xbf",
                                          "arabic letter mark \xd8\x9c",
                                          "isolate \xe2\x81\xa6 and \xe2\x81\xa9",
                                          "zero width joiner \xe2\x80\x8d",
                                          "lone continuation \x80",
                                          "emoji at the end \xf0\x9f\x8e\x89",
                                          "cut emoji \xf0\x9f\x8e",
                                          "Ángel García",
                                          "mixed \xc3\xa9\x7f"};
  for (const auto& t : texts) {
    CAPTURE(t);
    std::string direct;
    append_json_string(direct, t);
    CHECK(direct == dump_json(Json(t)));
  }
}

TEST_CASE("the direct case JSON writer matches the JSON tree for extreme numbers") {
  for (const std::int64_t cents : {std::int64_t{0}, std::int64_t{-1}, INT64_MIN, INT64_MAX}) {
    CAPTURE(cents);
    Case c = sample("x");
    c.resolution->amount_cents = cents;
    c.id = cents == 0 ? 1 : cents;
    std::string direct;
    append_case_json(direct, c, true);
    CHECK(direct == dump_json(case_json(c, true)));
  }
}
