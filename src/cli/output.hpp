// The output rooms, for the commands that use several: terminal text
// (terminal_text.hpp), JSON (json_output.hpp), times for people
// (time_words.hpp) and stdout with colour (printer.hpp).
#pragma once

#include "cli/json_output.hpp"
#include "cli/printer.hpp"
#include "cli/terminal_text.hpp"
#include "cli/time_words.hpp"
