#include "core/mail_flow.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"
#include "core/mime.hpp"

namespace mend {
namespace {

// Text cut to at most `max` bytes at a character boundary: mail is kept whole
// as an attachment, so the words in the timeline may be shortened.
std::string clip(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max > 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  text.resize(cut);
  text += "…";
  return text;
}

std::optional<std::string> clip_opt(const std::optional<std::string>& v) {
  if (!v) return v;
  return clip(*v, kMaxLineText);
}

bool is_owner_address(const MailRules& rules, const std::string& address) {
  const auto a = lowercase(trimmed(address));
  return !a.empty() &&
         std::find(rules.addresses.begin(), rules.addresses.end(), a) != rules.addresses.end();
}

// The key a message is known by: its Message-ID, else the hash of its bytes.
std::string seen_key(const std::optional<std::string>& message_id, std::string_view raw) {
  return message_id ? *message_id : "sha256:" + sha256_hex(raw);
}

// When the mail came: its Date, unless missing, unreadable or in the future.
Time arrival(const ParsedMail& m, Time now) {
  if (m.date && *m.date <= now && *m.date >= kFirstTime) return *m.date;
  return now;
}

// The event text: the sender's own words, and the files that were too large to keep.
std::string event_text(const std::string& words, const ParsedMail& m, std::size_t raw_size,
                       std::int64_t max) {
  std::string text = words;
  if (static_cast<std::int64_t>(raw_size) > max) {
    if (!text.empty()) text += "\n\n";
    text += "[not kept: the whole message, " + human_size(static_cast<std::int64_t>(raw_size)) +
            ", over max_attachment (" + human_size(max) + ")]";
  }
  for (const auto& f : m.too_big) {
    if (!text.empty()) text += "\n\n";
    text += "[not kept: " + f.name + ", " + human_size(f.size) + ", over max_attachment (" +
            human_size(max) + ")]";
  }
  return clip(text, kMaxEventText / 2);
}

Message message_of(const ParsedMail& m, Direction direction) {
  Message msg;
  msg.id = clip_opt(m.message_id);
  if (!m.from.empty()) msg.from = clip(m.from, kMaxLineText);
  msg.to = clip_opt(m.to);
  msg.subject = clip(m.subject, kMaxLineText);
  msg.direction = direction;
  return msg;
}

// Keeps the raw message and its files with the case.
void keep_files(MailSink& sink, std::int64_t case_id, const std::string& raw, const ParsedMail& m,
                Time at, const MailRules& rules) {
  std::string stem = m.subject.empty() ? "message" : subject_summary(m.subject);
  if (stem == "(no subject)") stem = "message";
  if (static_cast<std::int64_t>(raw.size()) <= rules.max_attachment)
    sink.keep(case_id, safe_file_name(stem + ".eml"), "message/rfc822", raw, at, nullptr);
  for (const auto& f : m.files) {
    if (static_cast<std::int64_t>(f.bytes.size()) > rules.max_attachment) continue;
    // libmagic's database loads once per process, and only for mail with files.
    static const MimeSniffer mime;
    sink.keep(case_id, safe_file_name(f.name), "", f.bytes, at, &mime);
  }
}

}  // namespace

std::optional<MailOutcome> skipped_as_automatic(const ParsedMail& mail) {
  auto why = automatic_reason(mail);
  if (!why) return std::nullopt;
  MailOutcome out;
  out.message_id = mail.message_id;
  out.action = "skipped";
  out.reason = *why;
  return out;
}

MailOutcome take_message(MailSink& sink, const std::string& raw, const ParsedMail& mail,
                         const MailRules& rules, Time now) {
  MailOutcome out;
  out.message_id = mail.message_id;
  const std::string key = seen_key(mail.message_id, raw);
  if (auto known = sink.seen_case(key)) {
    out.action = "duplicate";
    out.case_id = *known;
    return out;
  }
  const bool from_owner = is_owner_address(rules, mail.from_address);
  const Time at = arrival(mail, now);

  // An answer: a recorded Message-ID in In-Reply-To or References, else the
  // [case #N] tag from the case's customer or the owner.
  std::optional<std::int64_t> case_id;
  for (const auto& ref : mail.references) {
    case_id = sink.seen_case(ref);
    if (case_id) break;
  }
  if (!case_id) {
    if (const auto tagged = case_tag(mail.subject)) {
      if (const auto found = sink.case_email(*tagged)) {
        const auto& email = *found;
        if (from_owner || (email && lowercase(*email) == lowercase(trimmed(mail.from_address)) &&
                           !mail.from_address.empty()))
          case_id = *tagged;
      }
    }
  }
  if (case_id) {
    const Direction direction = from_owner ? Direction::out : Direction::in;
    sink.begin_change(*case_id);
    sink.add_event(*case_id, at, from_owner ? EventKind::reply : EventKind::email,
                   event_text(own_words(mail.body), mail, raw.size(), rules.max_attachment),
                   message_of(mail, direction));
    sink.record_seen(key, *case_id);
    keep_files(sink, *case_id, raw, mail, at, rules);
    sink.end_change();
    sink.check(*case_id);
    sink.commit();
    out.action = "added";
    out.case_id = *case_id;
    out.customer = sink.customer_name(*case_id);
    out.kind = from_owner ? EventKind::reply : EventKind::email;
    return out;
  }

  // From the owner and answering nothing: a forward, or nothing to take.
  const ParsedMail* customer_mail = &mail;
  ParsedMail inline_mail;
  std::string owner_note;
  if (from_owner) {
    if (mail.forwarded && !mail.forwarded->from_address.empty()) {
      customer_mail = mail.forwarded.get();
      owner_note = own_words(mail.body);
    } else if (auto f = inline_forward(mail.body)) {
      inline_mail.from = f->from;
      inline_mail.from_name = f->from_name;
      inline_mail.from_address = f->from_address;
      inline_mail.subject = f->subject.empty() ? mail.subject : f->subject;
      inline_mail.body = f->text;
      inline_mail.date = f->date ? f->date : mail.date;
      customer_mail = &inline_mail;
      owner_note = own_words(f->note);
    } else {
      out.action = "skipped";
      out.reason = "from your own address, it answers no case and forwards no message";
      return out;
    }
    // The forwarded message itself may have been taken before.
    if (customer_mail->message_id) {
      if (auto known = sink.seen_case(*customer_mail->message_id)) {
        sink.record_seen(key, *known);
        sink.commit();
        out.action = "duplicate";
        out.case_id = *known;
        return out;
      }
    }
  }

  const ParsedMail& m = *customer_mail;
  const Time opened = from_owner ? arrival(m, at) : at;
  NewCase in;
  in.customer_name = clip(
      trimmed(m.from_name).empty() ? trimmed(m.from_address) : trimmed(m.from_name), kMaxLineText);
  if (in.customer_name.empty()) in.customer_name = "(unknown sender)";
  if (!trimmed(m.from_address).empty()) in.email = clip(trimmed(m.from_address), kMaxLineText);
  in.summary = clip(subject_summary(m.subject), kMaxLineText);
  const std::string words = own_words(m.body);
  if (!words.empty()) in.complaint = clip(words, kMaxLongText);
  in.channel = Channel::email;
  in.category = rules.category;
  in.priority = rules.priority;
  in.tags = rules.tags;
  in.owner = rules.owner;
  if (rules.due_for) in.due_at = rules.due_for(opened);
  const auto id = sink.create_case(in, opened, now);
  if (!owner_note.empty())
    sink.add_event(id, at, EventKind::note, clip(owner_note, kMaxEventText / 2), std::nullopt);
  sink.add_event(id, opened, EventKind::email,
                 event_text(in.complaint.value_or(""), m, raw.size(), rules.max_attachment),
                 message_of(m, Direction::in));
  sink.record_seen(key, id);
  // A forward: the forwarded message's own Message-ID is known too.
  if (&m != &mail && m.message_id) sink.record_seen(*m.message_id, id);
  keep_files(sink, id, raw, mail, at, rules);
  sink.created(id);
  sink.check(id);
  sink.commit();
  out.action = "opened";
  out.case_id = id;
  out.customer = in.customer_name;
  return out;
}

}  // namespace mend
