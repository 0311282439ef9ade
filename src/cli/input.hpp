// Reading text that the user hands to mend: -F FILE, stdin, or an editor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/limits.hpp"

namespace mend::cli {

// The whole file, or stdin for "-". Error(not_found) when missing.
std::string read_text_input(const std::string& path);

// Opens $VISUAL or $EDITOR on `initial` in a private temporary file and returns
// what was saved, without lines starting with '#'. Error(usage) when no editor
// is set or it fails.
std::string edit_text(const std::string& initial);

// A deadline given as a WHEN option (--due, --followup, --at), checked to lie
// within the times mend keeps (limits.hpp): Error(usage) naming the option.
// Empty for `never` when allow_never.
std::optional<Time> stored_when(std::string_view option, const std::string& text, Time now,
                                bool allow_never = false);

// A value given on the command line: trimmed, and empty means absent.
std::optional<std::string> optional_text(const std::string& value);

}  // namespace mend::cli
