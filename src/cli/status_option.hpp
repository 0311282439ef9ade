// The repeatable --status option of list, export and search: one place for its
// spelling and help, parsed into a StatusSet by parse_statuses().
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace mend::cli {

// `--status STATUS`, repeatable (any of them), one value per --status.
CLI::Option* add_status_option(CLI::App& sub, std::vector<std::string>& into);

}  // namespace mend::cli
