// Mail in: one message becomes a new case, an entry on the case it answers,
// or nothing (automatic mail, a duplicate), in one transaction. What the
// message says was read by the mail plugin (core/mail.*); here is only what
// needs the database.
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "core/digest.hpp"
#include "core/evidence.hpp"
#include "core/limits.hpp"
#include "core/mime.hpp"
#include "core/search_index.hpp"
#include "core/sqlite_error.hpp"
#include "core/sqlite_store.hpp"
#include "core/store_rows.hpp"

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

// The case a recorded Message-ID belongs to.
std::optional<std::int64_t> seen_case(SQLite::Database& db, const std::string& key) {
  SQLite::Statement q(db, "SELECT case_id FROM mail_seen WHERE key = ?");
  q.bind(1, key);
  if (q.executeStep()) return q.getColumn(0).getInt64();
  return std::nullopt;
}

void record_seen(SQLite::Database& db, const std::string& key, std::int64_t case_id) {
  SQLite::Statement q(db, "INSERT OR IGNORE INTO mail_seen (key, case_id) VALUES (?, ?)");
  q.bind(1, key);
  q.bind(2, case_id);
  q.exec();
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

Message message_of(const ParsedMail& m, const std::string& direction) {
  Message msg;
  msg.id = clip_opt(m.message_id);
  if (!m.from.empty()) msg.from = clip(m.from, kMaxLineText);
  msg.to = clip_opt(m.to);
  msg.subject = clip(m.subject, kMaxLineText);
  msg.direction = direction;
  return msg;
}

// Keeps the raw message and its files with the case.
void keep_files(SQLite::Database& db, std::int64_t case_id, const std::string& raw,
                const ParsedMail& m, Time at, const std::optional<std::string>& by,
                const MailRules& rules) {
  std::string stem = m.subject.empty() ? "message" : subject_summary(m.subject);
  if (stem == "(no subject)") stem = "message";
  if (static_cast<std::int64_t>(raw.size()) <= rules.max_attachment)
    keep_bytes(db, case_id, safe_file_name(stem + ".eml"), "message/rfc822", raw, at, by, nullptr);
  for (const auto& f : m.files) {
    if (static_cast<std::int64_t>(f.bytes.size()) > rules.max_attachment) continue;
    // libmagic's database loads once per process, and only for mail with files.
    static const MimeSniffer mime;
    keep_bytes(db, case_id, safe_file_name(f.name), "", f.bytes, at, by, &mime);
  }
}

// One message: its own transaction, or a savepoint inside a batch, so that a
// message is taken whole or not at all either way.
class OneMessage {
 public:
  OneMessage(SQLite::Database& db, bool batch) : db_(db), batch_(batch) {
    db_.exec(batch_ ? "SAVEPOINT mail" : "BEGIN IMMEDIATE");
  }
  OneMessage(const OneMessage&) = delete;
  OneMessage& operator=(const OneMessage&) = delete;
  void commit() {
    db_.exec(batch_ ? "RELEASE mail" : "COMMIT");
    done_ = true;
  }
  ~OneMessage() {
    if (done_) return;
    try {
      db_.exec(batch_ ? "ROLLBACK TO mail; RELEASE mail" : "ROLLBACK");
    } catch (...) {  // nothing more to undo
    }
  }

 private:
  SQLite::Database& db_;
  bool batch_;
  bool done_ = false;
};

}  // namespace

void SqliteStore::begin_mail_batch() {
  guarded(path_, [&] {
    require_writable();
    db_.exec("BEGIN IMMEDIATE");
    mail_batch_ = true;
  });
}

void SqliteStore::commit_mail_batch() {
  if (!mail_batch_) return;
  mail_batch_ = false;
  guarded(path_, [&] { db_.exec("COMMIT"); });
}

