// The optional configuration file, $XDG_CONFIG_HOME/mend/config.toml.
// Command-line options win over it; it wins over the built-in defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dates.hpp"

namespace mend::cli {

struct Config {
  std::string due_in = "+2d";
  std::string followup_in = "+3d";
  std::string currency = "USD";
  std::optional<std::string> business_name;
  std::vector<std::string> categories;  // empty: no list, no warnings
  WorkCalendar calendar;                // workdays and holidays, for `2bd`
  std::optional<std::string> from;      // the sender of replies
  std::vector<std::string> addresses;   // the owner's own addresses
  std::string sendmail = "/usr/sbin/sendmail -t -i";
  std::int64_t max_attachment = 26214400;  // bytes: the largest file attach keeps
  std::optional<std::string> user;         // the name events are written by
  std::optional<std::string> database;     // the default database (path or URI)
  std::string source;                      // the file it came from, if any
};

// $XDG_CONFIG_HOME/mend/config.toml, else ~/.config/mend/config.toml; empty
// when neither can be named. Reply templates live beside it in templates/.
std::string config_path();

// Reads the config file named by the environment (XDG_CONFIG_HOME, HOME).
// A missing file gives the defaults; a malformed one throws Error(usage)
// naming the file and line.
Config load_config();

}  // namespace mend::cli
