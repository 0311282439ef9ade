#include "core/playbook.hpp"

#include <doctest/doctest.h>

using namespace mend;

namespace {

constexpr Time kNow = 1'795'442'700;  // 2026-11-23T14:05:00Z

Case fresh() {
  Case c;
  c.id = 1;
  c.opened_at = kNow;
  c.events.push_back({1, kNow, EventKind::opened, "S", {}, {}});
  return c;
}

std::string line(const Case& c, Time now) {
  std::string out;
  for (const auto& s : playbook(c, now)) {
    const char* mark = s.state == StepState::done      ? "+"
                       : s.state == StepState::missed  ? "!"
                       : s.state == StepState::skipped ? "-"
                                                       : ".";
    out += (out.empty() ? "" : " ") + std::string(mark) + s.label;
  }
  return out;
}

}  // namespace

TEST_CASE("a new case without complaint text or promise has had no step yet") {
  CHECK(line(fresh(), kNow) ==
        ".complaint written down .apology .remedy offered .no promise date .resolved .followed up");
}

TEST_CASE("the steps follow the complaint, the apology, the offer and the promise date") {
  Case c = fresh();
  c.complaint = "The vase broke.";
  c.due_at = kNow + 100;
  c.events.push_back({2, kNow, EventKind::apology, "Sorry", {}, {}});
  c.events.push_back({3, kNow, EventKind::offer, "A new vase", {}, {}});
  CHECK(line(c, kNow) ==
        "+complaint written down +apology +remedy offered +promise set .resolved .followed up");
  CHECK(line(c, kNow + 101) ==
        "+complaint written down +apology +remedy offered !promise missed .resolved .followed up");
}

TEST_CASE("resolving by the due date keeps the promise, after it misses it") {
  Case c = fresh();
  c.due_at = kNow + 100;
  c.status = Status::resolved;
  c.resolved_at = kNow + 50;
  c.followup_at = kNow + 1000;
  c.resolution =
      Resolution{Outcome::refund, std::nullopt, 500, "USD", Fault::unknown, std::nullopt};
  CHECK(line(c, kNow + 60) ==
        ".complaint written down .apology +remedy offered +promise kept +resolved .follow-up");
  c.resolved_at = kNow + 150;
  CHECK(line(c, kNow + 2000) ==
        ".complaint written down .apology +remedy offered !promise missed +resolved !follow-up "
        "overdue");
}

TEST_CASE("an explanation alone is no remedy") {
  Case c = fresh();
  c.resolution = Resolution{Outcome::explanation, std::nullopt, std::nullopt, "USD",
                            Fault::none,          std::nullopt};
  CHECK(playbook(c, kNow)[2].state == StepState::pending);
}

TEST_CASE("a follow-up counts only after the last reopening") {
  Case c = fresh();
  c.status = Status::closed;
  c.resolved_at = c.closed_at = kNow;
  c.events.push_back({2, kNow, EventKind::followup_done, "", {}, {}});
  CHECK(playbook(c, kNow)[5].label == "followed up");
  CHECK(playbook(c, kNow)[5].state == StepState::done);
  c.events.push_back({3, kNow, EventKind::reopened, "", {}, {}});
  c.status = Status::open;
  c.resolved_at = c.closed_at = std::nullopt;
  CHECK(playbook(c, kNow)[5].state == StepState::pending);
}

TEST_CASE("a case closed without a follow-up shows the step as skipped") {
  Case c = fresh();
  c.status = Status::closed;
  c.resolved_at = c.closed_at = kNow;
  const auto steps = playbook(c, kNow);
  CHECK(steps[5].label == "no follow-up");
  CHECK(steps[5].state == StepState::skipped);
}

TEST_CASE("a promise date is a step done, and says the date promised") {
  Case c = fresh();
  c.due_at = kNow + 3 * 86400;
  const auto step = playbook(c, kNow)[3];
  CHECK(step.label == "promise set");
  CHECK(step.state == StepState::done);
  CHECK(step.at == c.due_at);
}

TEST_CASE("words of apology in a call, reply, meeting or offer tick the apology") {
  for (EventKind kind : {EventKind::call, EventKind::reply, EventKind::meeting, EventKind::offer}) {
    CAPTURE(std::string(spelling(kind)));
    Case c = fresh();
    c.events.push_back(
        {2, kNow + 60, EventKind::note, "Customer upset; sorry state of affairs", {}, {}});
    c.events.push_back({3, kNow + 120, kind, "So sorry about the cake, Ada.", {}, {}});
    const auto step = playbook(c, kNow + 200)[1];
    CHECK(step.state == StepState::done);
    CHECK(step.at == kNow + 120);
  }
  Case c = fresh();
  c.events.push_back({2, kNow, EventKind::note, "I am so sorry", {}, {}});  // internal
  c.events.push_back(
      {3, kNow, EventKind::email, "Sorry to bother you", {}, {}});  // may be the customer's
  c.events.push_back({4, kNow, EventKind::call, "We are not sorry at all", {}, {}});  // negated
  CHECK(playbook(c, kNow)[1].state == StepState::pending);
}

TEST_CASE("a done follow-up says when and with what score; a pending one its date") {
  Case c = fresh();
  c.status = Status::resolved;
  c.resolved_at = kNow;
  c.followup_at = kNow + 86400;
  auto step = playbook(c, kNow + 10)[5];
  CHECK(step.label == "follow-up");
  CHECK(step.state == StepState::pending);
  CHECK(step.at == kNow + 86400);
  c.status = Status::closed;
  c.closed_at = kNow + 3600;
  c.satisfaction = 5;
  c.events.push_back({2, kNow + 3600, EventKind::followup_done, "Happy", {}, {}});
  step = playbook(c, kNow + 10)[5];
  CHECK(step.label == "followed up");
  CHECK(step.state == StepState::done);
  CHECK(step.at == kNow + 3600);
  CHECK(step.score == 5);
}
