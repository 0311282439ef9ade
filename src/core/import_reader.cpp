#include "core/import_reader.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace mend {
namespace {

using Json = nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& what) {
  fail(ErrorKind::data, "field '" + field + "': " + what);
}

const char* type_words(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "true or false";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number with a fraction";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    default:
      return "something else";
  }
}

[[noreturn]] void wrong_type(const std::string& field, const char* expected, const Json& v) {
  bad(field, std::string("expected ") + expected + ", not " + type_words(v));
}

std::string path(const std::string& parent, const char* key) {
  return parent.empty() ? std::string(key) : parent + "." + key;
}

// The member `key` of `obj`, or nullptr when it is missing.
const Json* member(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

const Json& required(const Json& obj, const std::string& parent, const char* key) {
  const Json* v = member(obj, key);
  if (v == nullptr) fail(ErrorKind::data, "field '" + path(parent, key) + "' is missing");
  return *v;
}

std::string string_of(const Json& v, const std::string& field) {
  if (!v.is_string()) wrong_type(field, "a string", v);
  return v.get<std::string>();
}

std::string required_string(const Json& obj, const std::string& parent, const char* key) {
  return string_of(required(obj, parent, key), path(parent, key));
}

std::optional<std::string> optional_string(const Json& obj, const std::string& parent,
                                           const char* key) {
  const Json* v = member(obj, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return string_of(*v, path(parent, key));
}

std::int64_t integer_of(const Json& v, const std::string& field) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) bad(field, "the number is too large");
    return static_cast<std::int64_t>(u);
  }
  if (!v.is_number_integer()) wrong_type(field, "an integer", v);
  return v.get<std::int64_t>();
}

std::int64_t required_id(const Json& obj, const std::string& parent, const char* key) {
  const auto field = path(parent, key);
  const auto id = integer_of(required(obj, parent, key), field);
  if (id < 1) bad(field, std::to_string(id) + " is not an id (ids start at 1)");
  return id;
}

template <std::size_t N>
std::string required_enum(const Json& obj, const std::string& parent, const char* key,
                          const std::array<std::string_view, N>& allowed) {
  const auto field = path(parent, key);
  auto value = string_of(required(obj, parent, key), field);
  if (!is_one_of(value, allowed))
    bad(field, "'" + value + "' is not one of " + join_values(allowed));
  return value;
}

Time time_of(const Json& v, const std::string& field) {
  const auto text = string_of(v, field);
  const auto t = parse_rfc3339(text);
  if (!t) bad(field, "'" + text + "' is not an RFC 3339 time like 2026-11-23T14:05:00Z");
  return *t;
}

std::optional<Time> optional_time(const Json& obj, const std::string& parent, const char* key) {
  const Json* v = member(obj, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return time_of(*v, path(parent, key));
}

std::optional<std::string> contact(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

Customer read_customer(const Json& obj) {
  const Json& j = required(obj, "", "customer");
  if (!j.is_object()) wrong_type("customer", "an object", j);
  Customer c;
  c.id = required_id(j, "customer", "id");
  c.name = required_string(j, "customer", "name");
  if (c.name.empty()) bad("customer.name", "must not be empty");
  c.email = contact(optional_string(j, "customer", "email"));
  c.phone = contact(optional_string(j, "customer", "phone"));
  return c;
}

std::optional<Resolution> read_resolution(const Json& obj) {
  const Json* j = member(obj, "resolution");
  if (j == nullptr || j->is_null()) return std::nullopt;
  if (!j->is_object()) wrong_type("resolution", "an object or null", *j);
  Resolution r;
  r.outcome = required_enum(*j, "resolution", "outcome", kOutcomes);
  r.text = optional_string(*j, "resolution", "text");
  if (const Json* a = member(*j, "amount_cents"); a != nullptr && !a->is_null())
    r.amount_cents = integer_of(*a, "resolution.amount_cents");
  r.currency = required_string(*j, "resolution", "currency");
  if (r.currency.empty()) bad("resolution.currency", "must not be empty");
  r.fault = required_enum(*j, "resolution", "fault", kFaults);
  r.cause = optional_string(*j, "resolution", "cause");
  return r;
}

std::vector<std::string> read_tags(const Json& obj) {
  const Json& j = required(obj, "", "tags");
  if (!j.is_array()) wrong_type("tags", "an array", j);
  std::vector<std::string> tags;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto field = "tags[" + std::to_string(i) + "]";
    auto tag = string_of(j[i], field);
    if (tag.empty() || tag.find_first_of(" \t\r\n,") != std::string::npos)
      bad(field, "'" + tag + "' is not one word");
    tags.push_back(std::move(tag));
  }
  return tags;
}

std::vector<Event> read_events(const Json& obj) {
  const Json& j = required(obj, "", "events");
  if (!j.is_array()) wrong_type("events", "an array", j);
  std::vector<Event> events;
  events.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto field = "events[" + std::to_string(i) + "]";
    const Json& e = j[i];
    if (!e.is_object()) wrong_type(field, "an object", e);
    Event ev;
    ev.at = time_of(required(e, field, "at"), path(field, "at"));
    ev.kind = required_enum(e, field, "kind", kEventKinds);
    ev.text = required_string(e, field, "text");
    events.push_back(std::move(ev));
  }
  return events;
}

}  // namespace

Case parse_import_line(std::string_view line) {
  Json j;
  try {
    j = Json::parse(line.begin(), line.end());
  } catch (const Json::exception& e) {
    // A syntax error, or a number too large for any type (out_of_range.406):
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." without the tag.
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
    fail(ErrorKind::data, "not valid JSON: " + what);
  }
  if (!j.is_object())
    fail(ErrorKind::data, std::string("expected a JSON object, not ") + type_words(j));
  Case c;
  c.id = required_id(j, "", "id");
  c.status = required_enum(j, "", "status", kStatuses);
  c.customer = read_customer(j);
  c.summary = required_string(j, "", "summary");
  c.complaint = optional_string(j, "", "complaint");
  c.wants = optional_string(j, "", "wants");
  c.channel = required_enum(j, "", "channel", kChannels);
  c.category = required_string(j, "", "category");
  if (c.category.empty()) bad("category", "must not be empty");
  for (auto& ch : c.category)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.priority = required_enum(j, "", "priority", kPriorities);
  c.reference = optional_string(j, "", "reference");
  c.tags = read_tags(j);
  c.opened_at = time_of(required(j, "", "opened_at"), "opened_at");
  c.due_at = optional_time(j, "", "due_at");
  c.resolved_at = optional_time(j, "", "resolved_at");
  c.followup_at = optional_time(j, "", "followup_at");
  c.closed_at = optional_time(j, "", "closed_at");
  c.resolution = read_resolution(j);
  if (const Json* s = member(j, "satisfaction"); s != nullptr && !s->is_null()) {
    const auto v = integer_of(*s, "satisfaction");
    if (v < 1 || v > 5) bad("satisfaction", std::to_string(v) + " is not a score from 1 to 5");
    c.satisfaction = static_cast<int>(v);
  }
  c.events = read_events(j);
  // The status and the facts must agree, or reports would count nonsense.
  if (c.status != "open") {
    if (!c.resolved_at)
      bad("resolved_at", "a " + c.status + " case needs the time it was resolved");
    if (!c.resolution) bad("resolution", "a " + c.status + " case needs its resolution");
  }
  if (c.status == "closed" && !c.closed_at)
    bad("closed_at", "a closed case needs the time it was closed");
  return c;
}

}  // namespace mend
