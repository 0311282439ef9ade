#include "cli/status_option.hpp"

namespace mend::cli {

CLI::Option* add_status_option(CLI::App& sub, std::vector<std::string>& into) {
  return sub
      .add_option("--status", into,
                  "Only cases with this status: open, resolved or closed (repeatable: any of "
                  "them)")
      ->type_name("STATUS")
      ->allow_extra_args(false);
}

}  // namespace mend::cli
