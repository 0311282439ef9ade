// The playbook of good complaint handling (see the SPEC): which of its steps a
// case has had. Pure data for `show` to draw as one line.
#pragma once

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
};

// The six steps in order: complaint written down, apology, remedy offered,
// promise date (set, kept or missed), resolved, followed up. Looks at the
// case's fields and at its events (which must be loaded).
std::vector<PlaybookStep> playbook(const Case& c, Time now);

}  // namespace mend
