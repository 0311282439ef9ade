#include "core/import_reader.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "core/config_file.hpp"
#include "core/digest.hpp"
#include "core/json_lite.hpp"
#include "core/limits.hpp"

namespace mend {
namespace {

// The reader below is written once against a small view of a JSON value and
// runs over two parsers: json_lite for the lines it understands (nearly all of
// them, without allocating), nlohmann::json for the rest and for the wording
// of syntax errors. Both views classify values alike, so both give the same
// Case and the same error for the same line.
enum class Kind { null, boolean, string, integer, unsigned_, floating, object, array, other };

// nlohmann's view.
class FullRef {
 public:
  explicit FullRef(const nlohmann::json& j) : j_(&j) {}
  Kind kind() const {
    using T = nlohmann::json::value_t;
    switch (j_->type()) {
      case T::null:
        return Kind::null;
      case T::boolean:
        return Kind::boolean;
      case T::string:
        return Kind::string;
      case T::number_integer:
        return Kind::integer;
      case T::number_unsigned:
        return Kind::unsigned_;
      case T::number_float:
        return Kind::floating;
      case T::object:
        return Kind::object;
      case T::array:
        return Kind::array;
      default:
        return Kind::other;
    }
  }
  bool find(const char* key, FullRef& out) const {
    const auto it = j_->find(key);
    if (it == j_->end()) return false;
    out = FullRef(*it);
    return true;
  }
  std::string_view text() const { return j_->get_ref<const std::string&>(); }
  std::int64_t integer() const { return j_->get<std::int64_t>(); }
  std::uint64_t unsigned_() const { return j_->get<std::uint64_t>(); }
  std::size_t size() const { return j_->size(); }
  template <class F>
  void each(F&& f) const {
    std::size_t i = 0;
    for (const auto& e : *j_)
      f(i++, FullRef(e));
  }

 private:
  const nlohmann::json* j_;
};

// json_lite's view: a node of a parsed document.
class LiteRef {
 public:
  LiteRef(const json_lite::Document& d, std::uint32_t i) : d_(&d), i_(i) {}
  Kind kind() const {
    switch (n().kind) {
      case json_lite::Kind::null:
        return Kind::null;
      case json_lite::Kind::boolean:
        return Kind::boolean;
      case json_lite::Kind::string:
        return Kind::string;
      case json_lite::Kind::integer:
        return Kind::integer;
      case json_lite::Kind::unsigned_:
        return Kind::unsigned_;
      case json_lite::Kind::object:
        return Kind::object;
      case json_lite::Kind::array:
        return Kind::array;
    }
    return Kind::other;
  }
  // The last member of that name wins, as in nlohmann::json.
  bool find(const char* key, LiteRef& out) const {
    const std::string_view wanted(key);
    bool found = false;
    std::uint32_t c = i_ + 1;
    for (std::uint32_t k = 0; k < n().count; ++k) {
      if (d_->node(c).key == wanted) {
        out = LiteRef(*d_, c);
        found = true;
      }
      c = d_->node(c).end;
    }
    return found;
  }
  std::string_view text() const { return n().text; }
  std::int64_t integer() const { return n().integer; }
  std::uint64_t unsigned_() const { return n().unsigned_; }
  std::size_t size() const { return n().count; }
  template <class F>
  void each(F&& f) const {
    std::uint32_t c = i_ + 1;
    for (std::uint32_t k = 0; k < n().count; ++k) {
      f(std::size_t{k}, LiteRef(*d_, c));
      c = d_->node(c).end;
    }
  }

 private:
  const json_lite::Node& n() const { return d_->node(i_); }
  const json_lite::Document* d_;
  std::uint32_t i_;
};

// A field's name, spelled out only when an error needs it:
// "id", "customer.name", "tags[2]", "events[3].kind".
struct Field {
  const char* parent = nullptr;
  std::size_t index = SIZE_MAX;  // SIZE_MAX: not an element of an array
  const char* key = nullptr;

