// mend show ID: one case, its whole timeline, and the customer's other cases.
#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"

namespace mend::cli {
namespace {

void run_show(Context& ctx, const std::string& id_text) {
  const auto id = parse_id(id_text);
  auto& store = ctx.store();
  const Case c = store.get_case(id);
  const auto history = store.customer_history(c.customer.id, c.id);
  if (ctx.json) {
    Json j = case_json(c, true);
    Json h = Json::array();
    for (const auto& item : history) {
      Json e;
      e["id"] = item.id;
      e["status"] = spelling(item.status);
      e["summary"] = item.summary;
      e["opened_at"] = format_utc(item.opened_at);
      h.push_back(std::move(e));
    }
    j["history"] = std::move(h);
    ctx.out.line(dump_json(j));
    return;
  }
  render_case(ctx.out, c, history, ctx.now);
}

}  // namespace

void add_show(CLI::App& sub, Commands& commands) {
  auto id = std::make_shared<std::string>();
  sub.add_option("ID", *id, "Case number")->required();
  commands.push_back({&sub, [id](Context& ctx) { run_show(ctx, *id); }});
}

}  // namespace mend::cli
