// The playbook's liability rule: apologise for the experience, but do not
// admit that the business was at fault unless certain. A pure check that the
// CLI uses to warn before such words reach a customer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mend {

// The first phrase in `text` that admits fault ("our fault", "we caused",
// "we are to blame", "we messed up", "my fault", ...), in its canonical
// lower-case form, or nothing. Case, curly apostrophes and line breaks do not
// matter; a phrase must stand as whole words ("your fault" is not "our
// fault") and a negation just before it ("not our fault", "wasn't my fault")
// cancels it.
std::optional<std::string> admitted_fault(std::string_view text);

// The first word in `text` that apologises ("sorry", "apologise",
// "apologies", "regret", ...), by the same rules, or nothing: "So sorry about
// the cake" is an apology, "not sorry" is none.
std::optional<std::string> apology_in(std::string_view text);

}  // namespace mend
