// mend __complete cases|categories|customers|customer-names: the words the shell completions
// offer, one `value<TAB>description` line each. Hidden from --help. A missing
// database prints nothing (a TAB must never create one), and so does any error:
// completion is a convenience, never a reason for noise on the terminal.
#include <algorithm>
#include <filesystem>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

constexpr int kCompletionLimit = 200;

std::string one_line(std::string_view text) {
  return fit(terminal_safe(text),
             72);  // terminal_safe() without multiline turns tabs and newlines into spaces and ^J
}

void run_complete(Context& ctx, const std::string& what) {
  std::vector<CompletionItem> items;
  try {
    std::error_code ec;
    const bool have_db =
        is_postgres_location(ctx.db_path) || std::filesystem::is_regular_file(ctx.db_path, ec);
    if (have_db) {
      auto& store = ctx.store();
      if (what == "cases") items = store.completion_cases(kCompletionLimit);
      if (what == "categories") items = store.completion_categories(kCompletionLimit);
      if (what == "customers") items = store.completion_customers(kCompletionLimit);
      if (what == "customer-names") {
        // For list --customer, which matches a part of the name: each name
        // once, the most recent customer of that name described.
        for (auto& c : store.completion_customers(kCompletionLimit)) {
          const bool seen = std::any_of(items.begin(), items.end(), [&](const CompletionItem& i) {
            return i.value == c.description;
          });
          if (!seen) items.push_back({c.description, "customer " + c.value});
        }
      }
    }
  } catch (const Error&) {
    return;
  }
  if (what == "categories") {
    for (const auto& c : ctx.config.categories) {
      const bool known = std::any_of(items.begin(), items.end(),
                                     [&](const CompletionItem& i) { return i.value == c; });
      if (!known) items.push_back({c, "from config"});
    }
  }
  for (const auto& item : items) {
    const auto value = terminal_safe(item.value);
    if (value.empty()) continue;
    ctx.out.line(value + "\t" + one_line(item.description));
  }
}

}  // namespace

void add_complete(CLI::App& sub, Commands& commands) {
  auto what = std::make_shared<std::string>();
  sub.add_option("WHAT", *what, "cases, categories, customers or customer-names")
      ->required()
      ->check(CLI::IsMember({"cases", "categories", "customers", "customer-names"}));
  commands.push_back({&sub, [what](Context& ctx) { run_complete(ctx, *what); }});
}

}  // namespace mend::cli
