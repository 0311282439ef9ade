// Time in mend: instants are whole seconds since the Unix epoch (UTC), stored
// as integers so that report arithmetic is cheap. Input and display use the
// process's local time zone (TZ), through localtime_r/mktime.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mend {

using Time = std::int64_t;

// What a date without a time of day means depends on where it is used.
enum class DateRole {
  deadline,  // --due, --followup, --at: the end of that day, 23:59:59
  since,     // --since: the first second of that day
  until,     // --until: the whole day is included, so the next midnight (exclusive)
};

// A calendar day as a number: days since 1970-01-01 (proleptic Gregorian),
// independent of any time zone.
std::int64_t civil_day(int year, int month, int day);
// `YYYY-MM-DD` as a civil day; empty when it is not a day of the calendar.
std::optional<std::int64_t> parse_civil_day(std::string_view text);

// The owner's working week and days off (config: workdays, holidays), which
// the working-day words (`2bd`, `-1bd`) count with.
struct WorkCalendar {
  struct Range {
    std::int64_t first = 0, last = 0;  // civil days, both included
  };
  std::array<bool, 7> workdays = {false, true, true, true, true, true, false};  // [0] = Sunday
  std::vector<Range> holidays;

  bool is_holiday(std::int64_t civil) const;
  bool is_working_day(std::int64_t civil) const;
};

struct WhenResult {
  std::optional<Time> at;  // empty when the text was `never`
};

// Parses a WHEN word (the README's list of dates: `2026-12-01`, `2026-12-01T15:30`, `+3d`,
// `today`, `friday`, `eom`, `now`, `never`, ...) relative to `now`, in the
// process time zone. `never` is accepted only when allow_never is set.
// Throws Error(usage) naming the text when it is not a date.
WhenResult parse_when(std::string_view text, Time now, DateRole role, bool allow_never = false,
                      const WorkCalendar& calendar = WorkCalendar{});

// Broken-down local time.
struct LocalTime {
  int year = 1970, month = 1, day = 1;  // month 1..12
  int hour = 0, minute = 0, second = 0;
  int weekday = 4;  // 0 = Sunday .. 6 = Saturday
};

LocalTime to_local(Time t);
// "2026-11-30 14:05": the local time to the minute, as event texts and
// messages write it.
std::string local_minute(Time t);
// The instant of a local wall time; out-of-range fields are normalised (day 32 is
// the 1st of the next month). A wall time that happens twice at the end of
// summer time is the earlier one; one skipped in spring moves forward by the
// gap (02:30 -> 03:30).
Time from_local(int year, int month, int day, int hour, int minute, int second);
Time start_of_local_day(Time t);

// RFC 3339 in UTC with a Z, as every JSON time: 2026-11-23T14:05:00Z.
std::string format_utc(Time t);
// Full RFC 3339 with Z or an offset (seconds and fractions optional); empty if not one.
std::optional<Time> parse_rfc3339(std::string_view text);

// The clock: MEND_NOW (RFC 3339) when set, else the system clock. Throws
// Error(usage) when MEND_NOW is set but not a time, or outside the times mend
// keeps (limits.hpp).
Time current_time(const char* mend_now_env);

// Whether TZ names a zone the C library can load (a zoneinfo file or a POSIX
// rule); an unknown one silently means UTC. Unset and empty are known (UTC).
bool tz_is_known(const char* tz);

}  // namespace mend
