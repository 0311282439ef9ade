#include "cli/owner.hpp"

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "core/errors.hpp"
#include "core/limits.hpp"

namespace mend::cli {

std::optional<std::string> person(const Context& ctx, const std::string& option,
                                  const std::string& words) {
  const std::string name = trimmed(words);
  if (name.empty()) fail(ErrorKind::usage, option + " needs a name, `me` or `nobody`");
  check_text(name, kMaxLineText, option, ErrorKind::usage);
  if (lowercase(name) == "nobody") return std::nullopt;
  if (lowercase(name) == "me") return ctx.user;
  return name;
}

OwnerFilter owner_filter(const Context& ctx, const std::optional<std::string>& owner, bool mine) {
  if (owner && mine) fail(ErrorKind::usage, "--owner and --mine cannot be used together");
  if (mine) return std::optional<std::string>(ctx.user);
  if (owner) return person(ctx, "--owner", *owner);
  return std::nullopt;
}

void add_owner_filter_options(CLI::App& sub, std::optional<std::string>& owner, bool& mine) {
  sub.add_option("--owner", owner, "Only the cases PERSON handles (a name, me, or nobody)")
      ->type_name("PERSON");
  sub.add_flag("--mine", mine, "Only the cases you handle (--owner me)");
}

}  // namespace mend::cli
