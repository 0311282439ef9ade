// mend open CUSTOMER [SUMMARY]: write a complaint down.
#include <fmt/format.h>

#include <algorithm>

#include "cli/case_options.hpp"
#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/owner.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct OpenOptions {
  std::string customer;
  std::string summary;
  std::string email, phone, channel = "other", category, priority = "normal", wants, ref, due;
  std::vector<std::string> tags;
  std::string message;
  std::string file;
  std::optional<std::string> owner;
};

constexpr const char* kTemplate =
    "{}\n"
    "# Write the complaint for {} above this block.\n"
    "# The first line is the summary (one line); the lines after it are the\n"
    "# complaint in the customer's own words. Lines starting with '#' are\n"
    "# ignored; an empty summary leaves everything as it was.\n";

// The case the options describe, each checked (sizes before the editor may open).
NewCase case_of_options(Context& ctx, const OpenOptions& o) {
  NewCase in;
  in.customer_name = one_line("CUSTOMER", o.customer);
  if (in.customer_name.empty()) fail(ErrorKind::usage, "CUSTOMER must not be empty");
  if (auto email = optional_text(o.email)) {
    check_email(*email);
    in.email = email;
  }
  if (auto phone = optional_text(o.phone)) in.phone = checked_phone(*phone);
  in.channel = require_value<Channel>("--channel", lowercase(trimmed(o.channel)));
  in.priority = require_value<Priority>("--priority", lowercase(trimmed(o.priority)));
  in.category = lowercase(one_line("--category", o.category));
  if (in.category.empty()) in.category = "other";
  in.wants = optional_text(o.wants);
  if (o.owner) in.owner = person(ctx, "--owner", *o.owner);
  if (auto ref = optional_text(o.ref)) in.reference = one_line("--ref", *ref);
  for (const auto& t : o.tags)
    in.tags.push_back(one_tag("--tag", t));
  // The options' sizes, before the editor may open.
  check_text(in.customer_name, kMaxLineText, "CUSTOMER", ErrorKind::usage);
  if (in.email) check_text(*in.email, kMaxLineText, "--email", ErrorKind::usage);
  if (in.phone) check_text(*in.phone, kMaxLineText, "--phone", ErrorKind::usage);
  check_text(in.category, kMaxLineText, "--category", ErrorKind::usage);
  if (in.wants) check_text(*in.wants, kMaxLongText, "--wants", ErrorKind::usage);
  if (in.reference) check_text(*in.reference, kMaxLineText, "--ref", ErrorKind::usage);
  if (in.tags.size() > kMaxTags)
    fail(ErrorKind::usage, "at most " + std::to_string(kMaxTags) + " --tag options");
  for (const auto& t : in.tags)
    check_text(t, kMaxLineText, "--tag", ErrorKind::usage);
  return in;
}

// The summary and the complaint: from the arguments, -m, -F or the editor.
void take_words(const Context& ctx, const OpenOptions& o, NewCase& in) {
  if (!o.message.empty() && !o.file.empty())
    fail(ErrorKind::usage, "give the complaint with -m or -F, not both");
  std::string complaint = o.message;
  check_text(complaint, kMaxLongText, "-m (the complaint)", ErrorKind::usage);
  if (!o.file.empty()) {
    complaint = read_text_input(o.file);
    check_text(complaint, kMaxLongText, "the complaint in " + o.file, ErrorKind::data);
  }
  // From the editor: data, as a file's content.
  const ErrorKind summary_kind = o.summary.empty() ? ErrorKind::data : ErrorKind::usage;

  std::string summary = o.summary;
  if (summary.empty()) {
    if (!ctx.stdin_is_tty) {
      fail(ErrorKind::usage,
           "give a SUMMARY (mend open CUSTOMER SUMMARY); the editor opens only on a terminal");
    }
    // Runs before the database is touched: no transaction is open while the user types.
    const std::string edited = edit_text(fmt::format(
        fmt::runtime(kTemplate), complaint.empty() ? "" : "\n" + complaint, in.customer_name));
    const auto first_nl = edited.find('\n');
    summary = trimmed(edited.substr(0, first_nl));
    if (summary.empty()) fail(ErrorKind::declined, "empty summary; no case was opened");
    complaint = first_nl == std::string::npos ? "" : edited.substr(first_nl + 1);
    check_text(complaint, kMaxLongText, "the complaint", ErrorKind::data);
  }
  in.summary = one_line("SUMMARY", summary);
  if (in.summary.empty()) fail(ErrorKind::usage, "SUMMARY must not be empty");
  check_text(in.summary, kMaxLineText, "the summary", summary_kind);
  // Keep the customer's words as written; only drop surrounding blank lines.
  const auto first = complaint.find_first_not_of(" \t\r\n");
  if (first != std::string::npos) {
    const auto line_start = complaint.rfind('\n', first);
    complaint = complaint.substr(line_start == std::string::npos ? 0 : line_start + 1);
    complaint.erase(complaint.find_last_not_of(" \t\r\n") + 1);
    in.complaint = complaint;
  }
}

