// The config file through toml++, header-only in this one translation unit:
// libtomlplusplus.so would load libstdc++.so at every start (mend links it
// statically), and no other file pays for parsing the header.
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#define TOML_ENABLE_WINDOWS_COMPAT 0
#include "core/config_file.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/errors.hpp"
#include "core/location.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace mend {
namespace {

// How a value's type is named in a message.
std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "true or false";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date and time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

int line_of(const toml::node& n, int fallback) {
  const auto line = static_cast<int>(n.source().begin.line);
  return line > 0 ? line : fallback;
}

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void error(int line, const std::string& what) const {
    fail(ErrorKind::usage, std::string(source_) + ":" + std::to_string(line) + ": " + what);
  }

  // A string value, trimmed; `example` shows the form in the message.
  std::string text(const std::string& k, const toml::node& n, int line,
                   const std::string& example) const {
    const auto* s = n.as_string();
    if (s == nullptr)
      error(line, "'" + k + "' takes a quoted string, like " + k + " = " + example + ", not " +
                      type_name(n));
    return trimmed(s->get());
  }

  std::string one_line(const std::string& k, const toml::node& n, int line,
                       const std::string& example) const {
    std::string v = text(k, n, line, example);
    if (std::any_of(v.begin(), v.end(),
                    [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }))
      error(line, k + " must be one line, without control characters");
    return v;
  }

  // An array of strings, each trimmed; the line of each element is kept.
  std::vector<std::pair<std::string, int>> strings(const std::string& k, const toml::node& n,
                                                   int line, const std::string& example) const {
    const auto* a = n.as_array();
    if (a == nullptr)
      error(line, k + " takes an array, like " + k + " = " + example + ", not " + type_name(n));
    std::vector<std::pair<std::string, int>> out;
    for (const auto& item : *a) {
      const int at = line_of(item, line);
      const auto* s = item.as_string();
      if (s == nullptr)
        error(at, "the array of '" + k + "' may hold only quoted strings, not " + type_name(item));
      out.emplace_back(trimmed(s->get()), at);
    }
    return out;
  }

 private:
  std::string_view source_;
};

std::optional<std::size_t> weekday_index(const std::string& w) {
  static constexpr std::string_view kDays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                               "thursday", "friday", "saturday"};
  for (std::size_t i = 0; i < 7; ++i)
    if (w == kDays[i] || w == kDays[i].substr(0, 3)) return i;
  return std::nullopt;
}

// toml++ 3.3 (Debian 12) reaches __builtin_unreachable on many non-ASCII
// characters (its whitespace table is wrong; found by fuzz_config), so it
// never sees one: in "basic strings" they become \u escapes, in comments
// '?', and anywhere else (where TOML allows none, or in 'literal strings')
// the file is refused.
std::string ascii_for_toml(std::string_view text, const Reader& r) {
  std::string ascii;
  ascii.reserve(text.size());
  int line = 1;
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // a byte order mark
  char in = 0;  // 0, '"' or '\'' (a string), '#' (a comment)
  bool multi = false;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x80) {
      std::size_t len = 1;
      const auto cp = decode_utf8(text, i, len);
      if (cp < 0) r.error(line, "not valid TOML: the file is not valid UTF-8");
      if (in == '"') {
        char esc[16];
        std::snprintf(esc, sizeof esc, cp > 0xFFFF ? "\\U%08X" : "\\u%04X",
                      static_cast<unsigned>(cp));
        ascii += esc;
      } else if (in == '#') {
        ascii += '?';
      } else {
        r.error(line, in == '\''
                          ? "not valid here: write text beyond ASCII in a \"double-quoted\" string"
                          : "not valid TOML: a character beyond ASCII outside a string");
      }
      i += len;
      continue;
    }
    const char c = text[i];
    if (c == '\n') {
      ++line;
      if (in == '#' || (in != 0 && !multi)) in = 0;
    } else if (in == 0 && c == '#') {
      in = '#';
    } else if (in == 0 && (c == '"' || c == '\'')) {
      multi = text.substr(i, 3) == std::string(3, c);
      in = c;
      ascii.append(text.substr(i, multi ? 3 : 1));
      i += multi ? 3 : 1;
      continue;
    } else if (in == '"' && c == '\\' && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) < 0x80) {
      ascii.append(text.substr(i, 2));
      if (text[i + 1] == '\n') ++line;
      i += 2;
      continue;
    } else if ((in == '"' || in == '\'') && c == in &&
               (!multi || text.substr(i, 3) == std::string(3, c))) {
      ascii.append(text.substr(i, multi ? 3 : 1));
      i += multi ? 3 : 1;
      in = 0;
      continue;
    }
    ascii += c;
    ++i;
  }
  return ascii;
}

