// mend assign ID PERSON: who handles the case (`me`, a name, or `nobody`).
#include <fmt/format.h>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/owner.hpp"

namespace mend::cli {
namespace {

struct AssignOptions {
  std::string id;
  std::string person;
};

void run_assign(Context& ctx, AssignOptions& o) {
  const auto id = parse_id(o.id);
  const auto owner = person(ctx, "PERSON", o.person);
  bool changed = false;
  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().assign_case(id, owner, ctx.now, &changed);
  std::vector<std::string> confirmation;
  {
    const auto number = ctx.out.paint(fmt::format("#{}", c.id), Style::bold);
    std::string said;
    if (c.owner) {
      said = fmt::format("Case {} is {} {}'s.", number, changed ? "now" : "already",
                         terminal_safe(*c.owner));
    } else {
      said = fmt::format("Case {} {} no owner.", number, changed ? "now has" : "already has");
    }
    if (!changed) said += " Nothing changed.";
    confirmation.push_back(said);
  }
  print_change(ctx, confirmation, before, c);
}

}  // namespace

void add_assign(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<AssignOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("PERSON", o->person, "Who handles it: a name, `me`, or `nobody`")
      ->required()
      ->type_name("PERSON");
  sub.footer(
      "A new case has no owner unless `mend open --owner`. `list`, `followup` and `search`\n"
      "take --owner NAME and --mine; names match without regard to case.");
  commands.push_back({&sub, [o](Context& ctx) { run_assign(ctx, *o); }});
}

}  // namespace mend::cli
