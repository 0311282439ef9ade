#include "core/dates.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "core/errors.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"

namespace mend {
namespace {

// Reads exactly `n` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

struct Day {
  int y, m, d;
};
struct Clock {
  int h, m, s;
};

// Reads `YYYY-MM-DD` at `pos`, advancing it; the numbers are not checked.
std::optional<Day> read_day(std::string_view s, std::size_t& pos) {
  const auto y = digits(s, pos, 4);
  if (!y || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  const auto m = digits(s, pos, 2);
  if (!m || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  const auto d = digits(s, pos, 2);
  if (!d) return std::nullopt;
  return Day{*y, *m, *d};
}

// What stands between a date and its time: `T`, `t` or a space.
bool is_date_time_separator(char c) {
  return c == 'T' || c == 't' || c == ' ';
}

// Reads `HH:MM[:SS]` at `pos`, advancing it, and with `fraction` a `.digits`
// after the seconds (read and dropped); the numbers are not checked.
std::optional<Clock> read_clock(std::string_view s, std::size_t& pos, bool fraction) {
  const auto h = digits(s, pos, 2);
  if (!h || pos >= s.size() || s[pos++] != ':') return std::nullopt;
  const auto m = digits(s, pos, 2);
  if (!m) return std::nullopt;
  Clock clock{*h, *m, 0};
  if (pos >= s.size() || s[pos] != ':') return clock;
  ++pos;
  const auto sec = digits(s, pos, 2);
  if (!sec) return std::nullopt;
  clock.s = *sec;
  if (fraction && pos < s.size() && s[pos] == '.') {
    const auto start = ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])))
      ++pos;
    if (pos == start) return std::nullopt;
  }
  return clock;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

bool valid_date(int y, int m, int d) {
  return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool valid_time(int hh, int mm, int ss) {
  return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 60;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// A calendar day in local time, and what it means for the role it plays.
Time local_day(int y, int m, int d, DateRole role) {
  switch (role) {
    case DateRole::deadline:
      return from_local(y, m, d, 23, 59, 59);
    case DateRole::since:
      return from_local(y, m, d, 0, 0, 0);
    case DateRole::until:
      return from_local(y, m, d + 1, 0, 0, 0);
  }
  return from_local(y, m, d, 0, 0, 0);
}

std::optional<int> weekday_named(const std::string& w) {
  static constexpr std::array<std::string_view, 7> kLong = {
      "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (int i = 0; i < 7; ++i) {
    const auto name = kLong[static_cast<std::size_t>(i)];
    if (w == name || w == name.substr(0, 3)) return i;
  }
  return std::nullopt;
}

// `2026-12-01`, `2026-12-01T15:30`, `2026-12-01 15:30[:45]`.
std::optional<Time> parse_local_date_time(std::string_view s, DateRole role, bool& looked_like) {
  std::size_t pos = 0;
  const auto day = read_day(s, pos);
  if (!day) return std::nullopt;
  looked_like = true;
  if (!valid_date(day->y, day->m, day->d)) return std::nullopt;
  if (pos == s.size()) return local_day(day->y, day->m, day->d, role);
  if (!is_date_time_separator(s[pos++])) return std::nullopt;
  const auto clock = read_clock(s, pos, false);
  if (!clock || pos != s.size() || !valid_time(clock->h, clock->m, clock->s) || clock->s == 60)
    return std::nullopt;
  return from_local(day->y, day->m, day->d, clock->h, clock->m, clock->s);
}

// `3d`, `+3d`, `-30d`, `12h`, `2w`.
std::optional<Time> parse_offset(std::string_view s, Time now) {
  std::size_t pos = 0;
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    pos = 1;
  }
  if (s.size() < pos + 2) return std::nullopt;
  const char unit = s.back();
  std::int64_t n = 0;
  auto num = s.substr(pos, s.size() - pos - 1);
  if (num.empty() || num.size() > 5) return std::nullopt;
  for (char c : num)
    if (c < '0' || c > '9') return std::nullopt;
  auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
  if (ec != std::errc() || ptr != num.data() + num.size()) return std::nullopt;
  n *= sign;
  if (unit == 'h') return now + n * 3600;
  if (unit != 'd' && unit != 'w') return std::nullopt;
  // Days keep the local time of day, also across a DST change.
  const auto lt = to_local(now);
  const auto days = static_cast<int>(unit == 'w' ? n * 7 : n);
  return from_local(lt.year, lt.month, lt.day + days, lt.hour, lt.minute, lt.second);
}

}  // namespace

std::int64_t civil_day(int year, int month, int day) {
  return days_from_civil(year, month, day);
}

std::optional<std::int64_t> parse_civil_day(std::string_view s) {
  std::size_t pos = 0;
  auto y = digits(s, pos, 4);
  if (!y || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  auto m = digits(s, pos, 2);
  if (!m || pos >= s.size() || s[pos++] != '-') return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d || pos != s.size() || !valid_date(*y, *m, *d)) return std::nullopt;
  return days_from_civil(*y, *m, *d);
}

bool WorkCalendar::is_holiday(std::int64_t civil) const {
  return std::any_of(holidays.begin(), holidays.end(),
                     [civil](const Range& r) { return civil >= r.first && civil <= r.last; });
}

bool WorkCalendar::is_working_day(std::int64_t civil) const {
  // 1970-01-01 was a Thursday (4).
  const auto weekday = static_cast<std::size_t>(((civil % 7) + 7 + 4) % 7);
  return workdays[weekday] && !is_holiday(civil);
}

LocalTime to_local(Time t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return LocalTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                   tm.tm_min,         tm.tm_sec,     tm.tm_wday};
}

