// mend resolve ID: record the remedy and schedule the follow-up call.
#include <fmt/format.h>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "core/errors.hpp"
#include "core/money.hpp"

namespace mend::cli {
namespace {

struct ResolveOptions {
  std::string id;
  std::string outcome;
  std::string message;
  std::string amount;
  std::string currency;
  std::string fault = "unknown";
  std::string cause;
  std::string followup;
  // Given at all: an empty --amount "" is an error, not "no amount".
  CLI::Option* amount_opt = nullptr;
  CLI::Option* currency_opt = nullptr;
  CLI::Option* followup_opt = nullptr;
};

void run_resolve(Context& ctx, ResolveOptions& o) {
  const auto id = parse_id(o.id);
  ResolveInput in;
  auto& r = in.resolution;
  r.outcome = require_value<Outcome>("--outcome", lowercase(trimmed(o.outcome)));
  r.fault = require_value<Fault>("--fault", lowercase(trimmed(o.fault)));
  r.text = optional_text(o.message);
  if (o.amount_opt->count() > 0) r.amount_cents = parse_amount(o.amount);
  const bool currency_given = o.currency_opt->count() > 0;
  r.currency = parse_currency(currency_given ? o.currency : ctx.config.currency,
                              currency_given ? "--currency" : "currency (config)");
  if (auto cause = optional_text(o.cause)) {
    if (cause->find_first_of("\r\n") != std::string::npos)
      fail(ErrorKind::usage, "--cause must be one line");
    r.cause = lowercase(*cause);
  }
  const std::string when = o.followup_opt->count() > 0 ? o.followup : ctx.config.followup_in;
  const bool typed = o.followup_opt->count() > 0;
  in.followup_at = stored_when(typed ? "--followup" : "--followup (followup_in)", when, ctx.now,
                               true, ctx.config.calendar);
  const std::string day_off =
      typed ? day_off_warning("--followup", when, in.followup_at, ctx.config.calendar) : "";
  if (r.text) check_text(*r.text, kMaxLongText, "-m", ErrorKind::usage);
  if (r.cause) check_text(*r.cause, kMaxLineText, "--cause", ErrorKind::usage);

  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().resolve_case(id, in, ctx.now);
  if (!day_off.empty()) ctx.warn(day_off);
  const auto tag = ctx.out.paint(fmt::format("#{}", c.id), Style::bold);
  print_change(ctx,
               {c.followup_at ? fmt::format("Resolved case {}; follow up {}.", tag,
                                            when_words(*c.followup_at, ctx.now))
                              : fmt::format("Resolved and closed case {} (no follow-up).", tag)},
               before, c);
}

}  // namespace

void add_resolve(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ResolveOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("--outcome", o->outcome,
                 "refund, replacement, repair, discount, credit, expedite, apology, explanation, "
                 "no-action or other")
      ->type_name("OUTCOME")
      ->required();
  sub.add_option("-m,--message", o->message, "What was done or agreed")->type_name("TEXT");
  o->amount_opt = sub.add_option("--amount", o->amount, "Money given back or credited, like 49.99")
                      ->type_name("AMOUNT");
  o->currency_opt = sub.add_option("--currency", o->currency,
                                   "ISO 4217 code of --amount (default USD, or currency in config)")
                        ->type_name("CODE");
  sub.add_option("--fault", o->fault,
                 "Internal, never for the customer: ours, customer, third-party, none or unknown "
                 "(default)")
      ->type_name("FAULT");
  sub.add_option("--cause", o->cause, "Root cause, for the report (lower-cased)")
      ->type_name("TEXT");
  o->followup_opt =
      sub.add_option("--followup", o->followup,
                     "When to check the customer is happy (default +3d, or followup_in in config); "
                     "never closes the case now")
          ->type_name("WHEN");
  commands.push_back({&sub, [o](Context& ctx) { run_resolve(ctx, *o); }});
}

}  // namespace mend::cli
