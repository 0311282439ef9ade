// mend help [COMMAND]: the same as `mend [COMMAND] --help`. app.cpp answers it
// right after parsing (a command's options are built only when it is the one
// given, so it runs `mend COMMAND --help`); this file only names its argument.
#include "cli/commands/commands.hpp"

namespace mend::cli {

void add_help(CLI::App& sub, Commands& commands) {
  sub.add_option("COMMAND", "The command to explain (e.g. list); none: all of mend");
  sub.footer("\nThe same as 'mend COMMAND --help' (or 'mend --help').");
  commands.push_back({&sub, [](Context&) {}});
}

}  // namespace mend::cli