std::string local_minute(Time t) {
  const auto lt = to_local(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day, lt.hour,
                lt.minute);
  return buf;
}

namespace {

// The offset from UTC, in seconds, that the local zone has at instant t.
Time utc_offset_at(Time t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return static_cast<Time>(tm.tm_gmtoff);
}

}  // namespace

Time from_local(int year, int month, int day, int hour, int minute, int second) {
  // The wall time as if it were UTC (fields normalised: month 13 is January
  // of the next year, day 32 the 1st of the next month, and so on).
  std::int64_t m0 = month - 1;
  const std::int64_t years = m0 >= 0 ? m0 / 12 : (m0 - 11) / 12;  // rounded down
  const std::int64_t y = year + years;
  m0 -= years * 12;
  const Time wall = (days_from_civil(static_cast<int>(y), static_cast<int>(m0) + 1, 1) +
                     (static_cast<std::int64_t>(day) - 1)) *
                        86400 +
                    static_cast<std::int64_t>(hour) * 3600 +
                    static_cast<std::int64_t>(minute) * 60 + second;
  // A DST change lies between the offsets a day before and a day after. One
  // rule in every zone: a wall time that happens twice (the hour repeated at
  // the end of summer time) is its earlier occurrence, as Python's fold=0; a
  // wall time that never happens (the hour skipped in spring) is read with
  // the offset before the change, so it moves forward by the gap (02:30 ->
  // 03:30).
  const Time before = utc_offset_at(wall - 86400);
  const Time after = utc_offset_at(wall + 86400);
  const Time first = wall - before;
  const Time second_try = wall - after;
  const bool first_ok = utc_offset_at(first) == before;
  const bool second_ok = utc_offset_at(second_try) == after;
  if (first_ok && second_ok) return std::min(first, second_try);
  if (first_ok) return first;
  if (second_ok) return second_try;
  return first;  // in the gap
}

Time start_of_local_day(Time t) {
  const auto lt = to_local(t);
  return from_local(lt.year, lt.month, lt.day, 0, 0, 0);
}

