// The `--status` filter that list, export and search share: any of the
// statuses given (repeatable), or every status when none is.
#pragma once

#include <string>
#include <vector>

#include "core/kinds.hpp"

namespace mend {

// The statuses a filter accepts; empty means any.
using StatusSet = std::vector<Status>;

// The values of a repeatable `--status` option, lower-cased, checked and
// without repeats, in the order given. Error(usage) names the bad one and the
// statuses there are.
StatusSet parse_statuses(const std::vector<std::string>& given);

// The SQL condition " AND <column> IN (?, ?)" with one placeholder per status
// (bind them in order), or "" for an empty set.
std::string status_condition(const char* column, const StatusSet& statuses);

}  // namespace mend
