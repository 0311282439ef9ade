#include "core/import_reader.hpp"

#include <string>

#include "core/case_fields.hpp"
#include "core/config_file.hpp"
#include "core/digest.hpp"
#include "core/json_lite.hpp"
#include "core/limits.hpp"

namespace mend {
namespace {

// A value of a parsed line: a node of json_lite's document.
using Kind = json_lite::Kind;

class Ref {
 public:
  Ref(const json_lite::Document& d, std::uint32_t i) : d_(&d), i_(i) {}
  Kind kind() const { return n().kind; }
  // The last member of that name wins.
  bool find(std::string_view key, Ref& out) const {
    bool found = false;
    std::uint32_t c = i_ + 1;
    for (std::uint32_t k = 0; k < n().count; ++k) {
      if (d_->node(c).key == key) {
        out = Ref(*d_, c);
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
      f(std::size_t{k}, Ref(*d_, c));
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
  std::string_view parent;
  std::size_t index = SIZE_MAX;  // SIZE_MAX: not an element of an array
  std::string_view key;          // empty: the element itself

  std::string name() const {
    std::string out(parent);
    if (index != SIZE_MAX) out += "[" + std::to_string(index) + "]";
    if (!key.empty()) {
      if (!out.empty()) out += ".";
      out += key;
    }
    return out;
  }
};

template <std::size_t K>
Field top(const JsonField<K>& key) {
  return Field{{}, SIZE_MAX, key.name()};
}
template <std::size_t P, std::size_t K>
Field in(const JsonField<P>& parent, const JsonField<K>& key) {
  return Field{parent.name(), SIZE_MAX, key.name()};
}
Field in(std::string_view parent, std::string_view key) {
  return Field{parent, SIZE_MAX, key};
}
template <std::size_t A>
Field element(const JsonField<A>& array, std::size_t i, std::string_view key = {}) {
  return Field{array.name(), i, key};
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
  }
  return "something else";
}

[[noreturn]] void wrong_type(const Field& field, const char* expected, const Ref& v) {
  bad(field, std::string("expected ") + expected + ", not " + type_words(v.kind()));
}

Ref required(const Ref& obj, const Field& field) {
  Ref v = obj;
  if (!obj.find(field.key, v)) fail(ErrorKind::data, "field '" + field.name() + "' is missing");
  return v;
}

// The member, or false when it is missing or null.
bool present(const Ref& obj, std::string_view key, Ref& out) {
  return obj.find(key, out) && out.kind() != Kind::null;
}

std::string_view text_of(const Ref& v, const Field& field) {
  if (v.kind() != Kind::string) wrong_type(field, "a string", v);
  return v.text();
}

std::string required_string(const Ref& obj, const Field& field) {
  return std::string(text_of(required(obj, field), field));
}

std::optional<std::string> optional_string(const Ref& obj, const Field& field) {
  Ref v = obj;
  if (!present(obj, field.key, v)) return std::nullopt;
  return std::string(text_of(v, field));
}

std::int64_t integer_of(const Ref& v, const Field& field) {
  if (v.kind() == Kind::unsigned_) {
    const auto u = v.unsigned_();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) bad(field, "the number is too large");
    return static_cast<std::int64_t>(u);
  }
  if (v.kind() != Kind::integer) wrong_type(field, "an integer", v);
  return v.integer();
}

std::int64_t required_id(const Ref& obj, const Field& field) {
  const auto id = integer_of(required(obj, field), field);
  if (id < 1) bad(field, std::to_string(id) + " is not an id (ids start at 1)");
  return id;
}

template <class E>
E required_enum(const Ref& obj, const Field& field) {
  const auto value = text_of(required(obj, field), field);
  const auto parsed = parse_spelling<E>(value);
  if (!parsed)
    bad(field, "'" + std::string(value) + "' is not one of " + join_values(Spelling<E>::words));
  return *parsed;
}

Time time_of(const Ref& v, const Field& field) {
  const auto text = text_of(v, field);
  const auto t = parse_rfc3339(text);
  if (!t)
    bad(field, "'" + std::string(text) + "' is not an RFC 3339 time like 2026-11-23T14:05:00Z");
  return *t;
}

std::optional<Time> optional_time(const Ref& obj, const Field& field) {
  Ref v = obj;
  if (!present(obj, field.key, v)) return std::nullopt;
  return time_of(v, field);
}

std::optional<std::string> contact(std::optional<std::string> v) {
  if (v && v->empty()) return std::nullopt;
  return v;
}

Customer read_customer(const Ref& obj) {
  const Ref j = required(obj, top(case_field::customer));
  if (j.kind() != Kind::object) wrong_type(top(case_field::customer), "an object", j);
  Customer c;
  c.id = required_id(j, in(case_field::customer, customer_field::id));
  c.name = required_string(j, in(case_field::customer, customer_field::name));
  if (c.name.empty()) bad(in(case_field::customer, customer_field::name), "must not be empty");
  c.email = contact(optional_string(j, in(case_field::customer, customer_field::email)));
  c.phone = contact(optional_string(j, in(case_field::customer, customer_field::phone)));
  return c;
}

std::optional<Resolution> read_resolution(const Ref& obj) {
  Ref j = obj;
  if (!present(obj, case_field::resolution.name(), j)) return std::nullopt;
  if (j.kind() != Kind::object) wrong_type(top(case_field::resolution), "an object or null", j);
  Resolution r;
  r.outcome = required_enum<Outcome>(j, in(case_field::resolution, resolution_field::outcome));
  r.text = optional_string(j, in(case_field::resolution, resolution_field::text));
  if (Ref a = j; present(j, resolution_field::amount_cents.name(), a))
    r.amount_cents = integer_of(a, in(case_field::resolution, resolution_field::amount_cents));
  r.currency = required_string(j, in(case_field::resolution, resolution_field::currency));
  if (r.currency.empty())
    bad(in(case_field::resolution, resolution_field::currency), "must not be empty");
  r.fault = required_enum<Fault>(j, in(case_field::resolution, resolution_field::fault));
  r.cause = optional_string(j, in(case_field::resolution, resolution_field::cause));
  return r;
}

std::vector<std::string> read_tags(const Ref& obj) {
  const Ref j = required(obj, top(case_field::tags));
  if (j.kind() != Kind::array) wrong_type(top(case_field::tags), "an array", j);
  std::vector<std::string> tags;
  tags.reserve(j.size());
  j.each([&](std::size_t i, const Ref& e) {
    const auto field = element(case_field::tags, i);
    const auto tag = text_of(e, field);
    if (tag.empty() || tag.find_first_of(" \t\r\n,") != std::string_view::npos)
      bad(field, "'" + std::string(tag) + "' is not one word");
    tags.emplace_back(tag);
  });
  return tags;
}

std::vector<Event> read_events(const Ref& obj) {
  const Ref j = required(obj, top(case_field::events));
  if (j.kind() != Kind::array) wrong_type(top(case_field::events), "an array", j);
  std::vector<Event> events;
  events.reserve(j.size());
  j.each([&](std::size_t i, const Ref& e) {
    if (e.kind() != Kind::object) wrong_type(element(case_field::events, i), "an object", e);
    Event ev;
    ev.at = time_of(required(e, element(case_field::events, i, event_field::at.name())),
                    element(case_field::events, i, event_field::at.name()));
    ev.kind = required_enum<EventKind>(e, element(case_field::events, i, event_field::kind.name()));
    ev.text = required_string(e, element(case_field::events, i, event_field::text.name()));
    ev.by = optional_string(e, element(case_field::events, i, event_field::by.name()));
    if (Ref m = e; present(e, event_field::message.name(), m)) {
      const std::string parent = "events[" + std::to_string(i) + "].message";
      if (m.kind() != Kind::object)
        wrong_type(element(case_field::events, i, event_field::message.name()), "an object or null",
                   m);
      Message msg;
      msg.id = optional_string(m, in(parent, message_field::id.name()));
      if (msg.id && msg.id->empty()) bad(in(parent, message_field::id.name()), "must not be empty");
      msg.from = optional_string(m, in(parent, message_field::from.name()));
      msg.to = optional_string(m, in(parent, message_field::to.name()));
      msg.subject = optional_string(m, in(parent, message_field::subject.name()));
      msg.direction = required_enum<Direction>(m, in(parent, message_field::direction.name()));
      ev.message = std::move(msg);
    }
    events.push_back(std::move(ev));
  });
  return events;
}

// Attachments as export writes them; absent or null reads as none.
std::vector<Attachment> read_attachments(const Ref& obj) {
  std::vector<Attachment> out;
  Ref j = obj;
  if (!present(obj, case_field::attachments.name(), j)) return out;
  if (j.kind() != Kind::array) wrong_type(top(case_field::attachments), "an array", j);
  j.each([&](std::size_t i, const Ref& e) {
    if (e.kind() != Kind::object) wrong_type(element(case_field::attachments, i), "an object", e);
    Attachment a;
    a.name = required_string(e, element(case_field::attachments, i, attachment_field::name.name()));
    if (a.name.empty() || a.name.size() > kMaxFileName)
      bad(element(case_field::attachments, i, attachment_field::name.name()),
          "must be a name of 1 to 255 bytes");
    a.type = required_string(e, element(case_field::attachments, i, attachment_field::type.name()));
    if (a.type.empty() || a.type.size() > kMaxFileName)
      bad(element(case_field::attachments, i, attachment_field::type.name()),
          "must be a MIME type like image/png");
    a.size =
        integer_of(required(e, element(case_field::attachments, i, attachment_field::size.name())),
                   element(case_field::attachments, i, attachment_field::size.name()));
    if (a.size < 0 || a.size > kMaxAttachmentLimit)
      bad(element(case_field::attachments, i, attachment_field::size.name()),
          "must be 0 to " + std::to_string(kMaxAttachmentLimit) + " bytes");
    a.sha256 =
        required_string(e, element(case_field::attachments, i, attachment_field::sha256.name()));
    if (!is_sha256_hex(a.sha256))
      bad(element(case_field::attachments, i, attachment_field::sha256.name()),
          "must be 64 lowercase hex digits");
    a.at = time_of(required(e, element(case_field::attachments, i, attachment_field::at.name())),
                   element(case_field::attachments, i, attachment_field::at.name()));
    out.push_back(std::move(a));
  });
  return out;
}

Case read_case(const Ref& j) {
  if (j.kind() != Kind::object)
    fail(ErrorKind::data, std::string("expected a JSON object, not ") + type_words(j.kind()));
  Case c;
  c.id = required_id(j, top(case_field::id));
  c.status = required_enum<Status>(j, top(case_field::status));
  c.customer = read_customer(j);
  c.summary = required_string(j, top(case_field::summary));
  c.complaint = optional_string(j, top(case_field::complaint));
  c.wants = optional_string(j, top(case_field::wants));
  c.channel = required_enum<Channel>(j, top(case_field::channel));
  c.category = required_string(j, top(case_field::category));
  if (c.category.empty()) bad(top(case_field::category), "must not be empty");
  for (auto& ch : c.category)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.priority = required_enum<Priority>(j, top(case_field::priority));
  c.reference = optional_string(j, top(case_field::reference));
  c.tags = read_tags(j);
  c.opened_at = time_of(required(j, top(case_field::opened_at)), top(case_field::opened_at));
  c.due_at = optional_time(j, top(case_field::due_at));
  c.resolved_at = optional_time(j, top(case_field::resolved_at));
  c.followup_at = optional_time(j, top(case_field::followup_at));
  c.closed_at = optional_time(j, top(case_field::closed_at));
  c.resolution = read_resolution(j);
  if (Ref s = j; present(j, case_field::satisfaction.name(), s)) {
    const auto v = integer_of(s, top(case_field::satisfaction));
    if (v < 1 || v > 5)
      bad(top(case_field::satisfaction), std::to_string(v) + " is not a score from 1 to 5");
    c.satisfaction = static_cast<int>(v);
  }
  c.owner = optional_string(j, top(case_field::owner));
  if (c.owner && c.owner->empty()) c.owner.reset();
  c.events = read_events(j);
  c.attachments = read_attachments(j);
  // The status and the facts must agree, or reports would count nonsense.
  if (c.status != Status::open) {
    if (!c.resolved_at)
      bad(top(case_field::resolved_at),
          "a " + std::string(spelling(c.status)) + " case needs the time it was resolved");
    if (!c.resolution)
      bad(top(case_field::resolution),
          "a " + std::string(spelling(c.status)) + " case needs its resolution");
  }
  if (c.status == Status::closed && !c.closed_at)
    bad(top(case_field::closed_at), "a closed case needs the time it was closed");
  // And nothing mend never writes: an open case has no remedy, no follow-up
  // and no score (reopen clears them; its timeline keeps the history); a
  // resolved one is not closed and has no score yet.
  if (c.status == Status::open) {
    if (c.resolution) bad(top(case_field::resolution), "an open case has no resolution");
    if (c.resolved_at) bad(top(case_field::resolved_at), "an open case has not been resolved");
    if (c.followup_at) bad(top(case_field::followup_at), "an open case has no follow-up");
    if (c.closed_at) bad(top(case_field::closed_at), "an open case has not been closed");
  }
  if (c.status != Status::closed && c.satisfaction)
    bad(top(case_field::satisfaction), "only a closed case has a satisfaction score");
  if (c.status == Status::resolved && c.closed_at)
    bad(top(case_field::closed_at), "a resolved case has not been closed");
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
        bad(element(case_field::tags, i),
            "'" + a + "' and '" + b + "' are the same tag (tags do not differ by case); keep one");
    }
  }
  check_case(c, ErrorKind::data);
  return c;
}

}  // namespace

Case parse_import_line(std::string_view line) {
  thread_local json_lite::Document doc;
  if (!doc.parse(line)) {
    const auto& p = doc.problem();
    fail(ErrorKind::data, "not valid JSON at column " + std::to_string(p.column) + ": " + p.what);
  }
  return read_case(Ref(doc, 0));
}

}  // namespace mend
