// mend reopen ID [REASON]: the customer came back; the case is open again.
#include <fmt/format.h>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct ReopenOptions {
  std::string id;
  std::string reason;
};

void run_reopen(Context& ctx, ReopenOptions& o) {
  const auto id = parse_id(o.id);
  const std::string reason = trimmed(o.reason);
  check_text(reason, kMaxLongText, "REASON", ErrorKind::usage);
  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().reopen_case(id, reason, ctx.now);
  print_change(
      ctx, {fmt::format("Reopened case {}.", ctx.out.paint(fmt::format("#{}", c.id), Style::bold))},
      before, c);
}

}  // namespace

void add_reopen(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ReopenOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("REASON", o->reason, "Why it is open again (goes on the timeline)");
  commands.push_back({&sub, [o](Context& ctx) { run_reopen(ctx, *o); }});
}

}  // namespace mend::cli
