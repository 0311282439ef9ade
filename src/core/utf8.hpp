// UTF-8 as mend reads text from customers: one decoder, shared by terminal
// safety (cli) and safe file names (core).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mend {

// Decodes one UTF-8 sequence at s[i]; returns the code point, or -1 for an
// invalid byte, an overlong form, a surrogate or a value past Unicode (then
// `len` is 1).
std::int32_t decode_utf8(std::string_view s, std::size_t i, std::size_t& len);

// Bidi controls (Trojan Source) and the line and paragraph separators.
bool is_bidi_or_separator(std::int32_t cp);

}  // namespace mend