// `holidays`: days ("2026-12-25" or an unquoted TOML date) and ranges
// ("2026-12-28..2027-01-01").
std::vector<WorkCalendar::Range> read_holidays(const Reader& r, const toml::node& n, int line) {
  const auto* a = n.as_array();
  if (a == nullptr)
    r.error(line,
            "holidays takes an array, like holidays = [\"2026-12-25\", "
            "\"2026-12-28..2027-01-01\"], not " +
                type_name(n));
  std::vector<WorkCalendar::Range> ranges;
  for (const auto& item : *a) {
    const int at = line_of(item, line);
    if (const auto* d = item.as_date()) {  // an unquoted TOML date: 2026-12-25
      const auto day = civil_day(d->get().year, d->get().month, d->get().day);
      ranges.push_back({day, day});
      continue;
    }
    const auto* s = item.as_string();
    if (s == nullptr)
      r.error(at, "holidays holds " + type_name(item) +
                      "; write days as \"2026-12-25\" and ranges as "
                      "\"2026-12-28..2027-01-01\"");
    const std::string t = trimmed(s->get());
    const auto dots = t.find("..");
    const auto first = parse_civil_day(trimmed(t.substr(0, dots)));
    const auto last =
        dots == std::string::npos ? first : parse_civil_day(trimmed(t.substr(dots + 2)));
    if (!first || !last)
      r.error(at, "holidays holds '" + t +
                      "'; write days as \"2026-12-25\" and ranges as "
                      "\"2026-12-28..2027-01-01\"");
    if (*last < *first) r.error(at, "the holiday range '" + t + "' ends before it starts");
    ranges.push_back({*first, *last});
  }
  return ranges;
}

struct Entry {
  std::string key;
  const toml::node* node;
  int line;
};

// toml++ keeps keys sorted by name: they are read in the order of the file,
// so that the first mistake reported is the first one in the file.
std::vector<Entry> entries_in_file_order(const toml::table& doc) {
  std::vector<Entry> entries;
  for (const auto& [key, node] : doc) {
    const auto key_line = static_cast<int>(key.source().begin.line);
    entries.push_back({std::string(key.str()), &node, key_line > 0 ? key_line : line_of(node, 1)});
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.line < b.line; });
  return entries;
}