MailOutcome SqliteStore::take_mail(const std::string& raw, const ParsedMail& mail,
                                   const MailRules& rules, Time now) {
  MailOutcome out;
  out.message_id = mail.message_id;
  if (auto why = automatic_reason(mail)) {
    out.action = "skipped";
    out.reason = *why;
    return out;
  }
  return guarded(path_, [&] {
    require_writable();
    OneMessage tx(db_, mail_batch_);
    const std::string key = seen_key(mail.message_id, raw);
    if (auto known = seen_case(db_, key)) {
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
      case_id = seen_case(db_, ref);
      if (case_id) break;
    }
    if (!case_id) {
      if (const auto tagged = case_tag(mail.subject)) {
        SQLite::Statement q(db_,
                            "SELECT u.email FROM cases c JOIN customers u ON u.id = c.customer_id "
                            "WHERE c.id = ?");
        q.bind(1, *tagged);
        if (q.executeStep()) {
          const auto email = opt_text(q.getColumn(0));
          if (from_owner || (email && lowercase(*email) == lowercase(trimmed(mail.from_address)) &&
                             !mail.from_address.empty()))
            case_id = *tagged;
        }
      }
    }
    if (case_id) {
      const std::string direction = from_owner ? "out" : "in";
      auto search = SearchUpdate::of_case(db_, *case_id);
      insert_event(db_, *case_id, at, from_owner ? "reply" : "email",
                   event_text(own_words(mail.body), mail, raw.size(), rules.max_attachment), user_,
                   message_of(mail, direction));
      record_seen(db_, key, *case_id);
      keep_files(db_, *case_id, raw, mail, at, user_, rules);
      search.done();
      Case c = read_case(*case_id, false);
      check_case(read_case(*case_id, true), ErrorKind::data);
      tx.commit();
      out.action = "added";
      out.case_id = *case_id;
      out.customer = c.customer.name;
      out.kind = from_owner ? "reply" : "email";
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
        if (auto known = seen_case(db_, *customer_mail->message_id)) {
          record_seen(db_, key, *known);
          tx.commit();
          out.action = "duplicate";
          out.case_id = *known;
          return out;
        }
      }
    }

    const ParsedMail& m = *customer_mail;
    const Time opened = from_owner ? arrival(m, at) : at;
    NewCase in;
    in.customer_name =
        clip(trimmed(m.from_name).empty() ? trimmed(m.from_address) : trimmed(m.from_name),
             kMaxLineText);
    if (in.customer_name.empty()) in.customer_name = "(unknown sender)";
    if (!trimmed(m.from_address).empty()) in.email = clip(trimmed(m.from_address), kMaxLineText);
    in.summary = clip(subject_summary(m.subject), kMaxLineText);
    const std::string words = own_words(m.body);
    if (!words.empty()) in.complaint = clip(words, kMaxLongText);
    in.channel = "email";
    in.category = rules.category;
    in.priority = rules.priority;
    in.tags = rules.tags;
    in.owner = rules.owner;
    if (rules.due_for) in.due_at = rules.due_for(opened);
    const auto id = create_case(in, opened, now);
    if (!owner_note.empty())
      insert_event(db_, id, at, "note", clip(owner_note, kMaxEventText / 2), user_);
    insert_event(db_, id, opened, "email",
                 event_text(in.complaint.value_or(""), m, raw.size(), rules.max_attachment), user_,
                 message_of(m, "in"));
    record_seen(db_, key, id);
    // A forward: the forwarded message's own Message-ID is known too.
    if (&m != &mail && m.message_id) record_seen(db_, *m.message_id, id);
    keep_files(db_, id, raw, mail, at, user_, rules);
    index_new_case(id);
    check_case(read_case(id, true), ErrorKind::data);
    tx.commit();
    out.action = "opened";
    out.case_id = id;
    out.customer = in.customer_name;
    return out;
  });
}

Case SqliteStore::add_reply(std::int64_t id, const std::string& text, const Message& message,
                            Time now) {
  return guarded(path_, [&] {
    require_writable();
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(db_, "SELECT 1 FROM cases WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) fail(ErrorKind::not_found, "no case #" + std::to_string(id));
    auto search = SearchUpdate::of_case(db_, id);
    insert_event(db_, id, now, "reply", text, user_, message);
    search.done();
    Case result = read_case(id, true);
    check_case(result, ErrorKind::data);
    tx.commit();
    return result;
  });
}

}  // namespace mend