void run_open(Context& ctx, OpenOptions& o) {
  NewCase in = case_of_options(ctx, o);
  const std::string due_text = o.due.empty() ? ctx.config.due_in : o.due;
  in.due_at = stored_when(o.due.empty() ? "--due (due_in)" : "--due", due_text, ctx.now, false,
                          ctx.config.calendar);
  const std::string day_off =
      o.due.empty() ? "" : day_off_warning("--due", o.due, in.due_at, ctx.config.calendar);

  take_words(ctx, o, in);
  warn_unlisted_category(ctx, in.category);

  auto& store = ctx.store();
  const Case c = store.open_case(in, ctx.now);
  if (!day_off.empty()) ctx.warn(day_off);
  if (ctx.json) {
    ctx.out.line(dump_json(case_json(c, true)));
    return;
  }
  if (ctx.quiet) {
    ctx.out.line(std::to_string(c.id));
    return;
  }
  ctx.out.line(fmt::format(
      "Opened case {} for {}{}.", ctx.out.paint(fmt::format("#{}", c.id), Style::bold),
      terminal_safe(c.customer.name), c.due_at ? ", due " + when_words(*c.due_at, ctx.now) : ""));
  ctx.out.line();
  render_case(ctx.out, c, store.customer_history(c.customer.id, c.id), ctx.now);
}

}  // namespace

void add_open(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<OpenOptions>();
  sub.add_option("CUSTOMER", o->customer, "Customer name")->required();
  sub.add_option("SUMMARY", o->summary,
                 "One-line summary (omit on a terminal to write it in $EDITOR)");
  sub.add_option("--email", o->email, "Customer's email (matches an existing customer)")
      ->type_name("EMAIL");
  sub.add_option("--phone", o->phone, "Customer's phone (matches an existing customer)")
      ->type_name("PHONE");
  sub.add_option("--channel", o->channel,
                 "How it reached you: in-person, phone, email, chat, social, review, other")
      ->type_name("CHANNEL");
  sub.add_option("--category", o->category, "What it is about (product, service, billing, ...)")
      ->type_name("CATEGORY");
  sub.add_option("--priority", o->priority, "low, normal (default), high or urgent")
      ->type_name("PRIORITY");
  sub.add_option("--wants", o->wants, "What the customer asks for")->type_name("TEXT");
  sub.add_option("--ref", o->ref, "Order or invoice number")->type_name("REF");
  sub.add_option("--tag", o->tags, "A tag (repeatable)")->type_name("TAG")->allow_extra_args(false);
  sub.add_option(
         "--due", o->due,
         "Promised time frame: friday, 2bd (working days), +3d, 'in 3 days', 2026-12-01 ... "
         "(default +2d, or due_in in config)")
      ->type_name("WHEN");
  auto* m = sub.add_option("-m,--message", o->message, "The complaint in the customer's words")
                ->type_name("TEXT");
  sub.add_option("--owner", o->owner, "Who handles the case: a name, me, or nobody (default)")
      ->type_name("PERSON");
  sub.add_option("-F,--file", o->file, "Read the complaint from FILE (- for stdin)")
      ->type_name("FILE")
      ->excludes(m);
  commands.push_back({&sub, [o](Context& ctx) { run_open(ctx, *o); }});
}

}  // namespace mend::cli
