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

namespace mend {

struct Customer {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

struct Resolution {
  std::string outcome;
  std::optional<std::string> text;
  std::optional<std::int64_t> amount_cents;
  std::string currency = "USD";
  std::string fault = "unknown";
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
  std::string direction = "in";  // in: from the customer; out: to them
};

struct Event {
  std::int64_t id = 0;
  Time at = 0;
  std::string kind;
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
  std::string status = "open";
  Customer customer;
  std::string summary;
  std::optional<std::string> complaint;
  std::optional<std::string> wants;
  std::string channel = "other";
  std::string category = "other";
  std::string priority = "normal";
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
  std::string status;
  std::string summary;
  Time opened_at = 0;
};

inline constexpr std::array<std::string_view, 3> kStatuses = {"open", "resolved", "closed"};
inline constexpr std::array<std::string_view, 7> kChannels = {
    "in-person", "phone", "email", "chat", "social", "review", "other"};
inline constexpr std::array<std::string_view, 4> kPriorities = {"low", "normal", "high", "urgent"};
inline constexpr std::array<std::string_view, 10> kOutcomes = {
    "refund",   "replacement", "repair",      "discount",  "credit",
    "expedite", "apology",     "explanation", "no-action", "other"};
inline constexpr std::array<std::string_view, 5> kFaults = {"ours", "customer", "third-party",
                                                            "none", "unknown"};
inline constexpr std::array<std::string_view, 16> kEventKinds = {
    "opened",           "note",          "call",     "email",
    "meeting",          "apology",       "offer",    "reply",
    "edited",           "resolved",      "reopened", "followup-scheduled",
    "followup-attempt", "followup-done", "attached", "assigned"};
inline constexpr std::array<std::string_view, 2> kDirections = {"in", "out"};
// The kinds a person may give to `mend note --kind`.
inline constexpr std::array<std::string_view, 7> kNoteKinds = {
    "note", "call", "email", "meeting", "apology", "offer", "reply"};

template <std::size_t N>
bool is_one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
  for (auto a : allowed)
    if (a == value) return true;
  return false;
}

template <std::size_t N>
std::string join_values(const std::array<std::string_view, N>& allowed) {
  std::string out;
  for (auto a : allowed) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

// Returns `value` when it is one of `allowed`, else throws Error(usage) naming
// the option and the values it takes.
template <std::size_t N>
std::string require_one_of(std::string_view option, std::string_view value,
                           const std::array<std::string_view, N>& allowed) {
  if (!is_one_of(value, allowed)) {
    fail(ErrorKind::usage, std::string(option) + " takes one of " + join_values(allowed) +
                               ", not '" + std::string(value) + "'");
  }
  return std::string(value);
}

}  // namespace mend
