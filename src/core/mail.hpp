// Mail in: what a message says (read by the GMime plugin, libmend-mail.so,
// loaded only by `mend mail`), and the decisions on it that need no database:
// is it automatic, what are the sender's own words, what is its summary.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/html_text.hpp"

namespace mend {

struct MailFile {
  std::string name;
  std::string bytes;
};

struct MailTooBig {
  std::string name;
  std::int64_t size = 0;
};

struct ParsedMail {
  std::optional<std::string> message_id;  // without angle brackets
  std::string from;                       // decoded header text
  std::string from_name;
  std::string from_address;
  std::optional<std::string> to;
  std::string subject;
  std::optional<Time> date;
  std::vector<std::string> references;  // In-Reply-To, then References latest first
  std::vector<std::string> marks;       // "Header: value" of the automatic-mail headers
  std::string content_type;             // of the top-level part
  std::string body;                     // the text as sent (plain, or HTML made plain)
  std::vector<MailFile> files;
  std::vector<MailTooBig> too_big;
  std::unique_ptr<ParsedMail> forwarded;  // an attached message/rfc822, the first one
};

// A reply to write (core/reply.hpp makes it): header texts already free of
// control characters, Message-IDs without angle brackets.
struct OutgoingMail {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string subject;
  std::string date;  // the Date header value
  std::string message_id;
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first
  std::string body;
  bool auto_submitted = false;  // Auto-Submitted: auto-replied
};

// The mail reader plugin, loaded on first use; Error(internal) when it cannot
// be found or loaded (a broken installation).
class MailReader {
 public:
  MailReader();
  // A reader linked in rather than loaded (the fuzz harness); the functions
  // are those of src/mail/mail_plugin.h.
  MailReader(void* read_fn, void* mbox_fn, void* build_fn = nullptr);
  ~MailReader();
  MailReader(const MailReader&) = delete;
  MailReader& operator=(const MailReader&) = delete;

  // Reads one message; nullopt when the bytes are not mail at all.
  std::optional<ParsedMail> read(std::string_view raw, std::int64_t max_file) const;
  // The byte ranges of the messages of an mbox file open on fd; empty when it is not one.
  std::vector<std::pair<std::int64_t, std::int64_t>> mbox_spans(int fd) const;
  // The bytes of a message to send (LF line ends); nullopt when an address
  // cannot be written as one mailbox.
  std::optional<std::string> build(const OutgoingMail& mail) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Why the message is automatic mail (an auto-reply, a bounce, a list), or
// nullopt when a person wrote it.
std::optional<std::string> automatic_reason(const ParsedMail& m);

// The subject without reply and forward prefixes (Re:, Fwd:, AW:, SV:, VS:...),
// "(no subject)" when nothing is left.
std::string subject_summary(std::string_view subject);

// The sender's own words: the quoted earlier mail ("On ... wrote:" blocks,
// ">" lines, Outlook's "-----Original Message-----" and "From: ... Sent:"
// or "Von: ... Gesendet:" blocks) and the signature after "-- " are left
// out; trimmed.
std::string own_words(std::string_view text);

// An inline forward as Gmail, Thunderbird, Apple Mail and Outlook write it,
// in English or German ("Weitergeleitete Nachricht", "Von:", "Betreff:"):
// the owner's words above it, and the forwarded message's sender, subject,
// date and text. nullopt when the text holds none.
struct InlineForward {
  std::string note;  // the owner's words above the forward
  std::string from;  // decoded header text of the original sender
  std::string from_name;
  std::string from_address;
  std::string subject;
  std::optional<Time> date;
  std::string text;
};
std::optional<InlineForward> inline_forward(std::string_view text);

// The date of a forwarded header block when it names its zone, as Thunderbird
// ("Mon, 23 Nov 2026 08:00:00 +0000") and Apple Mail ("23 November 2026 at
// 09:00:00 GMT") write it; nullopt otherwise (Gmail and Outlook write the
// forwarder's wall clock with no zone).
std::optional<Time> forwarded_date(std::string_view text);

// The [case #N] tag in a subject, if any.
std::optional<std::int64_t> case_tag(std::string_view subject);

// Splits "Name <addr>" or "addr" into name and address.
void split_address(std::string_view text, std::string& name, std::string& address);

}  // namespace mend
