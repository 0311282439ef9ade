// CLI11's parse errors in mend's own words: one line that says what was wrong
// and, for a typo, the closest valid command or option ("did you mean
// --category?"), found by edit distance the way git does it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mend::cli {

// git's weighted Damerau-Levenshtein distance (help.c): turning `typed` into
// `candidate`, swapping two neighbours costs 0, a substitution 2, adding a
// letter 1 and dropping one 3. So abbreviations ("ls" -> "list") and swapped
// letters ("lsit", "reslove") come out close.
int typo_distance(std::string_view typed, std::string_view candidate);

// The candidates closest to `typed` when they are close enough to be what the
// user meant (ties all returned, in the candidates' order); else none.
std::vector<std::string> closest_names(std::string_view typed,
                                       const std::vector<std::string>& candidates);

// "did you mean 'list'?", "did you mean --status or --customer?", or "" when
// nothing is close. `quote` wraps each name in single quotes.
std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates,
                         bool quote);

// The one line (without "mend: ") for a word that names no command.
std::string unknown_command_message(const std::string& word,
                                    const std::vector<std::string>& commands);

// The one line (without "mend: ") for a parse error of `top` (the whole app,
// after parse() threw). `args` are the command-line words after the program
// name; `commands` the names a user may type.
std::string usage_error_message(const CLI::ParseError& error, const CLI::App& top,
                                const std::vector<std::string>& args,
                                const std::vector<std::string>& commands);

}  // namespace mend::cli