  std::string name() const {
    std::string out;
    if (parent != nullptr) out = parent;
    if (index != SIZE_MAX) out += "[" + std::to_string(index) + "]";
    if (key != nullptr) {
      if (!out.empty()) out += ".";
      out += key;
    }
    return out;
  }
};

Field top(const char* key) {
  return Field{nullptr, SIZE_MAX, key};
}
Field in(const char* parent, const char* key) {
  return Field{parent, SIZE_MAX, key};
}
Field element(const char* array, std::size_t i, const char* key = nullptr) {
  return Field{array, i, key};
}

[[noreturn]] void bad(const Field& field, const std::string& what) {
  fail(ErrorKind::data, "field '" + field.name() + "': " + what);
}

const char* type_words(Kind k) {
  switch (k) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "true or false";
    case Kind::string:
      return "a string";
    case Kind::integer:
    case Kind::unsigned_:
      return "an integer";
    case Kind::floating:
      return "a number with a fraction";
    case Kind::object:
      return "an object";
    case Kind::array:
      return "an array";
    default:
      return "something else";
  }
}

template <class J>
[[noreturn]] void wrong_type(const Field& field, const char* expected, const J& v) {
  bad(field, std::string("expected ") + expected + ", not " + type_words(v.kind()));
}

template <class J>
J required(const J& obj, const Field& field) {
  J v = obj;
  if (!obj.find(field.key, v)) fail(ErrorKind::data, "field '" + field.name() + "' is missing");
  return v;
}

// The member, or false when it is missing or null.
template <class J>
bool present(const J& obj, const char* key, J& out) {
  return obj.find(key, out) && out.kind() != Kind::null;
}

template <class J>
std::string_view text_of(const J& v, const Field& field) {
  if (v.kind() != Kind::string) wrong_type(field, "a string", v);
  return v.text();
}

template <class J>
std::string required_string(const J& obj, const Field& field) {
  return std::string(text_of(required(obj, field), field));
}

template <class J>
std::optional<std::string> optional_string(const J& obj, const Field& field) {
  J v = obj;
  if (!present(obj, field.key, v)) return std::nullopt;
  return std::string(text_of(v, field));
}

template <class J>
std::int64_t integer_of(const J& v, const Field& field) {
  if (v.kind() == Kind::unsigned_) {
    const auto u = v.unsigned_();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) bad(field, "the number is too large");
    return static_cast<std::int64_t>(u);
  }
  if (v.kind() != Kind::integer) wrong_type(field, "an integer", v);
  return v.integer();
}

template <class J>
std::int64_t required_id(const J& obj, const Field& field) {
  const auto id = integer_of(required(obj, field), field);
  if (id < 1) bad(field, std::to_string(id) + " is not an id (ids start at 1)");
  return id;
}

template <class J, std::size_t N>
std::string required_enum(const J& obj, const Field& field,
                          const std::array<std::string_view, N>& allowed) {
  const auto value = text_of(required(obj, field), field);
  if (!is_one_of(value, allowed))
    bad(field, "'" + std::string(value) + "' is not one of " + join_values(allowed));
  return std::string(value);
}

template <class J>
Time time_of(const J& v, const Field& field) {
  const auto text = text_of(v, field);
  const auto t = parse_rfc3339(text);
  if (!t)
    bad(field, "'" + std::string(text) + "' is not an RFC 3339 time like 2026-11-23T14:05:00Z");
  return *t;
}

template <class J>
std::optional<Time> optional_time(const J& obj, const Field& field) {
  J v = obj;
  if (!present(obj, field.key, v)) return std::nullopt;
  return time_of(v, field);
}

