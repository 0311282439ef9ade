#include "core/event_texts.hpp"

#include <cstdio>

#include "core/money.hpp"

namespace mend {

std::string event_stamp(Time t) {
  return local_minute(t);
}

std::string event_shown(const std::optional<std::string>& v) {
  return v ? "\"" + *v + "\"" : "(none)";
}

std::string resolved_event_text(const ResolveInput& in) {
  const auto& r = in.resolution;
  std::string text(spelling(r.outcome));
  if (r.amount_cents) {
    // Appended in two steps: GCC 12 warns (-Wrestrict, a false positive) on " " + string here.
    text += ' ';
    text += format_amount(*r.amount_cents, r.currency);
  }
  if (r.text && !r.text->empty()) text += ": " + *r.text;
  if (!in.followup_at) text += " (closed without a follow-up)";
  return text;
}

std::string assigned_event_text(const std::optional<std::string>& before,
                                const std::optional<std::string>& owner) {
  return owner ? (before ? *owner + " (was " + *before + ")" : *owner)
               : "nobody (was " + before.value_or("") + ")";
}

std::string not_open_to_resolve(std::int64_t id, Status status) {
  return "case #" + std::to_string(id) + " is " + std::string(spelling(status)) +
         ", not open; reopen it first (mend reopen " + std::to_string(id) + ") to resolve it again";
}

std::string open_already(std::int64_t id) {
  return "case #" + std::to_string(id) +
         " is open already; only a resolved or closed case can be reopened";
}

std::string followup_refused(std::int64_t id, Status status) {
  const std::string n = std::to_string(id);
  if (status == Status::open)
    return "case #" + n + " is open: resolve it first (mend resolve " + n +
           " --outcome ...), then record its follow-up";
  return "case #" + n + " is closed: its follow-up is over; reopen it first (mend reopen " + n +
         ") to work on it again";
}

}  // namespace mend
