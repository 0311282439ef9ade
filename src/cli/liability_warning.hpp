// The liability warning of `note` and `reply`: an entry that speaks with the
// customer and admits fault while the case's fault is not recorded as ours.
#pragma once

#include <optional>
#include <string>

#include "core/model.hpp"

namespace mend::cli {

// Kinds whose words may reach the customer, where the liability rule matters.
bool speaks_to_customer(EventKind kind);

// The warning for `text`, an entry of `kind` on case `c`: the words that admit
// fault and what to say instead; nothing when the text admits none, when the
// kind does not speak with the customer, or when the fault is recorded as ours.
std::optional<std::string> liability_warning(const Case& c, EventKind kind,
                                             const std::string& text);

}  // namespace mend::cli
