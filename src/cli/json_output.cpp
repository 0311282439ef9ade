#include "cli/json_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/case_fields.hpp"
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

namespace {

// `{"name":` and `,"name":`, the names from core/case_fields.hpp.
template <std::size_t N>
void open_with(std::string& out, const JsonField<N>& field) {
  out += '{';
  out += field.member();
}
template <std::size_t N>
void then(std::string& out, const JsonField<N>& field) {
  out += ',';
  out += field.member();
}

void append_opt_int(std::string& out, std::optional<std::int64_t> v) {
  if (v) {
    append_int(out, *v);
  } else {
    out += "null";
  }
}

void append_resolution(std::string& out, const std::optional<Resolution>& resolution) {
  if (!resolution) {
    out += "null";
    return;
  }
  const auto& r = *resolution;
  namespace f = resolution_field;
  open_with(out, f::outcome);
  append_json_string(out, spelling(r.outcome));
  then(out, f::text);
  append_opt_string(out, r.text);
  then(out, f::amount_cents);
  append_opt_int(out, r.amount_cents);
  then(out, f::currency);
  append_json_string(out, r.currency);
  then(out, f::fault);
  append_json_string(out, spelling(r.fault));
  then(out, f::cause);
  append_opt_string(out, r.cause);
  out += '}';
}

void append_message(std::string& out, const std::optional<Message>& message) {
  if (!message) {
    out += "null";
    return;
  }
  const auto& m = *message;
  namespace f = message_field;
  open_with(out, f::id);
  append_opt_string(out, m.id);
  then(out, f::from);
  append_opt_string(out, m.from);
  then(out, f::to);
  append_opt_string(out, m.to);
  then(out, f::subject);
  append_opt_string(out, m.subject);
  then(out, f::direction);
  append_json_string(out, spelling(m.direction));
  out += '}';
}

void append_events(std::string& out, const std::vector<Event>& events) {
  namespace f = event_field;
  out += '[';
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (i > 0) out += ',';
    open_with(out, f::at);
    append_time(out, e.at);
    then(out, f::kind);
    append_json_string(out, spelling(e.kind));
    then(out, f::text);
    append_json_string(out, e.text);
    then(out, f::by);
    append_opt_string(out, e.by);
    then(out, f::message);
    append_message(out, e.message);
    out += '}';
  }
  out += ']';
}

void append_attachments(std::string& out, const std::vector<Attachment>& attachments) {
  namespace f = attachment_field;
  out += '[';
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const auto& a = attachments[i];
    if (i > 0) out += ',';
    open_with(out, f::name);
    append_json_string(out, a.name);
    then(out, f::type);
    append_json_string(out, a.type);
    then(out, f::size);
    append_int(out, a.size);
    then(out, f::sha256);
    append_json_string(out, a.sha256);
    then(out, f::at);
    append_time(out, a.at);
    out += '}';
  }
  out += ']';
}

}  // namespace

void append_case_json(std::string& out, const Case& c, bool with_events) {
  namespace f = case_field;
  open_with(out, f::id);
  append_int(out, c.id);
  then(out, f::status);
  append_json_string(out, spelling(c.status));
  then(out, f::customer);
  open_with(out, customer_field::id);
  append_int(out, c.customer.id);
  then(out, customer_field::name);
  append_json_string(out, c.customer.name);
  then(out, customer_field::email);
  append_opt_string(out, c.customer.email);
  then(out, customer_field::phone);
  append_opt_string(out, c.customer.phone);
  out += '}';
  then(out, f::summary);
  append_json_string(out, c.summary);
  then(out, f::complaint);
  append_opt_string(out, c.complaint);
  then(out, f::wants);
  append_opt_string(out, c.wants);
  then(out, f::channel);
  append_json_string(out, spelling(c.channel));
  then(out, f::category);
  append_json_string(out, c.category);
  then(out, f::priority);
  append_json_string(out, spelling(c.priority));
  then(out, f::reference);
  append_opt_string(out, c.reference);
  then(out, f::tags);
  out += '[';
  for (std::size_t i = 0; i < c.tags.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, c.tags[i]);
  }
  out += ']';
  then(out, f::opened_at);
  append_time(out, c.opened_at);
  then(out, f::due_at);
  append_time(out, c.due_at);
  then(out, f::resolved_at);
  append_time(out, c.resolved_at);
  then(out, f::followup_at);
  append_time(out, c.followup_at);
  then(out, f::closed_at);
  append_time(out, c.closed_at);
  then(out, f::resolution);
  append_resolution(out, c.resolution);
  then(out, f::satisfaction);
  append_opt_int(out, c.satisfaction);
  then(out, f::owner);
  append_opt_string(out, c.owner);
  if (with_events) {
    then(out, f::events);
    append_events(out, c.events);
    then(out, f::attachments);
    append_attachments(out, c.attachments);
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
