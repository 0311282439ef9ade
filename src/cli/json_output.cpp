#include "cli/json_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/utf8.hpp"

namespace mend::cli {
namespace {

Json opt_string(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

}  // namespace

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

Json case_json(const Case& c, bool with_events) {
  std::string text;
  append_case_json(text, c, with_events);
  return Json::parse(text);
}

}  // namespace mend::cli