std::string format_utc(Time t) {
  // Years 1000..9999 directly (export writes millions of these); others as
  // strftime writes them.
  constexpr Time kFirst = -30610224000;  // 1000-01-01T00:00:00Z (strftime pads no further)
  constexpr Time kEnd = 253402300800;    // 10000-01-01T00:00:00Z
  if (t >= kFirst && t < kEnd) {
    // Days to civil date (H. Hinnant's days_from_civil, inverted).
    const Time days = (t >= 0 ? t : t - 86399) / 86400;
    const Time secs = t - days * 86400;
    const Time z = days + 719468;
    const Time era = (z >= 0 ? z : z - 146096) / 146097;
    const Time doe = z - era * 146097;
    const Time yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const Time doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const Time mp = (5 * doy + 2) / 153;
    const Time d = doy - (153 * mp + 2) / 5 + 1;
    const Time m = mp < 10 ? mp + 3 : mp - 9;
    const Time y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[21] = "0000-00-00T00:00:00Z";
    auto put = [&buf](int at, Time value, int width) {
      for (int i = at + width - 1; i >= at; --i, value /= 10)
        buf[i] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60, 2);
    return std::string(buf, 20);
  }
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<Time> parse_rfc3339(std::string_view s) {
  std::size_t pos = 0;
  const auto day = read_day(s, pos);
  if (!day || pos >= s.size() || !is_date_time_separator(s[pos++])) return std::nullopt;
  const auto clock = read_clock(s, pos, true);
  if (!clock) return std::nullopt;
  if (!valid_date(day->y, day->m, day->d) || !valid_time(clock->h, clock->m, clock->s))
    return std::nullopt;
  if (pos >= s.size()) return std::nullopt;
  std::int64_t offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = digits(s, pos, 2);
    if (!oh || pos >= s.size() || s[pos++] != ':') return std::nullopt;
    auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset = sign * (*oh * 3600 + *om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return days_from_civil(day->y, day->m, day->d) * 86400 + clock->h * 3600 + clock->m * 60 +
         clock->s - offset;
}

namespace {

// Splits on runs of spaces and tabs.
std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// A count of 1 to 5 digits (the same bound as `+3d`).
std::optional<int> count_of(const std::string& s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// `day`, `days`, `week`, ... as the letter of an offset.
std::optional<char> unit_of(const std::string& s) {
  if (s == "day" || s == "days") return 'd';
  if (s == "week" || s == "weeks") return 'w';
  if (s == "hour" || s == "hours") return 'h';
  return std::nullopt;
}

// The local calendar day `delta` days from today, as the role wants it.
Time day_from_today(const LocalTime& today, int delta, DateRole role) {
  return local_day(today.year, today.month, today.day + delta, role);
}

// `Nbd`, `+Nbd`, `-Nbd`: the end of the Nth working day after today, or the
// start of the Nth one before it; today is not counted.
std::optional<Time> parse_working_days(const std::string& w, Time now, DateRole role,
                                       const WorkCalendar& calendar) {
  if (w.size() < 3 || w.compare(w.size() - 2, 2, "bd") != 0) return std::nullopt;
  std::string num = w.substr(0, w.size() - 2);
  int sign = 1;
  if (!num.empty() && (num[0] == '+' || num[0] == '-')) {
    sign = num[0] == '-' ? -1 : 1;
    num.erase(0, 1);
  }
  const auto n = count_of(num);
  if (!n) return std::nullopt;
  if (*n == 0)
    fail(ErrorKind::usage, "'" + w + "': working days count from 1 (1bd is the next working day)");
  const auto today = to_local(now);
  const std::int64_t first = civil_day(today.year, today.month, today.day);
  std::int64_t day = first;
  constexpr int kMaxGap = 3660;  // ten years without a working day: a config mistake
  for (int found = 0; found < *n;) {
    int gap = 0;
    do {
      day += sign;
      if (++gap > kMaxGap)
        fail(ErrorKind::usage, "'" + w +
                                   "': there is no working day within ten years; check "
                                   "workdays and holidays in the config file");
    } while (!calendar.is_working_day(day));
    ++found;
  }
  const int delta = static_cast<int>(day - first);
  if (sign < 0 && role == DateRole::deadline) return day_from_today(today, delta, DateRole::since);
  return day_from_today(today, delta, role);
}

// Edit distance with transpositions (optimal string alignment), for suggestions.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The nearest valid form of a refused WHEN, or "" when none is near.
std::string suggestion(const std::string& w, Time now) {
  // 3/12, 3.12, 3/12/2026: both readings of day and month.
  {
    std::vector<int> parts;
    std::string cur;
    bool ok = !w.empty();
    for (char c : w + "/") {
      if (c >= '0' && c <= '9') {
        cur += c;
      } else if ((c == '/' || c == '.') && !cur.empty() && cur.size() <= 4) {
        parts.push_back(std::stoi(cur));
        cur.clear();
      } else {
        ok = false;
        break;
      }
    }
    if (ok && (parts.size() == 2 || parts.size() == 3)) {
      int year = to_local(now).year;
      if (parts.size() == 3) year = parts[2] < 100 ? 2000 + parts[2] : parts[2];
      std::vector<std::string> forms;
      auto add = [&](int m, int d) {
        if (!valid_date(year, m, d)) return;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, m, d);
        if (std::find(forms.begin(), forms.end(), buf) == forms.end()) forms.push_back(buf);
      };
      add(parts[1], parts[0]);  // day first, as most of the world writes it
      add(parts[0], parts[1]);
      if (forms.size() == 1) return forms[0];
      if (forms.size() == 2) return forms[0] + " or " + forms[1];
    }
  }
  const auto words = words_of(w);
  // `3 days`: in the future or the past?
  if (words.size() == 2 && count_of(words[0]) && unit_of(words[1]))
    return "'in " + w + "' or '" + w + " ago'";
  // `+3`, `3`: a number without its unit.
  if (words.size() == 1 && count_of(w[0] == '+' || w[0] == '-' ? w.substr(1) : w)) return w + "d";
  // Misspelt words: each one replaced by the nearest word mend knows.
  static constexpr std::string_view kWords[] = {
      "today",   "tomorrow",  "yesterday", "now",    "never",    "eod",    "eow",  "eom",  "monday",
      "tuesday", "wednesday", "thursday",  "friday", "saturday", "sunday", "next", "last", "in",
      "ago",     "days",      "weeks",     "hours",  "day",      "week",   "hour"};
  std::string fixed;
  bool changed = false;
  for (const auto& word : words) {
    std::string best = word;
    if (!count_of(word) && word.size() >= 3) {
      std::size_t best_d = word.size() >= 6 ? 3 : 2;
      for (auto k : kWords) {
        const auto d = distance(word, k);
        if (d < best_d) {
          best_d = d;
          best = std::string(k);
        }
      }
      if (best_d == 0) best = word;
    }
    changed = changed || best != word;
    fixed += (fixed.empty() ? "" : " ") + best;
  }
  if (changed) return fixed.find(' ') == std::string::npos ? fixed : "'" + fixed + "'";
  if (words.size() == 2 && words[0] == "next") return "'next monday' or +1w";
  return "";
}

}  // namespace

WhenResult parse_when(std::string_view raw, Time now, DateRole role, bool allow_never,
                      const WorkCalendar& calendar) {
  const std::string text = trimmed(raw);
  const std::string w = lowercase(text);
  auto bad = [&]() -> WhenResult {
    const std::string near = suggestion(w, now);
    if (!near.empty())
      fail(ErrorKind::usage, "'" + text + "' is not a date; did you mean " + near + "?");
    fail(ErrorKind::usage,
         "'" + text +
             "' is not a date; try 2026-12-01, '2026-12-01 15:30', +3d, -2w, 12h, 2bd, today, "
             "tomorrow, friday, 'next friday', 'in 3 days', '2 weeks ago', eod, eow, eom or now" +
             (allow_never ? " (or never)" : ""));
  };
  if (w.empty()) return bad();
  const auto today = to_local(now);
  if (w == "now") return {now};
  if (w == "never") {
    if (allow_never) return {std::nullopt};
    fail(ErrorKind::usage, "'never' is only a follow-up date (--followup never)");
  }
  if (w == "today" || w == "eod") return {day_from_today(today, 0, role)};
  if (w == "tomorrow") return {day_from_today(today, 1, role)};
  if (w == "yesterday") return {day_from_today(today, -1, role)};
  if (w == "eow") return {day_from_today(today, (7 - today.weekday) % 7, role)};  // to Sunday
  if (w == "eom")
    return {local_day(today.year, today.month, days_in_month(today.year, today.month), role)};
  if (auto wd = weekday_named(w)) {
    if (role == DateRole::deadline) {
      const int ahead = (*wd - today.weekday + 7) % 7;
      return {day_from_today(today, ahead == 0 ? 7 : ahead, role)};  // strictly after today
    }
    return {day_from_today(today, -((today.weekday - *wd + 7) % 7), role)};  // today included
  }
  const auto words = words_of(w);
  if (words.size() == 2 && (words[0] == "next" || words[0] == "last")) {
    if (auto wd = weekday_named(words[1])) {
      if (words[0] == "next") {
        const int ahead = (*wd - today.weekday + 7) % 7;
        return {day_from_today(today, ahead == 0 ? 7 : ahead, role)};
      }
      const int back = (today.weekday - *wd + 7) % 7;
      return {day_from_today(today, -(back == 0 ? 7 : back), role)};
    }
  }
  // `in 3 days`, `2 weeks ago`: the same as +3d and -2w.
  if (words.size() == 3 && words[0] == "in" && count_of(words[1]) && unit_of(words[2]))
    return {parse_offset("+" + words[1] + *unit_of(words[2]), now)};
  if (words.size() == 3 && words[2] == "ago" && count_of(words[0]) && unit_of(words[1]))
    return {parse_offset("-" + words[0] + *unit_of(words[1]), now)};
  if (auto t = parse_working_days(w, now, role, calendar)) return {*t};
  bool looked_like_date = false;
  if (auto t = parse_local_date_time(text, role, looked_like_date)) return {*t};
  if (auto t = parse_rfc3339(text)) return {*t};
  if (looked_like_date && text.size() == 10) {
    fail(ErrorKind::usage, "'" + text + "' is not a day of the calendar");
  }
  if (auto t = parse_offset(w, now)) return {*t};
  return bad();
}

bool tz_is_known(const char* tz) {
  if (tz == nullptr || *tz == '\0') return true;  // unset or empty: UTC, as asked
  std::string_view name(tz);
  if (name.front() == ':') name.remove_prefix(1);
  if (name.empty()) return true;
  std::error_code ec;
  if (name.front() == '/') return std::filesystem::is_regular_file(std::string(name), ec);
  const char* dir = std::getenv("TZDIR");
  const std::string base = dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
  if (name.find("..") == std::string_view::npos &&
      std::filesystem::is_regular_file(base + "/" + std::string(name), ec))
    return true;
  // A POSIX rule (EST5EDT, UTC0, <+03>-3): a name of 3 or more letters, or
  // one in angle brackets, then an offset.
  std::size_t pos = 0;
  if (name.front() == '<') {
    pos = name.find('>');
    if (pos == std::string_view::npos) return false;
    ++pos;
  } else {
    while (pos < name.size() && std::isalpha(static_cast<unsigned char>(name[pos])))
      ++pos;
    if (pos < 3) return false;
  }
  if (pos < name.size() && (name[pos] == '+' || name[pos] == '-')) ++pos;
  return pos < name.size() && std::isdigit(static_cast<unsigned char>(name[pos]));
}

Time current_time(const char* mend_now_env) {
  if (mend_now_env != nullptr && *mend_now_env != '\0') {
    if (auto t = parse_rfc3339(mend_now_env)) {
      check_time(*t, std::string("MEND_NOW='") + mend_now_env + "'", ErrorKind::usage);
      return *t;
    }
    fail(ErrorKind::usage, std::string("MEND_NOW='") + mend_now_env +
                               "' is not an RFC 3339 time like 2026-11-23T14:05:00Z");
  }
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mend
