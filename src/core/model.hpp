// Plain data: what a case, a customer and an event are. Queries return these;
// only the CLI's output layer turns them into text, JSON or CSV.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.hpp"
#include "core/errors.hpp"
#include "core/kinds.hpp"

namespace mend {

struct Customer {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

struct Resolution {
  Outcome outcome = Outcome::other;
  std::optional<std::string> text;
  std::optional<std::int64_t> amount_cents;
  std::string currency = "USD";
  Fault fault = Fault::unknown;
  std::optional<std::string> cause;
};

// The mail an `email` or `reply` event carries. Header texts are decoded to
// UTF-8; `id` is the Message-ID without angle brackets (none when the message
// had no Message-ID).
struct Message {
  std::optional<std::string> id;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> subject;
  Direction direction = Direction::in;  // in: from the customer; out: to them
};

struct Event {
  std::int64_t id = 0;
  Time at = 0;
  EventKind kind = EventKind::note;
  std::string text;
  std::optional<std::string> by;  // who wrote it; none for events older than schema v3
  std::optional<Message> message;
};

// A file kept with a case: its bytes live once per SHA-256 in the store.
struct Attachment {
  std::string name;
  std::string type;  // the MIME type, read from the content
  std::int64_t size = 0;
  std::string sha256;  // lowercase hex
  Time at = 0;
};

struct Case {
  std::int64_t id = 0;
  Status status = Status::open;
  Customer customer;
  std::string summary;
  std::optional<std::string> complaint;
  std::optional<std::string> wants;
  Channel channel = Channel::other;
  std::string category = "other";
  Priority priority = Priority::normal;
  std::optional<std::string> reference;
  std::vector<std::string> tags;
  Time opened_at = 0;
  std::optional<Time> due_at;
  std::optional<Time> resolved_at;
  std::optional<Time> followup_at;
  std::optional<Time> closed_at;
  std::optional<Resolution> resolution;
  std::optional<int> satisfaction;
  std::optional<std::string> owner;     // who handles the case (Team mode), or none
  std::vector<Event> events;            // filled only when asked for (show, export, writes)
  std::vector<Attachment> attachments;  // filled with the events
};

// One line of a customer's history, as `show` lists it.
struct HistoryItem {
  std::int64_t id = 0;
  Status status = Status::open;
  std::string summary;
  Time opened_at = 0;
};

}  // namespace mend
