#include "core/playbook.hpp"

#include <algorithm>

namespace mend {
namespace {

bool has_event(const Case& c, std::string_view kind) {
  return std::any_of(c.events.begin(), c.events.end(),
                     [&](const Event& e) { return e.kind == kind; });
}

// Outcomes that give the customer something; an apology or an explanation
// alone is not a remedy.
bool is_remedy(const std::string& outcome) {
  return outcome != "apology" && outcome != "explanation" && outcome != "no-action";
}

// A follow-up recorded after the case was last reopened.
bool followed_up(const Case& c) {
  bool done = false;
  for (const auto& e : c.events) {
    if (e.kind == "reopened") done = false;
    if (e.kind == "followup-done") done = true;
  }
  return done;
}

}  // namespace

std::vector<PlaybookStep> playbook(const Case& c, Time now) {
  using S = StepState;
  std::vector<PlaybookStep> steps;
  const bool written =
      c.complaint && c.complaint->find_first_not_of(" \t\r\n") != std::string::npos;
  steps.push_back({"complaint written down", written ? S::done : S::pending});
  steps.push_back({"apology", has_event(c, "apology") ? S::done : S::pending});
  const bool remedy = has_event(c, "offer") || (c.resolution && is_remedy(c.resolution->outcome));
  steps.push_back({"remedy offered", remedy ? S::done : S::pending});
  if (!c.due_at) {
    steps.push_back({"no promise date", S::pending});
  } else if (c.resolved_at) {
    steps.push_back(*c.resolved_at <= *c.due_at ? PlaybookStep{"promise kept", S::done}
                                                : PlaybookStep{"promise missed", S::missed});
  } else if (now > *c.due_at) {
    steps.push_back({"promise missed", S::missed});
  } else {
    steps.push_back({"promise set", S::pending});
  }
  steps.push_back({"resolved", c.resolved_at ? S::done : S::pending});
  if (followed_up(c)) {
    steps.push_back({"followed up", S::done});
  } else if (c.status == "closed") {
    steps.push_back({"no follow-up", S::skipped});
  } else if (c.followup_at && *c.followup_at < now) {
    steps.push_back({"follow-up overdue", S::missed});
  } else {
    steps.push_back({"followed up", S::pending});
  }
  return steps;
}

}  // namespace mend
