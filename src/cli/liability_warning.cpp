#include "cli/liability_warning.hpp"

#include <fmt/format.h>

#include "core/liability.hpp"

namespace mend::cli {

bool speaks_to_customer(EventKind kind) {
  return kind == EventKind::reply || kind == EventKind::apology || kind == EventKind::offer ||
         kind == EventKind::email || kind == EventKind::call || kind == EventKind::meeting;
}

// The fault can only be recorded by resolve, so the fix is named only while
// the case is open; after that the warning just says what is on record.
std::optional<std::string> liability_warning(const Case& c, EventKind kind,
                                             const std::string& text) {
  if (!speaks_to_customer(kind)) return std::nullopt;
  if (c.resolution && c.resolution->fault == Fault::ours) return std::nullopt;
  const auto admission = find_admission(text);
  if (!admission) return std::nullopt;
  const std::string said = fmt::format("this {} admits fault (\"{}\"); {}", spelling(kind),
                                       admission->words, admission->advice);
  if (!c.resolution) {
    return said + fmt::format(
                      "; if it was your fault, record it when you resolve: mend resolve {} "
                      "--outcome OUTCOME --fault ours",
                      c.id);
  }
  return said +
         fmt::format(" (case #{} is recorded as fault {})", c.id, spelling(c.resolution->fault));
}

}  // namespace mend::cli
