// The case card: how one case reads on a terminal. Used by `show` and by every
// command that changes a case and prints it afterwards (on a terminal, only
// the lines of the card that changed).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "core/model.hpp"

namespace mend::cli {

void render_case(Printer& out, const Case& c, const std::vector<HistoryItem>& history, Time now);

// Status word, coloured by state.
std::string status_word(const Printer& out, Status status);
// Priority word, loud when high or urgent.
std::string priority_word(const Printer& out, Priority priority);

// The case as one JSON document (with events) or as the card, as the global
// options ask (nothing with -q unless --json); what every case-changing
// command prints.
struct Context;
void print_case(Context& ctx, const Case& c);

// The case as read before a command changes it, for print_change() to show
// what changed: read only when it will be used (text output), and
// nullopt when it cannot be read (the change itself then says why).
std::optional<Case> case_before_change(Context& ctx, std::int64_t id);

// What a command that changed a case prints. With --json the whole case;
// with -q nothing; in text the confirmation lines, then the rows of the card
// (a line with the lines wrapped under it) that differ from the card of
// `before` (without it, an empty line and the whole card).
void print_change(Context& ctx, const std::vector<std::string>& confirmation,
                  const std::optional<Case>& before, const Case& after);

// The lines of `after` that are not in `before`, in order: what is left of
// `after` once a longest common subsequence of the two is taken out.
std::vector<std::string> changed_lines(const std::vector<std::string>& before,
                                       const std::vector<std::string>& after);

}  // namespace mend::cli
