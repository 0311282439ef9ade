// mend reply ID [TEXT]: write to the case's customer by email, from a template
// or in your own words, through your own mail system; the reply joins the
// timeline so the customer's answer threads back to the case.
#include <fmt/format.h>

#include <future>
#include <memory>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/liability_warning.hpp"
#include "cli/sendmail.hpp"
#include "core/errors.hpp"
#include "core/reply.hpp"

namespace mend::cli {
namespace {

struct ReplyOptions {
  std::string id;
  std::string text;
  std::string message;
  std::string file;
  std::string template_name;
  bool print = false;
};

constexpr const char* kDraftNote =
    "\n"
    "# Your reply to {} <{}> on case #{}, subject: {}\n"
    "# Lines starting with '#' are ignored; an empty text sends nothing.\n";

void run_reply(Context& ctx, ReplyOptions& o) {
  const auto id = parse_id(o.id);
  const int given = (!o.text.empty() ? 1 : 0) + (!o.message.empty() ? 1 : 0) +
                    (!o.file.empty() ? 1 : 0) + (!o.template_name.empty() ? 1 : 0);
  if (given > 1) fail(ErrorKind::usage, "give one of TEXT, -m TEXT, -F FILE or --template NAME");
  const bool edit = ctx.stdin_is_tty && (given == 0 || !o.template_name.empty());
  if (given == 0 && !ctx.stdin_is_tty)
    fail(ErrorKind::usage,
         "give the TEXT, -m TEXT, -F FILE or --template NAME; the editor opens only on a "
         "terminal");

  // Everything that can refuse is checked before the editor opens, with no
  // transaction open.
  // GMime and GLib take about a millisecond to load: they load on a thread of
  // their own while the case is read.
  auto loading = std::async(std::launch::async, [] { return std::make_unique<MailReader>(); });
  const Case c = ctx.store().get_case(id);
  const auto mail = loading.get();
  const MailReader& writer = *mail;
  std::string bytes;
  Reply r = build_reply(ctx, writer, c, "", false, bytes);

  std::string body;
  std::string what = "the reply";
  if (!o.template_name.empty()) {
    const auto t = load_template(o.template_name, reply_templates_dir());
    body = render_template(t, reply_values(c, ctx.config.business_name, ctx.config.from));
  } else if (!o.file.empty()) {
    body = read_text_input(o.file);
    what = "the reply in " + o.file;
  } else {
    body = !o.text.empty() ? o.text : o.message;
  }
  if (edit) {
    body = edit_text(body + fmt::format(fmt::runtime(kDraftNote), header_text(c.customer.name),
                                        r.mail.to_address, c.id, r.mail.subject));
    if (trimmed(body).empty()) fail(ErrorKind::declined, "empty reply; nothing was sent");
  }
  if (trimmed(body).empty()) fail(ErrorKind::usage, what + " is empty; nothing was sent");
  check_text(body, kMaxEventText / 2, what, ErrorKind::data);

  r = build_reply(ctx, writer, c, body, false, bytes);
  if (auto warning = liability_warning(c, EventKind::reply, body)) ctx.warn(*warning);
  if (o.print) {
    ctx.out.write(bytes);
    return;
  }
  const Case after = send_and_record(ctx, id, r, bytes);
  print_change(ctx,
               {fmt::format("Sent a reply to {} for case {}.", terminal_safe(r.mail.to_address),
                            ctx.out.paint(fmt::format("#{}", after.id), Style::bold))},
               c, after);
}

}  // namespace

void add_reply(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ReplyOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("TEXT", o->text, "The reply (omit on a terminal to write it in $EDITOR)");
  sub.add_option("-m,--message", o->message, "The reply's text")->type_name("TEXT");
  sub.add_option("-F,--file", o->file, "Read the reply from FILE (- for stdin)")->type_name("FILE");
  sub.add_option("--template", o->template_name,
                 "Start from a template: ack, apology, update, resolution, followup, or your own "
                 "in templates/ beside the config file")
      ->type_name("NAME");
  sub.add_flag("--print", o->print,
               "Write the message to stdout instead of sending it; records nothing");
  sub.footer(
      "The message goes from the config key from to the customer's email, through the\n"
      "config key sendmail (default /usr/sbin/sendmail -t -i), and is recorded as a reply\n"
      "event only when that command exits 0. Placeholders in templates: {{customer}},\n"
      "{{first_name}}, {{case}}, {{summary}}, {{due}}, {{outcome}}, {{amount}}, {{business}}.\n"
      "Exit 64 without from; 65 for a customer without email or an unfilled placeholder;\n"
      "75 when the mail command fails or runs past 60 s (nothing recorded).");
  commands.push_back({&sub, [o](Context& ctx) { run_reply(ctx, *o); }});
}

}  // namespace mend::cli
