// The calendar feed (the README's "Your promises in your phone's calendar"): every promise
// still open and every scheduled follow-up as an RFC 5545 event, written by
// libical, never by pasting strings, so that customer text is escaped and
// folded as the RFC says. libical (and the ICU and libstdc++.so it pulls in)
// is loaded with dlopen on the first call: no other command pays for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/model.hpp"

namespace mend {

struct CalendarEvent {
  std::string uid;          // stable for the same case and kind
  std::string summary;      // the title: customer and summary
  std::string description;  // contact details; may hold line breaks
  Time at = 0;
  // A deadline at 23:59:59 local time is an all-day event on that local
  // day; any other time a 30-minute event from `at`.
  bool all_day = false;
};

// The event of an open case's promise (its due_at), and of a resolved case's
// follow-up (its followup_at). The case must have that time.
CalendarEvent promise_event(const Case& c);
CalendarEvent followup_event(const Case& c);

// The whole feed (VCALENDAR with VERSION, PRODID and one VEVENT per event,
// DTSTAMP = stamp), CRLF line ends, lines folded at 75 octets. `name` is the
// calendar's display name (X-WR-CALNAME). Error(internal) when libical cannot
// be loaded.
std::string write_icalendar(const std::vector<CalendarEvent>& events, Time stamp,
                            std::string_view name);

}  // namespace mend
