#include "cli/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include <utf8proc.h>

#include "core/errors.hpp"
#include "core/utf8.hpp"

namespace mend::cli {
namespace {

// Columns a code point takes, from utf8proc's tables (Unicode's East Asian
// Width and emoji presentation): 2 for wide ones (CJK, most emoji), 0 for
// combining marks and zero-width characters. ASCII needs no table.
int codepoint_width(std::int32_t cp) {
  if (cp < 0x7F) return cp == 0 ? 0 : 1;
  return static_cast<int>(utf8proc_charwidth(cp));
}

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

Json opt_string(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

}  // namespace

namespace {

enum class Layout { line, multiline, document };

std::string neutralised(std::string_view s, Layout layout) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    if (cp < 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else if (cp == '\n' && layout != Layout::line) {
      out += '\n';
    } else if (cp == '\r' && layout == Layout::document && i + 1 < s.size() && s[i + 1] == '\n') {
      out += '\r';
    } else if (cp == '\t') {
      out += layout == Layout::document ? "\t" : layout == Layout::multiline ? "    " : " ";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += '^';
      out += static_cast<char>(cp == 0x7F ? '?' : cp + 0x40);
    } else if ((cp >= 0x80 && cp <= 0x9F) || is_bidi_or_separator(cp)) {
      out += fmt::format("<U+{:04X}>", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

}  // namespace

std::string safe(std::string_view s, bool multiline) {
  return neutralised(s, multiline ? Layout::multiline : Layout::line);
}

std::string html_text(std::string_view raw, bool multiline) {
  std::string out;
  for (char c : safe(raw, multiline)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case ':':
        out += "&#58;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string terminal_document(std::string_view s) {
  return neutralised(s, Layout::document);
}

int display_width(std::string_view s) {
  int width = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    if (cp == 0x1B) {  // our own colour codes: skip to the final 'm'
      const auto end = s.find('m', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    width += cp < 0 ? 1 : codepoint_width(cp);
    i += len;
  }
  return width;
}

std::string fit(std::string_view s, int width) {
  if (display_width(s) <= width) return std::string(s);
  if (width <= 0) return {};
  std::string out;
  int used = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    const int w = cp < 0 ? 1 : codepoint_width(cp);
    if (used + w > width - 1) break;
    out.append(s.substr(i, len));
    used += w;
    i += len;
  }
  return out + "…";
}

std::string pad(std::string_view s, int width) {
  std::string out(s);
  const int w = display_width(s);
  if (w < width) out.append(static_cast<std::size_t>(width - w), ' ');
  return out;
}

std::string dump_json(const Json& value) {
  std::string raw = value.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
  // Plain ASCII (the usual case) has nothing more to escape.
  if (std::all_of(raw.begin(), raw.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) < 0x7F; }))
    return raw;
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t len = 1;
    const auto cp = decode_utf8(raw, i, len);
    if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || is_bidi_or_separator(cp)) {
      out += fmt::format("\\u{:04x}", cp);
    } else {
      out.append(raw, i, len);
    }
    i += len;
  }
  return out;
}

// Printable ASCII without quotes or backslashes, and well-formed UTF-8 that
// dump_json would leave as it is (past U+009F, no bidi control or line
// separator), go straight in; anything else through dump_json.
void append_json_string(std::string& out, std::string_view s) {
  bool plain = true;
  for (std::size_t i = 0; plain && i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      plain = b >= 0x20 && b < 0x7F && b != '"' && b != '\\';
      ++i;
      continue;
    }
    std::size_t len = 1;
    const auto cp = decode_utf8(s, i, len);
    plain = cp >= 0xA0 && !is_bidi_or_separator(cp);
    i += len;
  }
  if (plain) {
    out += '"';
    out.append(s);
    out += '"';
  } else {
    out += dump_json(Json(std::string(s)));
  }
}

namespace {

void append_opt_string(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    append_json_string(out, *s);
  } else {
    out += "null";
  }
}

void append_time(std::string& out, std::optional<Time> t) {
  if (t) {
    out += '"';
    out += format_utc(*t);
    out += '"';
  } else {
    out += "null";
  }
}

}  // namespace