// Reads one top-level key into `v`. One flat branch per key, over 80 lines on
// purpose: each key's checks and messages read top to bottom in one place.
void read_key(const Reader& r, const std::string& k, const toml::node& n, int line,
              ConfigValues& v) {
  if (k == "due_in") {
    v.due_in = r.text(k, n, line, "\"2bd\"");
  } else if (k == "followup_in") {
    v.followup_in = r.text(k, n, line, "\"+3d\"");
  } else if (k == "currency") {
    const std::string c = r.text(k, n, line, "\"EUR\"");
    if (c.size() != 3 ||
        !std::all_of(c.begin(), c.end(), [](unsigned char ch) { return std::isalpha(ch); }))
      r.error(line, "currency takes a three-letter code like \"EUR\", not '" + c + "'");
    std::string upper = c;
    for (auto& ch : upper)
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    v.currency = upper;
  } else if (k == "business_name") {
    const std::string name = r.one_line(k, n, line, "\"Ada's Vases\"");
    if (!name.empty()) v.business_name = name;
  } else if (k == "categories") {
    std::vector<std::string> list;
    for (const auto& [raw, at] : r.strings(k, n, line, "[\"product\", \"billing\"]")) {
      const std::string c = lowercase(raw);
      if (c.empty() || c.find_first_of("\r\n") != std::string::npos)
        r.error(at, "categories holds an empty or multi-line name");
      if (std::find(list.begin(), list.end(), c) == list.end()) list.push_back(c);
    }
    v.categories = std::move(list);
  } else if (k == "workdays") {
    std::array<bool, 7> days{};
    for (const auto& [raw, at] : r.strings(k, n, line, "[\"mon\", \"tue\", \"wed\"]")) {
      const auto i = weekday_index(lowercase(raw));
      if (!i) r.error(at, "workdays holds '" + raw + "'; the days are mon, tue, ... sun");
      days[*i] = true;
    }
    if (std::none_of(days.begin(), days.end(), [](bool d) { return d; }))
      r.error(line, "workdays needs at least one day, like workdays = [\"mon\", \"tue\"]");
    v.workdays = days;
  } else if (k == "holidays") {
    v.holidays = read_holidays(r, n, line);
  } else if (k == "from") {
    const std::string from = r.one_line(k, n, line, "\"Shop Name <me@shop.example>\"");
    if (from.find('@') == std::string::npos)
      r.error(line, "from takes a sender like \"Shop Name <me@shop.example>\", not '" + from + "'");
    v.from = from;
  } else if (k == "addresses") {
    std::vector<std::string> list;
    for (const auto& [a, at] : r.strings(k, n, line, "[\"me@shop.example\"]")) {
      if (a.find('@') == std::string::npos || a.find_first_of(" \t\r\n<>,;") != std::string::npos)
        r.error(at, "addresses holds '" + a + "', which is not an address like me@shop.example");
      list.push_back(a);
    }
    v.addresses = std::move(list);
  } else if (k == "sendmail") {
    const std::string cmd = r.one_line(k, n, line, "\"/usr/sbin/sendmail -t -i\"");
    if (cmd.empty()) r.error(line, "sendmail is empty; leave it out for /usr/sbin/sendmail -t -i");
    v.sendmail = cmd;
  } else if (k == "max_attachment") {
    const auto* i = n.as_integer();
    if (i == nullptr)
      r.error(line,
              "max_attachment takes a number of bytes, like max_attachment = 26214400, "
              "not " +
                  type_name(n));
    const std::int64_t bytes = i->get();
    if (bytes < 1 || bytes > kMaxAttachmentLimit)
      r.error(line, "max_attachment takes 1 to " + std::to_string(kMaxAttachmentLimit) +
                        " bytes, not " + std::to_string(bytes));
    v.max_attachment = bytes;
  } else if (k == "user") {
    const std::string user = r.one_line(k, n, line, "\"Ada\"");
    if (user.empty()) r.error(line, "user is empty; leave it out or give a name");
    v.user = user;
  } else if (k == "database") {
    const std::string db = r.one_line(k, n, line, "\"~/shop/cases.db\"");
    if (!(db.rfind('/', 0) == 0 || db.rfind("~/", 0) == 0 || is_postgres_location(db)))
      r.error(line,
              "database takes an absolute path, a path under ~/, a postgresql:// URI "
              "or service=NAME, "
              "not '" +
                  db + "'");
    v.database = db;
  } else {
    const bool table = n.is_table();
    r.error(line, "unknown key '" + k + "'" +
                      (table ? " (a table or dotted key; mend's keys are all at the top level: "
                             : " (keys: ") +
                      kConfigKeys + ")");
  }
}

}  // namespace

ConfigValues parse_config(std::string_view text, std::string_view source) {
  const Reader r(source);
  const std::string ascii = ascii_for_toml(text, r);
  text = ascii;
  toml::table doc;
  try {
    doc = toml::parse(text, std::string_view(source));
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    if (!what.empty())
      what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    r.error(std::max(1, static_cast<int>(e.source().begin.line)), "not valid TOML: " + what);
  }

  ConfigValues v;
  int due_line = 0, followup_line = 0;
  for (const auto& [k, node, line] : entries_in_file_order(doc)) {
    if (k == "due_in") due_line = line;
    if (k == "followup_in") followup_line = line;
    read_key(r, k, *node, line, v);
  }

  // The WHEN words last: `2bd` counts with this file's workdays and holidays.
  WorkCalendar calendar;
  if (v.workdays) calendar.workdays = *v.workdays;
  if (v.holidays) calendar.holidays = *v.holidays;
  auto check_when = [&](const char* k, const std::string& w, int line, bool allow_never) {
    try {
      parse_when(w, 0, DateRole::deadline, allow_never, calendar);
    } catch (const Error& e) {
      r.error(line, std::string(k) + ": " + e.what());
    }
  };
  if (v.due_in) check_when("due_in", *v.due_in, due_line, false);
  if (v.followup_in) check_when("followup_in", *v.followup_in, followup_line, true);
  return v;
}

}  // namespace mend
