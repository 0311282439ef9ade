// JSON for programs: text that is safe anywhere, and the case's JSON shape,
// written once (append_case_json) for show, list, export and followup.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/dates.hpp"
#include "core/model.hpp"

namespace mend::cli {

using Json = nlohmann::ordered_json;

// JSON text that is safe anywhere: besides what JSON requires, DEL, C1
// controls, line separators and bidi controls are written as \u escapes, and
// invalid UTF-8 is replaced.
std::string dump_json(const Json& value);

// Appends `s` as dump_json(Json(s)) writes it, quotes included.
void append_json_string(std::string& out, std::string_view s);
// Appends the decimal digits of `v` (JSON and CSV integers).
void append_int(std::string& out, std::int64_t v);

Json json_time(std::optional<Time> t);
Json customer_json(const Customer& c);
// The case as JSON, written once: append_case_json appends it without
// building a JSON tree (export and list write a million of these);
// case_json parses that, for callers that add keys (show's history).
void append_case_json(std::string& out, const Case& c, bool with_events);
Json case_json(const Case& c, bool with_events);

}  // namespace mend::cli
