// The playbook of good complaint handling (see the README): which of its steps a
// case has had. Pure data for `show` to draw as one line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace mend {

enum class StepState {
  done,     // the step happened (a promise kept)
  missed,   // it should have happened and did not (a promise missed, a follow-up overdue)
  pending,  // not yet
  skipped,  // deliberately left out (resolved with --followup never)
};

struct PlaybookStep {
  std::string label;  // "apology", "promise kept", "followed up", ...
  StepState state = StepState::pending;
  // When it happened (or, for a promise and a pending follow-up, the date it is
  // for); none for the complaint and for steps that have not happened.
  std::optional<Time> at;
  // A done follow-up: the satisfaction it recorded (1..5), if any.
  std::optional<int> score;
};

// The six steps in order: complaint written down, apology (an `apology`
// entry, or one that speaks with the customer and apologises, see
// liability.hpp), remedy offered, promise date (set, kept or missed),
// resolved, followed up. Looks at the case's fields and at its events (which
// must be loaded); only what happened since the case was last reopened counts
// for the follow-up.
std::vector<PlaybookStep> playbook(const Case& c, Time now);

}  // namespace mend