void append_int(std::string& out, std::int64_t v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

void append_case_json(std::string& out, const Case& c, bool with_events) {
  out += "{\"id\":";
  append_int(out, c.id);
  out += ",\"status\":";
  append_json_string(out, c.status);
  out += ",\"customer\":{\"id\":";
  append_int(out, c.customer.id);
  out += ",\"name\":";
  append_json_string(out, c.customer.name);
  out += ",\"email\":";
  append_opt_string(out, c.customer.email);
  out += ",\"phone\":";
  append_opt_string(out, c.customer.phone);
  out += "},\"summary\":";
  append_json_string(out, c.summary);
  out += ",\"complaint\":";
  append_opt_string(out, c.complaint);
  out += ",\"wants\":";
  append_opt_string(out, c.wants);
  out += ",\"channel\":";
  append_json_string(out, c.channel);
  out += ",\"category\":";
  append_json_string(out, c.category);
  out += ",\"priority\":";
  append_json_string(out, c.priority);
  out += ",\"reference\":";
  append_opt_string(out, c.reference);
  out += ",\"tags\":[";
  for (std::size_t i = 0; i < c.tags.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, c.tags[i]);
  }
  out += "],\"opened_at\":";
  append_time(out, c.opened_at);
  out += ",\"due_at\":";
  append_time(out, c.due_at);
  out += ",\"resolved_at\":";
  append_time(out, c.resolved_at);
  out += ",\"followup_at\":";
  append_time(out, c.followup_at);
  out += ",\"closed_at\":";
  append_time(out, c.closed_at);
  out += ",\"resolution\":";
  if (c.resolution) {
    const auto& r = *c.resolution;
    out += "{\"outcome\":";
    append_json_string(out, r.outcome);
    out += ",\"text\":";
    append_opt_string(out, r.text);
    out += ",\"amount_cents\":";
    if (r.amount_cents) {
      append_int(out, *r.amount_cents);
    } else {
      out += "null";
    }
    out += ",\"currency\":";
    append_json_string(out, r.currency);
    out += ",\"fault\":";
    append_json_string(out, r.fault);
    out += ",\"cause\":";
    append_opt_string(out, r.cause);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"satisfaction\":";
  if (c.satisfaction) {
    append_int(out, *c.satisfaction);
  } else {
    out += "null";
  }
  out += ",\"owner\":";
  append_opt_string(out, c.owner);
  if (with_events) {
    out += ",\"events\":[";
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      const auto& e = c.events[i];
      out += i == 0 ? "{\"at\":\"" : ",{\"at\":\"";
      out += format_utc(e.at);
      out += "\",\"kind\":";
      append_json_string(out, e.kind);
      out += ",\"text\":";
      append_json_string(out, e.text);
      out += ",\"by\":";
      append_opt_string(out, e.by);
      out += ",\"message\":";
      if (e.message) {
        const auto& m = *e.message;
        out += "{\"id\":";
        append_opt_string(out, m.id);
        out += ",\"from\":";
        append_opt_string(out, m.from);
        out += ",\"to\":";
        append_opt_string(out, m.to);
        out += ",\"subject\":";
        append_opt_string(out, m.subject);
        out += ",\"direction\":";
        append_json_string(out, m.direction);
        out += '}';
      } else {
        out += "null";
      }
      out += '}';
    }
    out += "],\"attachments\":[";
    for (std::size_t i = 0; i < c.attachments.size(); ++i) {
      const auto& a = c.attachments[i];
      out += i == 0 ? "{\"name\":" : ",{\"name\":";
      append_json_string(out, a.name);
      out += ",\"type\":";
      append_json_string(out, a.type);
      out += ",\"size\":";
      append_int(out, a.size);
      out += ",\"sha256\":";
      append_json_string(out, a.sha256);
      out += ",\"at\":\"";
      out += format_utc(a.at);
      out += "\"}";
    }
    out += ']';
  }
  out += '}';
}

Json json_time(std::optional<Time> t) {
  return t ? Json(format_utc(*t)) : Json(nullptr);
}

Json customer_json(const Customer& c) {
  Json j;
  j["id"] = c.id;
  j["name"] = c.name;
  j["email"] = opt_string(c.email);
  j["phone"] = opt_string(c.phone);
  return j;
}

// The one writer of a case's JSON is append_case_json; callers that add keys
// (show's history) get it as a tree.
Json case_json(const Case& c, bool with_events) {
  std::string text;
  append_case_json(text, c, with_events);
  return Json::parse(text);
}

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

void Printer::setup(std::FILE* stream, bool color, bool is_tty, int width) {
  stream_ = stream;
  color_ = color;
  is_tty_ = is_tty;
  width_ = width;
}

void Printer::check() {
  if (std::ferror(stream_)) {
    if (errno == EPIPE) throw OutputClosed{};
    const int saved = errno;
    std::clearerr(stream_);
    fail(ErrorKind::io, std::string("cannot write to stdout: ") + std::strerror(saved));
  }
}

void Printer::write(std::string_view text) {
  if (text.empty()) return;
  std::fwrite(text.data(), 1, text.size(), stream_);
  check();
}

void Printer::finish() {
  errno = 0;
  std::fflush(stream_);
  check();
}

std::string Printer::paint(std::string_view text, Style style) const {
  if (!color_ || style == Style::plain || text.empty()) return std::string(text);
  const char* code = "";
  switch (style) {
    case Style::bold:
      code = "1";
      break;
    case Style::dim:
      code = "2";
      break;
    case Style::red:
      code = "31";
      break;
    case Style::green:
      code = "32";
      break;
    case Style::yellow:
      code = "33";
      break;
    case Style::blue:
      code = "34";
      break;
    case Style::magenta:
      code = "35";
      break;
    case Style::cyan:
      code = "36";
      break;
    case Style::plain:
      break;
  }
  return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

}  // namespace mend::cli
