// The playbook's liability rule: apologise for the experience, but do not
// admit that the business was at fault unless certain. A pure check that the
// CLI uses to warn before such words reach a customer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mend {

// Words that admit fault, and what to say instead.
struct Admission {
  std::string words;   // as written in the text, runs of white space made one space
  std::string advice;  // one sentence, lower-case start, no full stop: what to say instead
};

// The first admission of fault in `text` ("it was our fault", "we accept full
// responsibility", "our driver damaged it", "we were negligent", "that's on
// us", "we should have packed it better", ...), or nothing.
//
// The text is cut into clauses at punctuation and at "and", "but", "or",
// "although", "however", ... An admission does not count when its clause
// holds, anywhere before or inside it, a negation ("we did not say it was
// our fault", "we never admitted liability", "we deny that we were
// negligent"; "we cannot deny it was our fault" still counts), a doubt
// ("whether it was our fault is still being checked", "if our driver damaged
// it"), someone else's claim ("you feel that we messed up"), or when the
// clause is a question ("was it our fault?"); nor when it is followed by
// "is not true" and the like. Case, curly or straight apostrophes,
// contractions and line breaks do not matter; words must match whole ("your
// fault" is not "our fault").
std::optional<Admission> find_admission(std::string_view text);

// find_admission(text)'s words.
std::optional<std::string> admitted_fault(std::string_view text);

// The first word in `text` that apologises ("sorry", "apologise",
// "apologies", "regret", ...), lower-case, or nothing; by the same clause
// rules: "So sorry about the cake" is an apology, "we are not sorry" and "I
// did not say sorry" are none.
std::optional<std::string> apology_in(std::string_view text);

}  // namespace mend
