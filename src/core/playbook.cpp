#include "core/playbook.hpp"

#include <algorithm>

#include "core/liability.hpp"

namespace mend {
namespace {

const Event* first_event(const Case& c, EventKind kind) {
  const auto it = std::find_if(c.events.begin(), c.events.end(),
                               [&](const Event& e) { return e.kind == kind; });
  return it == c.events.end() ? nullptr : &*it;
}

// Entries in which the owner speaks to the customer. (`email` is left out: it
// may be the customer's own mail, whose "sorry to bother you" is no apology.)
bool owner_speaks_to_customer(EventKind kind) {
  return kind == EventKind::call || kind == EventKind::reply || kind == EventKind::meeting ||
         kind == EventKind::offer;
}

// The first apology: an `apology` entry, or words of apology in a call, reply,
// meeting or offer ("So sorry about the cake").
const Event* first_apology(const Case& c) {
  for (const auto& e : c.events)
    if (e.kind == EventKind::apology || (owner_speaks_to_customer(e.kind) && apology_in(e.text)))
      return &e;
  return nullptr;
}

// Outcomes that give the customer something; an apology or an explanation
// alone is not a remedy.
bool is_remedy(Outcome outcome) {
  return outcome != Outcome::apology && outcome != Outcome::explanation &&
         outcome != Outcome::no_action;
}

// The follow-up recorded after the case was last reopened, if any.
const Event* follow_up_done(const Case& c) {
  const Event* done = nullptr;
  for (const auto& e : c.events) {
    if (e.kind == EventKind::reopened) done = nullptr;
    if (e.kind == EventKind::followup_done) done = &e;
  }
  return done;
}

}  // namespace

std::vector<PlaybookStep> playbook(const Case& c, Time now) {
  using S = StepState;
  std::vector<PlaybookStep> steps;
  const bool written =
      c.complaint && c.complaint->find_first_not_of(" \t\r\n") != std::string::npos;
  steps.push_back({"complaint written down", written ? S::done : S::pending, {}, {}});

  if (const Event* apology = first_apology(c)) {
    steps.push_back({"apology", S::done, apology->at, {}});
  } else {
    steps.push_back({"apology", S::pending, {}, {}});
  }

  if (const Event* offer = first_event(c, EventKind::offer)) {
    steps.push_back({"remedy offered", S::done, offer->at, {}});
  } else if (c.resolution && is_remedy(c.resolution->outcome)) {
    steps.push_back({"remedy offered", S::done, c.resolved_at, {}});
  } else {
    steps.push_back({"remedy offered", S::pending, {}, {}});
  }

  if (!c.due_at) {
    steps.push_back({"no promise date", S::pending, {}, {}});
  } else if (c.resolved_at) {
    steps.push_back(*c.resolved_at <= *c.due_at
                        ? PlaybookStep{"promise kept", S::done, c.due_at, {}}
                        : PlaybookStep{"promise missed", S::missed, c.due_at, {}});
  } else if (now > *c.due_at) {
    steps.push_back({"promise missed", S::missed, c.due_at, {}});
  } else {
    // A clear time frame is the step; keeping it is judged when the case is resolved.
    steps.push_back({"promise set", S::done, c.due_at, {}});
  }

  steps.push_back({"resolved", c.resolved_at ? S::done : S::pending, c.resolved_at, {}});

  if (const Event* done = follow_up_done(c)) {
    steps.push_back({"followed up", S::done, done->at, c.satisfaction});
  } else if (c.status == Status::closed) {
    steps.push_back({"no follow-up", S::skipped, {}, {}});
  } else if (c.followup_at && *c.followup_at < now) {
    steps.push_back({"follow-up overdue", S::missed, c.followup_at, {}});
  } else if (c.status == Status::resolved && c.followup_at) {
    steps.push_back({"follow-up", S::pending, c.followup_at, {}});
  } else {
    steps.push_back({"followed up", S::pending, {}, {}});
  }
  return steps;
}

}  // namespace mend
