// Small text normalisations shared by the store, the config reader, date words
// and mail: plain ASCII rules, no database.
#pragma once

#include <string>
#include <string_view>

namespace mend {

// ASCII letters lower-cased; other bytes (UTF-8 included) kept as they are.
std::string lowercase(std::string_view s);
// Without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
std::string trimmed(std::string_view s);
// trimmed, as a view into `s`.
std::string_view trimmed_view(std::string_view s);
// Whether `s` starts with `prefix`, ASCII letters compared without case.
bool starts_with_nocase(std::string_view s, std::string_view prefix);
// Digits of a phone number, so that "555-0100" matches "555 0100"; a text with
// no digit is its own key, lower-cased and trimmed.
std::string phone_key(std::string_view phone);

}  // namespace mend
