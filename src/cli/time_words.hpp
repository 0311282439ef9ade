// Times for people, in local time (TZ): dates, and "tomorrow 09:30",
// "3 h late" as a to-do list says them.
#pragma once

#include <string>

#include "core/dates.hpp"

namespace mend::cli {

std::string local_date(Time t);       // 2026-11-23
std::string local_date_time(Time t);  // Mon 23 Nov 2026 14:05
std::string when_words(Time t,
                       Time now);  // today 15:00, tomorrow 09:30, Wed 25 Nov 23:59, 3 Jan 2025
std::string distance_words(Time t, Time now);  // in 2 days, 3 h late
// When something is due, as a to-do list says it: "3 days late", "5 h late",
// "today 15:00", "tomorrow", "Wed 25 Nov" (an end-of-day deadline, 23:59,
// shows no time).
std::string due_words(Time t, Time now);

}  // namespace mend::cli
