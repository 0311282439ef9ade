#include "core/limits.hpp"

#include "core/model.hpp"

namespace mend {

std::string time_range_words() {
  return format_utc(kFirstTime) + " to " + format_utc(kLastTime);
}

std::string size_words(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

void check_time(Time t, std::string_view what, ErrorKind kind) {
  if (t >= kFirstTime && t <= kLastTime) return;
  // Years past 9999 or before 1 print oddly; the side is what matters.
  fail(kind, std::string(what) + " lies " + (t < kFirstTime ? "before" : "after") +
                 " the times mend keeps (" + time_range_words() + ")");
}

void check_text(std::string_view text, std::size_t max_bytes, std::string_view what,
                ErrorKind kind) {
  if (text.size() <= max_bytes) return;
  fail(kind, std::string(what) + " is " + std::to_string(text.size()) + " bytes; the limit is " +
                 size_words(max_bytes));
}

void check_amount(std::int64_t cents, std::string_view what, ErrorKind kind) {
  if (cents >= 0 && cents <= kMaxAmountCents) return;
  fail(kind, std::string(what) + " " + std::to_string(cents) + " is not an amount from 0 to " +
                 std::to_string(kMaxAmountCents) + " cents (9999999999999.99)");
}

void check_id(std::int64_t id, std::string_view what, ErrorKind kind) {
  if (id >= 1 && id <= kMaxId) return;
  fail(kind, std::string(what) + " " + std::to_string(id) + " is not an id from 1 to " +
                 std::to_string(kMaxId));
}

namespace {

// JSON escapes a byte as at most 6 (\u00XX); an invalid UTF-8 byte becomes
// U+FFFD, 3 bytes.
constexpr std::size_t kEscape = 6;
// Everything of a case line but its texts: keys, punctuation, ids, times,
// enum values, the amount (generously).
constexpr std::size_t kFixed = 2048;
// An event's keys, punctuation, time and kind.
constexpr std::size_t kPerEvent = 224;  // keys, time, kind, by and message
constexpr std::size_t kPerTag = 3;
// An attachment's keys, size, SHA-256 and time, besides its name and type.
constexpr std::size_t kPerAttachment = 192;

std::size_t text_bytes(const std::optional<std::string>& s) {
  return s ? s->size() : 0;
}

}  // namespace

std::size_t worst_case_export_bytes(const Case& c) {
  // The customer's name, email and phone at their largest: they are shared
  // with the customer's other cases, and an edit of one case may grow them.
  std::size_t text = 3 * kMaxLineText + c.summary.size() + text_bytes(c.complaint) +
                     text_bytes(c.wants) + c.category.size() + text_bytes(c.reference);
  if (c.resolution) {
    text += text_bytes(c.resolution->text) + text_bytes(c.resolution->cause) +
            c.resolution->currency.size();
  }
  std::size_t fixed = kFixed;
  for (const auto& t : c.tags) {
    text += t.size();
    fixed += kPerTag;
  }
  for (const auto& e : c.events) {
    text += e.text.size() + text_bytes(e.by);
    if (e.message) {
      text += text_bytes(e.message->id) + text_bytes(e.message->from) + text_bytes(e.message->to) +
              text_bytes(e.message->subject);
    }
    fixed += kPerEvent;
  }
  text += text_bytes(c.owner);
  for (const auto& a : c.attachments) {
    text += a.name.size() + a.type.size();
    fixed += kPerAttachment;
  }
  return fixed + kEscape * text;
}

void check_case(const Case& c, ErrorKind kind) {
  check_id(c.id, "id", kind);
  check_id(c.customer.id, "customer.id", kind);
  check_text(c.customer.name, kMaxLineText, "customer.name", kind);
  if (c.customer.email) check_text(*c.customer.email, kMaxLineText, "customer.email", kind);
  if (c.customer.phone) check_text(*c.customer.phone, kMaxLineText, "customer.phone", kind);
  check_text(c.summary, kMaxLineText, "summary", kind);
  if (c.complaint) check_text(*c.complaint, kMaxLongText, "complaint", kind);
  if (c.wants) check_text(*c.wants, kMaxLongText, "wants", kind);
  check_text(c.category, kMaxLineText, "category", kind);
  if (c.reference) check_text(*c.reference, kMaxLineText, "reference", kind);
  if (c.tags.size() > kMaxTags)
    fail(kind, "tags: " + std::to_string(c.tags.size()) + " tags; the limit is " +
                   std::to_string(kMaxTags));
  for (std::size_t i = 0; i < c.tags.size(); ++i)
    check_text(c.tags[i], kMaxLineText, "tags[" + std::to_string(i) + "]", kind);
  check_time(c.opened_at, "opened_at", kind);
  if (c.due_at) check_time(*c.due_at, "due_at", kind);
  if (c.resolved_at) check_time(*c.resolved_at, "resolved_at", kind);
  if (c.followup_at) check_time(*c.followup_at, "followup_at", kind);
  if (c.closed_at) check_time(*c.closed_at, "closed_at", kind);
  if (c.resolution) {
    const auto& r = *c.resolution;
    if (r.text) check_text(*r.text, kMaxLongText, "resolution.text", kind);
    if (r.amount_cents) check_amount(*r.amount_cents, "resolution.amount_cents", kind);
    check_text(r.currency, kMaxLineText, "resolution.currency", kind);
    if (r.cause) check_text(*r.cause, kMaxLineText, "resolution.cause", kind);
  }
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    const auto name = "events[" + std::to_string(i) + "]";
    check_time(c.events[i].at, name + ".at", kind);
    const auto& e = c.events[i];
    check_text(e.text, kMaxEventText, name + ".text", kind);
    if (e.by) check_text(*e.by, kMaxLineText, name + ".by", kind);
    if (e.message) {
      const auto& m = *e.message;
      if (m.id) check_text(*m.id, kMaxLineText, name + ".message.id", kind);
      if (m.from) check_text(*m.from, kMaxLineText, name + ".message.from", kind);
      if (m.to) check_text(*m.to, kMaxLineText, name + ".message.to", kind);
      if (m.subject) check_text(*m.subject, kMaxLineText, name + ".message.subject", kind);
    }
  }
  if (c.owner) check_text(*c.owner, kMaxLineText, "owner", kind);
  if (c.attachments.size() > kMaxAttachments)
    fail(kind, "attachments: " + std::to_string(c.attachments.size()) +
                   " files; a case keeps at most " + std::to_string(kMaxAttachments));
  for (std::size_t i = 0; i < c.attachments.size(); ++i) {
    const auto name = "attachments[" + std::to_string(i) + "]";
    check_text(c.attachments[i].name, kMaxFileName, name + ".name", kind);
    check_text(c.attachments[i].type, kMaxFileName, name + ".type", kind);
    check_time(c.attachments[i].at, name + ".at", kind);
  }
  if (worst_case_export_bytes(c) > kMaxImportLine) {
    fail(kind, "case #" + std::to_string(c.id) +
                   " is full: with this its export line could pass the " +
                   size_words(kMaxImportLine) +
                   " that import reads (a case keeps at most about 10 MiB of text); "
                   "open a new case to go on");
  }
}

}  // namespace mend
