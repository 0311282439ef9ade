// mend edit ID: change a case's fields (or its customer's email and phone);
// one `edited` event names every change.
#include <fmt/format.h>

#include <algorithm>

#include "cli/case_options.hpp"
#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct EditOptions {
  std::string id;
  std::string summary, category, channel, priority, due, ref, wants, email, phone;
  std::vector<std::string> tags, untags;
  // Which options were given at all: an empty --ref "" clears the reference.
  CLI::Option *summary_opt = nullptr, *category_opt = nullptr, *channel_opt = nullptr,
              *priority_opt = nullptr, *due_opt = nullptr, *ref_opt = nullptr, *wants_opt = nullptr,
              *email_opt = nullptr, *phone_opt = nullptr;
};

// The changes on a terminal (no card below them); the case for --json and -q.
void print_edit(Context& ctx, std::int64_t id, const EditResult& result) {
  const auto tag = ctx.out.paint(fmt::format("#{}", id), Style::bold);
  if (result.changes.empty()) {
    ctx.warn(fmt::format("case #{} already has those values; nothing changed", id));
  }
  std::vector<std::string> confirmation;
  if (!result.changes.empty()) {
    confirmation.push_back(fmt::format("Edited case {}:", tag));
    for (const auto& c : result.changes)
      confirmation.push_back("  " + terminal_safe(c));
  }
  // In text the list of changes is all that changed: no card below it.
  if (!ctx.json && !ctx.quiet) {
    for (const auto& line : confirmation)
      ctx.out.line(line);
    return;
  }
  print_change(ctx, confirmation, std::nullopt, result.updated);
}

void run_edit(Context& ctx, EditOptions& o) {
  const auto id = parse_id(o.id);
  CaseEdit e;
  bool any = !o.tags.empty() || !o.untags.empty();
  auto given = [&](CLI::Option* opt) {
    const bool is = opt->count() > 0;
    any = any || is;
    return is;
  };
  if (given(o.summary_opt)) {
    e.summary = one_line("--summary", o.summary);
    if (e.summary->empty()) fail(ErrorKind::usage, "--summary must not be empty");
  }
  if (given(o.category_opt)) {
    e.category = lowercase(one_line("--category", o.category));
    if (e.category->empty())
      fail(ErrorKind::usage, "--category must not be empty (other is the default)");
  }
  if (given(o.channel_opt))
    e.channel = require_value<Channel>("--channel", lowercase(trimmed(o.channel)));
  if (given(o.priority_opt))
    e.priority = require_value<Priority>("--priority", lowercase(trimmed(o.priority)));
  std::string day_off;
  if (given(o.due_opt)) {
    e.due_at = stored_when("--due", o.due, ctx.now, false, ctx.config.calendar);
    day_off = day_off_warning("--due", o.due, e.due_at, ctx.config.calendar);
  }
  if (given(o.ref_opt)) e.reference = optional_text(one_line("--ref", o.ref));
  if (given(o.wants_opt)) e.wants = optional_text(o.wants);
  if (given(o.email_opt)) {
    auto email = optional_text(o.email);
    if (email) check_email(*email);
    e.email = email;
  }
  if (given(o.phone_opt)) {
    auto phone = optional_text(o.phone);
    if (phone) phone = checked_phone(*phone);
    e.phone = phone;
  }
  for (const auto& t : o.tags)
    e.add_tags.push_back(one_tag("--tag", t));
  if (e.summary) check_text(*e.summary, kMaxLineText, "--summary", ErrorKind::usage);
  if (e.category) check_text(*e.category, kMaxLineText, "--category", ErrorKind::usage);
  if (e.reference && *e.reference)
    check_text(**e.reference, kMaxLineText, "--ref", ErrorKind::usage);
  if (e.wants && *e.wants) check_text(**e.wants, kMaxLongText, "--wants", ErrorKind::usage);
  if (e.email && *e.email) check_text(**e.email, kMaxLineText, "--email", ErrorKind::usage);
  if (e.phone && *e.phone) check_text(**e.phone, kMaxLineText, "--phone", ErrorKind::usage);
  for (const auto& t : e.add_tags)
    check_text(t, kMaxLineText, "--tag", ErrorKind::usage);
  for (const auto& t : o.untags) {
    auto tag = one_tag("--untag", t);
    for (const auto& added : e.add_tags) {
      if (lowercase(added) == lowercase(tag))
        fail(ErrorKind::usage, "--tag and --untag both name '" + tag + "'; give one");
    }
    e.remove_tags.push_back(tag);
  }
  if (!any) {
    fail(ErrorKind::usage, "nothing to change; give at least one option (see 'mend edit --help')");
  }
  if (e.category) warn_unlisted_category(ctx, *e.category);

  const auto result = ctx.store().edit_case(id, e, ctx.now);
  if (!day_off.empty()) ctx.warn(day_off);
  print_edit(ctx, id, result);
}

}  // namespace

void add_edit(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<EditOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  o->summary_opt =
      sub.add_option("--summary", o->summary, "New one-line summary")->type_name("TEXT");
  o->category_opt = sub.add_option("--category", o->category, "New category (lower-cased)")
                        ->type_name("CATEGORY");
  o->channel_opt = sub.add_option("--channel", o->channel,
                                  "in-person, phone, email, chat, social, review or other")
                       ->type_name("CHANNEL");
  o->priority_opt = sub.add_option("--priority", o->priority, "low, normal, high or urgent")
                        ->type_name("PRIORITY");
  o->due_opt = sub.add_option("--due", o->due, "New promised time frame")->type_name("WHEN");
  o->ref_opt =
      sub.add_option("--ref", o->ref, "Order or invoice number (\"\" clears it)")->type_name("REF");
  o->wants_opt = sub.add_option("--wants", o->wants, "What the customer asks for (\"\" clears it)")
                     ->type_name("TEXT");
  sub.add_option("--tag", o->tags, "Add a tag (repeatable)")
      ->type_name("TAG")
      ->allow_extra_args(false);
  sub.add_option("--untag", o->untags, "Remove a tag (repeatable)")
      ->type_name("TAG")
      ->allow_extra_args(false);
  o->email_opt = sub.add_option("--email", o->email,
                                "The customer's email, on all their cases (\"\" clears it)")
                     ->type_name("EMAIL");
  o->phone_opt = sub.add_option("--phone", o->phone,
                                "The customer's phone, on all their cases (\"\" clears it)")
                     ->type_name("PHONE");
  commands.push_back({&sub, [o](Context& ctx) { run_edit(ctx, *o); }});
}

}  // namespace mend::cli
