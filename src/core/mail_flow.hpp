// Mail in, the part both stores share: what one message becomes (a new case,
// an entry on the case it answers, a duplicate, or nothing), in the README's
// order, with the few reads and writes it needs behind MailSink. Each store
// runs take_message inside the message's own transaction (or savepoint).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/mail.hpp"
#include "core/store.hpp"

namespace mend {

class MimeSniffer;

// A store's side of taking one message, all inside one transaction.
class MailSink {
 public:
  virtual ~MailSink() = default;
  // The case a recorded Message-ID (or "sha256:" key) belongs to.
  virtual std::optional<std::int64_t> seen_case(const std::string& key) = 0;
  virtual void record_seen(const std::string& key, std::int64_t case_id) = 0;
  // None when there is no such case; else its customer's email, if any.
  virtual std::optional<std::optional<std::string>> case_email(std::int64_t case_id) = 0;
  // Around the writes to a case that exists (the search index follows them).
  virtual void begin_change(std::int64_t case_id) = 0;
  virtual void end_change() = 0;
  virtual std::int64_t create_case(const NewCase& in, Time opened_at, Time now) = 0;
  // After the writes to a case the message created.
  virtual void created(std::int64_t case_id) = 0;
  virtual void add_event(std::int64_t case_id, Time at, EventKind kind, const std::string& text,
                         const std::optional<Message>& message) = 0;
  // Keeps bytes with the case under `name` (of `type`, or the type `mime`
  // reads from them when empty), with an `attached` event.
  virtual void keep(std::int64_t case_id, const std::string& name, const std::string& type,
                    const std::string& bytes, Time at, const MimeSniffer* mime) = 0;
  virtual std::string customer_name(std::int64_t case_id) = 0;
  // Error(data) when the case would pass the limits of stored data.
  virtual void check(std::int64_t case_id) = 0;
  virtual void commit() = 0;
};

// Automatic mail (automatic_reason) is skipped before any transaction: its outcome.
std::optional<MailOutcome> skipped_as_automatic(const ParsedMail& mail);

// Takes one message that is not automatic mail (automatic_reason: none).
MailOutcome take_message(MailSink& sink, const std::string& raw, const ParsedMail& mail,
                         const MailRules& rules, Time now);

}  // namespace mend
