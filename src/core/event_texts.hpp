// The words of the timeline events that both stores write, so a case's
// history reads the same on SQLite and on PostgreSQL.
#pragma once

#include <optional>
#include <string>

#include "core/store.hpp"

namespace mend {

// A local time as event texts show it: 2026-11-26 14:05.
std::string event_stamp(Time t);
// A value in an `edited` event: "quoted", or (none).
std::string event_shown(const std::optional<std::string>& v);
// The text of a `resolved` event: "refund 45.50 GBP: sent back (closed without a follow-up)".
std::string resolved_event_text(const ResolveInput& in);
// The text of an `assigned` event: "Bo (was Ada)", "nobody (was Ada)".
std::string assigned_event_text(const std::optional<std::string>& before,
                                const std::optional<std::string>& owner);
// The wording of the refusals the state of a case gives.
std::string not_open_to_resolve(std::int64_t id, Status status);
std::string open_already(std::int64_t id);
std::string followup_refused(std::int64_t id, Status status);

}  // namespace mend
