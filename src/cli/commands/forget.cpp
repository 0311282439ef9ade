// mend forget CUSTOMER_ID: erase a customer's personal data, keep the facts
// reports need.
#include <fmt/format.h>

#include <charconv>
#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct ForgetOptions {
  std::string customer;
  bool yes = false;
};

std::int64_t parse_customer_id(std::string text) {
  if (!text.empty() && text[0] == '#') text.erase(0, 1);
  std::int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || id < 1)
    fail(ErrorKind::usage, "CUSTOMER_ID takes a customer number like 3, not '" + text + "'");
  return id;
}

// Asks on the terminal; no transaction is open meanwhile.
bool confirmed(Context& ctx, const Customer& c, std::int64_t cases) {
  const std::string question = fmt::format(
      "Forget customer #{} ({}, {} case{})? This erases their name, email, phone and the text of "
      "their cases for good. [y/N] ",
      c.id, terminal_safe(c.name), cases, cases == 1 ? "" : "s");
  std::fwrite(question.data(), 1, question.size(), ctx.err);
  std::fflush(ctx.err);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  answer = lowercase(trimmed(answer));
  return answer == "y" || answer == "yes";
}

void run_forget(Context& ctx, const ForgetOptions& o) {
  const auto id = parse_customer_id(o.customer);
  if (!o.yes && !ctx.stdin_is_tty)
    fail(ErrorKind::usage,
         "forget asks for confirmation on a terminal; give --yes to run it "
         "from a script");
  auto& store = ctx.store();
  const auto [customer, cases] = store.get_customer(id);  // unknown -> 66 before asking
  if (!o.yes && !confirmed(ctx, customer, cases))
    fail(ErrorKind::declined, fmt::format("customer #{} was not forgotten; nothing changed", id));
  const auto done = store.forget_customer(id, ctx.now);
  if (!done.wal_truncated)
    ctx.warn(
        "another mend process kept the log from being emptied; the erased text leaves "
        "the -wal file at the next checkpoint");
  if (ctx.quiet) return;
  if (ctx.json) {
    Json j;
    j["customer"] = id;
    j["cases"] = done.cases;
    j["events"] = done.events;
    j["attachments"] = done.attachments;
    ctx.out.line(dump_json(j));
    return;
  }
  std::string files;
  if (done.attachments > 0)
    files =
        fmt::format(", and deleted {} file{}", done.attachments, done.attachments == 1 ? "" : "s");
  ctx.out.line(fmt::format(
      "Forgot customer #{}: erased the name, email and phone, and the text of {} case{} and {} "
      "event{}{}.",
      id, done.cases, done.cases == 1 ? "" : "s", done.events, done.events == 1 ? "" : "s", files));
}

}  // namespace

void add_forget(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ForgetOptions>();
  sub.add_option("CUSTOMER_ID", o->customer, "The customer's number (see show --json)")->required();
  sub.add_flag("-y,--yes", o->yes, "Do not ask (for scripts); without it mend asks on a terminal");
  commands.push_back({&sub, [o](Context& ctx) { run_forget(ctx, *o); }});
}

}  // namespace mend::cli
