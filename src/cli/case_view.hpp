// The case card: how one case reads on a terminal. Used by `show` and by every
// command that changes a case and prints it afterwards.
#pragma once

#include <vector>

#include "cli/output.hpp"
#include "core/model.hpp"

namespace mend::cli {

void render_case(Printer& out, const Case& c, const std::vector<HistoryItem>& history, Time now);

// Status word, coloured by state.
std::string status_word(const Printer& out, const std::string& status);
// Priority word, loud when high or urgent.
std::string priority_word(const Printer& out, const std::string& priority);

// The case as one JSON document (with events) or as the card, as the global
// options ask (nothing with -q unless --json); what every case-changing
// command prints.
struct Context;
void print_case(Context& ctx, const Case& c);

}  // namespace mend::cli
