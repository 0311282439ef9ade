// Who handles a case (Team mode, on every store): the PERSON words of
// `assign`, `open --owner`, and the `--owner NAME` / `--mine` filters.
#pragma once

#include <optional>
#include <string>

#include "core/store.hpp"

namespace CLI {
class App;
}

namespace mend::cli {

struct Context;

// A PERSON as the user wrote it: `me` is the current user, `nobody` is no
// one (nullopt); any other name is kept as written, trimmed. An empty or
// over-long name is Error(usage) naming `option`.
std::optional<std::string> person(const Context& ctx, const std::string& option,
                                  const std::string& words);

// The owner filter of `--owner NAME` (a PERSON) and `--mine`; both at once is
// Error(usage). Neither: anyone's cases.
OwnerFilter owner_filter(const Context& ctx, const std::optional<std::string>& owner, bool mine);

// The `--owner PERSON` and `--mine` filter options of list and search.
void add_owner_filter_options(CLI::App& sub, std::optional<std::string>& owner, bool& mine);

}  // namespace mend::cli
