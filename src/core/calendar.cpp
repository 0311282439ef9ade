#include "core/calendar.hpp"

#include <dlfcn.h>
#include <libical/ical.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace mend {
namespace {

// Text for a calendar: valid UTF-8 without control characters or bidi
// controls (libical escapes commas, semicolons, backslashes and line breaks,
// but passes other bytes through). Line breaks stay only where `multi_line`.
std::string calendar_text(std::string_view s, bool multi_line) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const std::int32_t cp = decode_utf8(s, i, len);
    if (cp < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
    } else if (cp == '\n') {
      out += multi_line ? '\n' : ' ';
    } else if (cp == '\r') {
      if (!(i + 1 < s.size() && s[i + 1] == '\n')) out += multi_line ? '\n' : ' ';
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      out += ' ';
    } else if (is_bidi_or_separator(cp)) {
      out += ' ';
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string title(const char* what, const Case& c) {
  return calendar_text(std::string(what) + ": " + c.customer.name + " \xE2\x80\x94 " + c.summary +
                           " (#" + std::to_string(c.id) + ")",
                       false);
}

std::string contact(const Case& c) {
  std::string d = "Case #" + std::to_string(c.id) + " (" + std::string(spelling(c.status)) +
                  "): " + c.summary + "\n";
  d += "Customer: " + c.customer.name + "\n";
  if (c.customer.email) d += "Email: " + *c.customer.email + "\n";
  if (c.customer.phone) d += "Phone: " + *c.customer.phone + "\n";
  if (c.reference) d += "Reference: " + *c.reference + "\n";
  d += "mend show " + std::to_string(c.id);
  return calendar_text(d, true);
}

bool at_end_of_local_day(Time t) {
  const auto lt = to_local(t);
  return lt.hour == 23 && lt.minute == 59 && lt.second == 59;
}

// The functions of libical that mend uses, found with dlsym.
struct Ical {
  void* library = nullptr;
  decltype(&icalcomponent_new) component_new = nullptr;
  decltype(&icalcomponent_add_component) add_component = nullptr;
  decltype(&icalcomponent_add_property) add_property = nullptr;
  decltype(&icalcomponent_as_ical_string_r) as_string = nullptr;
  decltype(&icalcomponent_free) component_free = nullptr;
  decltype(&icalmemory_free_buffer) free_buffer = nullptr;
  decltype(&icalproperty_new_version) version = nullptr;
  decltype(&icalproperty_new_prodid) prodid = nullptr;
  decltype(&icalproperty_new_calscale) calscale = nullptr;
  decltype(&icalproperty_new_x) x = nullptr;
  decltype(&icalproperty_set_x_name) set_x_name = nullptr;
  decltype(&icalproperty_new_uid) uid = nullptr;
  decltype(&icalproperty_new_summary) summary = nullptr;
  decltype(&icalproperty_new_description) description = nullptr;
  decltype(&icalproperty_new_dtstamp) dtstamp = nullptr;
  decltype(&icalproperty_new_dtstart) dtstart = nullptr;
  decltype(&icalproperty_new_dtend) dtend = nullptr;
  decltype(&icaltimezone_get_utc_timezone) utc = nullptr;
};

template <typename F>
bool find(void* library, F& fn, const char* name) {
  fn = reinterpret_cast<F>(::dlsym(library, name));
  return fn != nullptr;
}

const Ical& ical() {
  static Ical lib;
  static std::once_flag once;
  std::call_once(once, [] {
    Ical l;
    l.library = ::dlopen("libical.so.3", RTLD_NOW | RTLD_LOCAL);
    if (l.library == nullptr) return;
    const bool ok = find(l.library, l.component_new, "icalcomponent_new") &&
                    find(l.library, l.add_component, "icalcomponent_add_component") &&
                    find(l.library, l.add_property, "icalcomponent_add_property") &&
                    find(l.library, l.as_string, "icalcomponent_as_ical_string_r") &&
                    find(l.library, l.component_free, "icalcomponent_free") &&
                    find(l.library, l.free_buffer, "icalmemory_free_buffer") &&
                    find(l.library, l.version, "icalproperty_new_version") &&
                    find(l.library, l.prodid, "icalproperty_new_prodid") &&
                    find(l.library, l.calscale, "icalproperty_new_calscale") &&
                    find(l.library, l.x, "icalproperty_new_x") &&
                    find(l.library, l.set_x_name, "icalproperty_set_x_name") &&
                    find(l.library, l.uid, "icalproperty_new_uid") &&
                    find(l.library, l.summary, "icalproperty_new_summary") &&
                    find(l.library, l.description, "icalproperty_new_description") &&
                    find(l.library, l.dtstamp, "icalproperty_new_dtstamp") &&
                    find(l.library, l.dtstart, "icalproperty_new_dtstart") &&
                    find(l.library, l.dtend, "icalproperty_new_dtend") &&
                    find(l.library, l.utc, "icaltimezone_get_utc_timezone");
    if (ok) lib = l;
  });
  if (lib.library == nullptr)
    fail(ErrorKind::internal,
         "cannot load libical (libical.so.3), which mend calendar needs; install the libical3 "
         "package");
  return lib;
}

icaltimetype utc_time(const Ical& l, Time t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  icaltimetype v = ICALTIMETYPE_INITIALIZER;
  v.year = tm.tm_year + 1900;
  v.month = tm.tm_mon + 1;
  v.day = tm.tm_mday;
  v.hour = tm.tm_hour;
  v.minute = tm.tm_min;
  v.second = tm.tm_sec;
  v.zone = l.utc();
  return v;
}

// The local calendar day of t, `plus` days later, as a DATE value.
icaltimetype local_date(Time t, int plus) {
  const auto lt = to_local(t);
  const auto day = to_local(from_local(lt.year, lt.month, lt.day + plus, 12, 0, 0));
  icaltimetype v = ICALTIMETYPE_INITIALIZER;
  v.year = day.year;
  v.month = day.month;
  v.day = day.day;
  v.is_date = 1;
  return v;
}

// A component as RFC 5545 text, as libical writes it.
std::string text_of(const Ical& l, icalcomponent* c) {
  char* text = l.as_string(c);
  if (text == nullptr) fail(ErrorKind::internal, "libical could not write the calendar");
  std::string out(text);
  l.free_buffer(text);
  return out;
}

struct ComponentFree {
  const Ical* l;
  void operator()(icalcomponent* c) const { l->component_free(c); }
};

}  // namespace

CalendarEvent promise_event(const Case& c) {
  const Time at = c.due_at.value_or(0);
  return {"case-" + std::to_string(c.id) + "-promise@mend", title("Promise", c), contact(c), at,
          at_end_of_local_day(at)};
}

CalendarEvent followup_event(const Case& c) {
  const Time at = c.followup_at.value_or(0);
  return {"case-" + std::to_string(c.id) + "-followup@mend", title("Follow up", c), contact(c), at,
          at_end_of_local_day(at)};
}

std::string write_icalendar(const std::vector<CalendarEvent>& events, Time stamp,
                            std::string_view name) {
  const Ical& l = ical();
  std::unique_ptr<icalcomponent, ComponentFree> cal(l.component_new(ICAL_VCALENDAR_COMPONENT),
                                                    ComponentFree{&l});
  if (!cal) fail(ErrorKind::internal, "libical could not create a calendar");
  l.add_property(cal.get(), l.version("2.0"));
  l.add_property(cal.get(), l.prodid("-//mend//mend " MEND_VERSION "//EN"));
  l.add_property(cal.get(), l.calscale("GREGORIAN"));
  const std::string display = calendar_text(name, false);
  icalproperty* calname = l.x(display.c_str());
  l.set_x_name(calname, "X-WR-CALNAME");
  l.add_property(cal.get(), calname);
  const icaltimetype dtstamp = utc_time(l, stamp);
  // The calendar's own lines, then each event written and freed in turn
  // (a tree of thousands of events costs more in malloc than in writing).
  std::string out = text_of(l, cal.get());
  const auto end = out.rfind("END:VCALENDAR");
  if (end == std::string::npos) fail(ErrorKind::internal, "libical wrote no END:VCALENDAR");
  const std::string tail = out.substr(end);
  out.resize(end);
  for (const auto& e : events) {
    std::unique_ptr<icalcomponent, ComponentFree> ev(l.component_new(ICAL_VEVENT_COMPONENT),
                                                     ComponentFree{&l});
    if (!ev) fail(ErrorKind::internal, "libical could not create an event");
    l.add_property(ev.get(), l.uid(e.uid.c_str()));
    l.add_property(ev.get(), l.dtstamp(dtstamp));
    if (e.all_day) {
      l.add_property(ev.get(), l.dtstart(local_date(e.at, 0)));
      l.add_property(ev.get(), l.dtend(local_date(e.at, 1)));
    } else {
      l.add_property(ev.get(), l.dtstart(utc_time(l, e.at)));
      l.add_property(ev.get(), l.dtend(utc_time(l, e.at + 30 * 60)));
    }
    l.add_property(ev.get(), l.summary(e.summary.c_str()));
    l.add_property(ev.get(), l.description(e.description.c_str()));
    out += text_of(l, ev.get());
  }
  out += tail;
  return out;
}

}  // namespace mend
