#include "cli/time_words.hpp"

#include <fmt/format.h>

#include <string_view>

namespace mend::cli {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

}  // namespace

std::string local_date(Time t) {
  const auto lt = to_local(t);
  return fmt::format("{:04}-{:02}-{:02}", lt.year, lt.month, lt.day);
}

std::string local_date_time(Time t) {
  const auto lt = to_local(t);
  return fmt::format("{} {} {} {} {:02}:{:02}", kDays[lt.weekday], lt.day, kMonths[lt.month - 1],
                     lt.year, lt.hour, lt.minute);
}

std::string when_words(Time t, Time now) {
  const auto lt = to_local(t);
  const auto day = start_of_local_day(t);
  const auto today = start_of_local_day(now);
  const auto hm = fmt::format("{:02}:{:02}", lt.hour, lt.minute);
  // Calendar days apart, robust to 23/25-hour days around DST changes.
  const auto days = (day - today + (day >= today ? 7200 : -7200)) / 86400;
  if (days == 0) return "today " + hm;
  if (days == 1) return "tomorrow " + hm;
  if (days == -1) return "yesterday " + hm;
  if (lt.year == to_local(now).year || (days > -180 && days < 180))
    return fmt::format("{} {} {} {}", kDays[lt.weekday], lt.day, kMonths[lt.month - 1], hm);
  return fmt::format("{} {} {}", lt.day, kMonths[lt.month - 1], lt.year);
}

std::string distance_words(Time t, Time now) {
  const auto diff = t - now;
  const auto abs = diff < 0 ? -diff : diff;
  std::string amount;
  if (abs < 3600) {
    const auto m = abs / 60;
    amount = fmt::format("{} min", m);
  } else if (abs < 2 * 86400) {
    const auto h = abs / 3600;
    amount = fmt::format("{} h", h);
  } else {
    const auto d = abs / 86400;
    amount = fmt::format("{} days", d);
  }
  return diff >= 0 ? "in " + amount : amount + " late";
}

std::string due_words(Time t, Time now) {
  if (t < now) {
    const auto days = (start_of_local_day(now) - start_of_local_day(t) + 7200) / 86400;
    if (days >= 1) return fmt::format("{} day{} late", days, days == 1 ? "" : "s");
    const auto late = now - t;
    if (late < 3600) return fmt::format("{} min late", late < 60 ? 1 : late / 60);
    return fmt::format("{} h late", late / 3600);
  }
  std::string words = when_words(t, now);
  const auto lt = to_local(t);
  constexpr std::string_view kEndOfDay = " 23:59";
  if (lt.hour == 23 && lt.minute == 59 && words.size() > kEndOfDay.size() &&
      words.compare(words.size() - kEndOfDay.size(), kEndOfDay.size(), kEndOfDay) == 0)
    words.resize(words.size() - kEndOfDay.size());
  return words;
}

}  // namespace mend::cli
