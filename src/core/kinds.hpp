// The closed sets of words a case is described with (its status, channel,
// priority, the outcome and fault of its resolution, the kinds of its events
// and the direction of its mail) as typed enums, each spelled once here. The
// spellings are the words the database stores, JSON carries and options take.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"

namespace mend {

enum class Status : unsigned char { open, resolved, closed };
enum class Channel : unsigned char { in_person, phone, email, chat, social, review, other };
enum class Priority : unsigned char { low, normal, high, urgent };
enum class Outcome : unsigned char {
  refund,
  replacement,
  repair,
  discount,
  credit,
  expedite,
  apology,
  explanation,
  no_action,
  other
};
enum class Fault : unsigned char { ours, customer, third_party, none, unknown };
enum class EventKind : unsigned char {
  opened,
  note,
  call,
  email,
  meeting,
  apology,
  offer,
  reply,
  edited,
  resolved,
  reopened,
  followup_scheduled,
  followup_attempt,
  followup_done,
  attached,
  assigned
};
enum class Direction : unsigned char { in, out };

// Spelling<E>::words holds E's spellings in the order of its enumerators, and
// Spelling<E>::what names the set in messages.
template <class E>
struct Spelling;

template <>
struct Spelling<Status> {
  static constexpr std::string_view what = "status";
  static constexpr std::array<std::string_view, 3> words = {"open", "resolved", "closed"};
};
template <>
struct Spelling<Channel> {
  static constexpr std::string_view what = "channel";
  static constexpr std::array<std::string_view, 7> words = {"in-person", "phone",  "email", "chat",
                                                            "social",    "review", "other"};
};
template <>
struct Spelling<Priority> {
  static constexpr std::string_view what = "priority";
  static constexpr std::array<std::string_view, 4> words = {"low", "normal", "high", "urgent"};
};
template <>
struct Spelling<Outcome> {
  static constexpr std::string_view what = "outcome";
  static constexpr std::array<std::string_view, 10> words = {
      "refund",   "replacement", "repair",      "discount",  "credit",
      "expedite", "apology",     "explanation", "no-action", "other"};
};
template <>
struct Spelling<Fault> {
  static constexpr std::string_view what = "fault";
  static constexpr std::array<std::string_view, 5> words = {"ours", "customer", "third-party",
                                                            "none", "unknown"};
};
template <>
struct Spelling<EventKind> {
  static constexpr std::string_view what = "event kind";
  static constexpr std::array<std::string_view, 16> words = {
      "opened",           "note",          "call",     "email",
      "meeting",          "apology",       "offer",    "reply",
      "edited",           "resolved",      "reopened", "followup-scheduled",
      "followup-attempt", "followup-done", "attached", "assigned"};
};
template <>
struct Spelling<Direction> {
  static constexpr std::string_view what = "mail direction";
  static constexpr std::array<std::string_view, 2> words = {"in", "out"};
};

// The word for `value`. The text behind the view is a string literal, so its
// data() is NUL-terminated and lives as long as the program.
template <class E>
constexpr std::string_view spelling(E value) {
  return Spelling<E>::words[static_cast<std::size_t>(value)];
}

// The value spelled `word` (exactly, in lowercase), or none.
template <class E>
constexpr std::optional<E> parse_spelling(std::string_view word) {
  const auto& words = Spelling<E>::words;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (words[i] == word) return static_cast<E>(i);
  return std::nullopt;
}

// The value a database column holds. The database only holds words mend
// wrote, so another word means a database this mend does not understand.
template <class E>
E stored_value(std::string_view word) {
  if (auto value = parse_spelling<E>(word)) return *value;
  fail(ErrorKind::data, "the database holds the " + std::string(Spelling<E>::what) + " '" +
                            std::string(word) + "', which this version of mend does not know");
}

// The spellings of a subset of E's values, in the order given.
template <class E, std::size_t N>
constexpr std::array<std::string_view, N> spellings_of(const std::array<E, N>& values) {
  std::array<std::string_view, N> out{};
  for (std::size_t i = 0; i < N; ++i)
    out[i] = spelling(values[i]);
  return out;
}

inline constexpr const auto& kStatuses = Spelling<Status>::words;
inline constexpr const auto& kChannels = Spelling<Channel>::words;
inline constexpr const auto& kPriorities = Spelling<Priority>::words;
inline constexpr const auto& kOutcomes = Spelling<Outcome>::words;
inline constexpr const auto& kFaults = Spelling<Fault>::words;
inline constexpr const auto& kEventKinds = Spelling<EventKind>::words;
inline constexpr const auto& kDirections = Spelling<Direction>::words;

// The kinds a person may give to `mend note --kind`.
inline constexpr std::array<EventKind, 7> kNoteKindValues = {
    EventKind::note,    EventKind::call,  EventKind::email, EventKind::meeting,
    EventKind::apology, EventKind::offer, EventKind::reply};
inline constexpr std::array<std::string_view, 7> kNoteKinds = spellings_of(kNoteKindValues);

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

// Error(usage) unless `kind` is one `mend note --kind` takes.
inline void require_note_kind(EventKind kind) {
  for (auto k : kNoteKindValues)
    if (k == kind) return;
  require_one_of("--kind", spelling(kind), kNoteKinds);
}

// The E that `option` was given as `word`, or Error(usage) naming the values
// the option takes.
template <class E>
E require_value(std::string_view option, std::string_view word) {
  if (auto value = parse_spelling<E>(word)) return *value;
  require_one_of(option, word, Spelling<E>::words);
  return E{};  // not reached: require_one_of has thrown
}

}  // namespace mend