std::optional<std::string> contact(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

template <class J>
Customer read_customer(const J& obj) {
  const J j = required(obj, top("customer"));
  if (j.kind() != Kind::object) wrong_type(top("customer"), "an object", j);
  Customer c;
  c.id = required_id(j, in("customer", "id"));
  c.name = required_string(j, in("customer", "name"));
  if (c.name.empty()) bad(in("customer", "name"), "must not be empty");
  c.email = contact(optional_string(j, in("customer", "email")));
  c.phone = contact(optional_string(j, in("customer", "phone")));
  return c;
}

template <class J>
std::optional<Resolution> read_resolution(const J& obj) {
  J j = obj;
  if (!present(obj, "resolution", j)) return std::nullopt;
  if (j.kind() != Kind::object) wrong_type(top("resolution"), "an object or null", j);
  Resolution r;
  r.outcome = required_enum(j, in("resolution", "outcome"), kOutcomes);
  r.text = optional_string(j, in("resolution", "text"));
  if (J a = j; present(j, "amount_cents", a))
    r.amount_cents = integer_of(a, in("resolution", "amount_cents"));
  r.currency = required_string(j, in("resolution", "currency"));
  if (r.currency.empty()) bad(in("resolution", "currency"), "must not be empty");
  r.fault = required_enum(j, in("resolution", "fault"), kFaults);
  r.cause = optional_string(j, in("resolution", "cause"));
  return r;
}

template <class J>
std::vector<std::string> read_tags(const J& obj) {
  const J j = required(obj, top("tags"));
  if (j.kind() != Kind::array) wrong_type(top("tags"), "an array", j);
  std::vector<std::string> tags;
  tags.reserve(j.size());
  j.each([&](std::size_t i, const J& e) {
    const auto field = element("tags", i);
    const auto tag = text_of(e, field);
    if (tag.empty() || tag.find_first_of(" \t\r\n,") != std::string_view::npos)
      bad(field, "'" + std::string(tag) + "' is not one word");
    tags.emplace_back(tag);
  });
  return tags;
}

template <class J>
std::vector<Event> read_events(const J& obj) {
  const J j = required(obj, top("events"));
  if (j.kind() != Kind::array) wrong_type(top("events"), "an array", j);
  std::vector<Event> events;
  events.reserve(j.size());
  j.each([&](std::size_t i, const J& e) {
    if (e.kind() != Kind::object) wrong_type(element("events", i), "an object", e);
    Event ev;
    ev.at = time_of(required(e, element("events", i, "at")), element("events", i, "at"));
    ev.kind = required_enum(e, element("events", i, "kind"), kEventKinds);
    ev.text = required_string(e, element("events", i, "text"));
    ev.by = optional_string(e, element("events", i, "by"));
    if (J m = e; present(e, "message", m)) {
      const std::string parent = "events[" + std::to_string(i) + "].message";
      if (m.kind() != Kind::object)
        wrong_type(element("events", i, "message"), "an object or null", m);
      Message msg;
      msg.id = optional_string(m, in(parent.c_str(), "id"));
      if (msg.id && msg.id->empty()) bad(in(parent.c_str(), "id"), "must not be empty");
      msg.from = optional_string(m, in(parent.c_str(), "from"));
      msg.to = optional_string(m, in(parent.c_str(), "to"));
      msg.subject = optional_string(m, in(parent.c_str(), "subject"));
      msg.direction = required_enum(m, in(parent.c_str(), "direction"), kDirections);
      ev.message = std::move(msg);
    }
    events.push_back(std::move(ev));
  });
  return events;
}

// Attachments as export writes them; absent or null reads as none.
template <class J>
std::vector<Attachment> read_attachments(const J& obj) {
  std::vector<Attachment> out;
  J j = obj;
  if (!present(obj, "attachments", j)) return out;
  if (j.kind() != Kind::array) wrong_type(top("attachments"), "an array", j);
  j.each([&](std::size_t i, const J& e) {
    if (e.kind() != Kind::object) wrong_type(element("attachments", i), "an object", e);
    Attachment a;
    a.name = required_string(e, element("attachments", i, "name"));
    if (a.name.empty() || a.name.size() > kMaxFileName)
      bad(element("attachments", i, "name"), "must be a name of 1 to 255 bytes");
    a.type = required_string(e, element("attachments", i, "type"));
    if (a.type.empty() || a.type.size() > kMaxFileName)
      bad(element("attachments", i, "type"), "must be a MIME type like image/png");
    a.size = integer_of(required(e, element("attachments", i, "size")),
                        element("attachments", i, "size"));
    if (a.size < 0 || a.size > kMaxAttachmentLimit)
      bad(element("attachments", i, "size"),
          "must be 0 to " + std::to_string(kMaxAttachmentLimit) + " bytes");
    a.sha256 = required_string(e, element("attachments", i, "sha256"));
    if (!is_sha256_hex(a.sha256))
      bad(element("attachments", i, "sha256"), "must be 64 lowercase hex digits");
    a.at = time_of(required(e, element("attachments", i, "at")), element("attachments", i, "at"));
    out.push_back(std::move(a));
  });
  return out;
}

template <class J>
Case read_case(const J& j) {
  if (j.kind() != Kind::object)
    fail(ErrorKind::data, std::string("expected a JSON object, not ") + type_words(j.kind()));
  Case c;
  c.id = required_id(j, top("id"));
  c.status = required_enum(j, top("status"), kStatuses);
  c.customer = read_customer(j);
  c.summary = required_string(j, top("summary"));
  c.complaint = optional_string(j, top("complaint"));
  c.wants = optional_string(j, top("wants"));
  c.channel = required_enum(j, top("channel"), kChannels);
  c.category = required_string(j, top("category"));
  if (c.category.empty()) bad(top("category"), "must not be empty");
  for (auto& ch : c.category)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.priority = required_enum(j, top("priority"), kPriorities);
  c.reference = optional_string(j, top("reference"));
  c.tags = read_tags(j);
  c.opened_at = time_of(required(j, top("opened_at")), top("opened_at"));
  c.due_at = optional_time(j, top("due_at"));
  c.resolved_at = optional_time(j, top("resolved_at"));
  c.followup_at = optional_time(j, top("followup_at"));
  c.closed_at = optional_time(j, top("closed_at"));
  c.resolution = read_resolution(j);
  if (J s = j; present(j, "satisfaction", s)) {
    const auto v = integer_of(s, top("satisfaction"));
    if (v < 1 || v > 5) bad(top("satisfaction"), std::to_string(v) + " is not a score from 1 to 5");
    c.satisfaction = static_cast<int>(v);
  }
  c.owner = optional_string(j, top("owner"));
  if (c.owner && c.owner->empty()) c.owner.reset();
  c.events = read_events(j);
  c.attachments = read_attachments(j);
  // The status and the facts must agree, or reports would count nonsense.
  if (c.status != "open") {
    if (!c.resolved_at)
      bad(top("resolved_at"), "a " + c.status + " case needs the time it was resolved");
    if (!c.resolution) bad(top("resolution"), "a " + c.status + " case needs its resolution");
  }
  if (c.status == "closed" && !c.closed_at)
    bad(top("closed_at"), "a closed case needs the time it was closed");
  // And nothing mend never writes: an open case has no remedy, no follow-up
  // and no score (reopen clears them; its timeline keeps the history); a
  // resolved one is not closed and has no score yet.
  if (c.status == "open") {
    if (c.resolution) bad(top("resolution"), "an open case has no resolution");
    if (c.resolved_at) bad(top("resolved_at"), "an open case has not been resolved");
    if (c.followup_at) bad(top("followup_at"), "an open case has no follow-up");
    if (c.closed_at) bad(top("closed_at"), "an open case has not been closed");
  }
  if (c.status != "closed" && c.satisfaction)
    bad(top("satisfaction"), "only a closed case has a satisfaction score");
  if (c.status == "resolved" && c.closed_at)
    bad(top("closed_at"), "a resolved case has not been closed");
  // Tags are one per case without regard to case (as the store keeps them):
  // refused rather than merged, so that what is imported exports the same.
  for (std::size_t i = 0; i < c.tags.size(); ++i) {
    for (std::size_t k = 0; k < i; ++k) {
      const auto& a = c.tags[k];
      const auto& b = c.tags[i];
      bool same = a.size() == b.size();
      for (std::size_t n = 0; same && n < a.size(); ++n)
        same = std::tolower(static_cast<unsigned char>(a[n])) ==
               std::tolower(static_cast<unsigned char>(b[n]));
      if (same)
        bad(element("tags", i),
            "'" + a + "' and '" + b + "' are the same tag (tags do not differ by case); keep one");
    }
  }
  check_case(c, ErrorKind::data);
  return c;
}

}  // namespace

Case parse_import_line_full(std::string_view line) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line.begin(), line.end());
  } catch (const nlohmann::json::exception& e) {
    // A syntax error, or a number too large for any type (out_of_range.406):
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." without the tag.
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
    fail(ErrorKind::data, "not valid JSON: " + what);
  }
  return read_case(FullRef(j));
}

std::optional<Case> parse_import_line_lite(std::string_view line) {
  thread_local json_lite::Document doc;
  if (!doc.parse(line)) return std::nullopt;
  return read_case(LiteRef(doc, 0));
}

Case parse_import_line(std::string_view line) {
  if (auto c = parse_import_line_lite(line)) return std::move(*c);
  return parse_import_line_full(line);
}

}  // namespace mend
