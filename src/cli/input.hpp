// Reading text that the user hands to mend: -F FILE, stdin, or an editor.
#pragma once

#include <cstdint>
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
// Working-day words (`2bd`) count with `calendar` (config: workdays, holidays).
std::optional<Time> stored_when(std::string_view option, const std::string& text, Time now,
                                bool allow_never = false,
                                const WorkCalendar& calendar = WorkCalendar{});

// The warning for a deadline the user typed (--due, --followup, --at) that
// falls on a day off, naming the day; "" when it is a working day or absent.
// The deadline is kept: call this after the change is made, and only for
// typed values (defaults from the config never warn).
std::string day_off_warning(std::string_view option, const std::string& text,
                            std::optional<Time> at, const WorkCalendar& calendar);

// --since and --until of list and export: parsed with the working calendar;
// a --since later than --until is Error(usage); a --since later than `now`
// is kept (the result is empty) and `future_warning` says so.
struct SinceUntil {
  std::optional<Time> since, until;
  std::string future_warning;  // "" unless --since lies in the future
};
SinceUntil since_until(const std::string& since, const std::string& until, Time now,
                       const WorkCalendar& calendar, const std::string& prefix = "");

// A value given on the command line: trimmed, and empty means absent.
std::optional<std::string> optional_text(const std::string& value);

// The value of `--limit N`: nullopt when not given (empty), else a whole
// number of at least 1 (Error(usage) otherwise).
std::optional<std::int64_t> parse_limit(const std::string& text);

}  // namespace mend::cli
