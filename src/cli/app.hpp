// Builds the command line, runs the chosen command, and maps every error to
// its exit code in one place.
#pragma once

namespace mend::cli {

int run(int argc, char** argv);

}  // namespace mend::cli
