// Reading one line of `mend import`: a JSON object in the export shape (the
// `show --json` case object without `history`). A pure function of the text,
// so it can be unit-tested and fuzzed without a database.
#pragma once

#include <optional>
#include <string_view>

#include "core/model.hpp"

namespace mend {

// Parses and checks one JSON Lines record. Fields that the export never writes
// as null are required (id, status, customer.id, customer.name, summary,
// channel, category, priority, tags, opened_at, events, and in `resolution`
// outcome, currency and fault; in each event at, kind and text); fields that can
// be null may be left out. Unknown fields (such as `history`) are ignored. An
// empty email or phone reads as null. The case must also be one mend could
// have written: within the limits of stored data (limits.hpp: times, sizes,
// amounts, ids), its status agreeing with its fields (an open case has no
// resolution, resolved_at, followup_at, closed_at or score; a resolved one no
// closed_at or score), and no two tags equal but for case.
//
// Throws Error(data) with a message naming the field, e.g.
// "field 'status': 'pending' is not one of open, resolved, closed", or, when
// the line is not JSON (see json_lite.hpp), one saying where and why, e.g.
// "not valid JSON at column 12: expected a value"; the caller adds the file
// name and line number in front.
Case parse_import_line(std::string_view line);

}  // namespace mend
