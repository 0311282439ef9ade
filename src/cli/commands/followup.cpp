// mend followup [ID]: what needs attention now (for people and cron), and
// recording the follow-up call on a resolved case.
#include <fmt/format.h>

#include <algorithm>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/owner.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct FollowupOptions {
  std::string id;
  std::string within;
  bool done = false;
  std::string csat;
  std::string message;
  bool no_answer = false;
  std::string at;
  std::optional<std::string> owner;
  bool mine = false;
};

// How long after a follow-up call nobody answered the next one is due.
constexpr const char* kRetryIn = "+2d";

std::string reason_words(const std::string& reason) {
  if (reason == "followup") return "follow-up";
  if (reason == "due-soon") return "due soon";
  return reason;
}

Style reason_style(const std::string& reason) {
  if (reason == "overdue") return Style::red;
  if (reason == "due-soon") return Style::yellow;
  return Style::cyan;
}

std::string contact(const Customer& c) {
  std::string out;
  if (c.email) out = terminal_safe(*c.email);
  if (c.phone) out += (out.empty() ? "" : ", ") + terminal_safe(*c.phone);
  return out.empty() ? "-" : out;
}

// One row per item, in columns. Off a terminal (cron mail, a pipe) nothing is
// cut and nothing is coloured; on a terminal the summary gives way to the width.
void print_items(Context& ctx, const std::vector<DueItem>& items) {
  auto& out = ctx.out;
  const std::vector<std::string> header = {"ID",       "REASON",  "WHEN",
                                           "CUSTOMER", "CONTACT", "SUMMARY"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : items) {
    // Unanswered mail is not late for anything: say when it came.
    const std::string when =
        d.reason == "unanswered" ? "since " + when_words(d.at, ctx.now) : due_words(d.at, ctx.now);
    rows.push_back({fmt::format("#{}", d.case_id), reason_words(d.reason), when,
                    terminal_safe(d.customer.name), contact(d.customer), terminal_safe(d.summary)});
  }
  std::vector<int> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i)
    widths[i] = display_width(header[i]);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i)
      widths[i] = std::max(widths[i], display_width(r[i]));
  constexpr std::size_t kSummary = 5;
  if (out.is_tty()) {
    int total = 0;
    for (auto w : widths)
      total += w + 2;
    total -= 2;
    if (total > out.width())
      widths[kSummary] = std::max(12, widths[kSummary] - (total - out.width()));
  }
  auto emit = [&](const std::vector<std::string>& cells, bool is_header, Style reason) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string cell = cells[i];
      if (i == kSummary) {
        if (out.is_tty()) cell = fit(cell, widths[i]);
        line += cell;
        break;
      }
      const std::string padded = pad(cell, widths[i]);
      line += (i == 1 && !is_header) ? out.paint(padded, reason) : padded;
      line += "  ";
    }
    out.line(is_header ? out.paint(line, Style::bold) : line);
  };
  emit(header, true, Style::plain);
  for (std::size_t i = 0; i < rows.size(); ++i)
    emit(rows[i], false, reason_style(items[i].reason));
}

void run_list(Context& ctx, const FollowupOptions& o) {
  if (o.done || o.no_answer || !o.at.empty() || !o.csat.empty() || !o.message.empty()) {
    fail(ErrorKind::usage,
         "--done, --csat, --no-answer, --at and -m record a follow-up: give the case ID "
         "(mend followup ID --done --csat 5)");
  }
  // Follow-ups due up to the end of today; open cases due within 24 hours.
  Time followups_until = parse_when("today", ctx.now, DateRole::deadline).at.value();
  Time due_until = ctx.now + 24 * 3600;
  if (!o.within.empty()) {
    const Time until =
        parse_when(o.within, ctx.now, DateRole::deadline, false, ctx.config.calendar).at.value();
    followups_until = std::max(followups_until, until);
    due_until = std::max(due_until, until);
  }
  const auto owner = owner_filter(ctx, o.owner, o.mine);
  const auto items = ctx.store().due_items(ctx.now, followups_until, due_until, owner);
  if (ctx.json) {
    Json array = Json::array();
    for (const auto& d : items) {
      Json j;
      j["case"] = d.case_id;
      j["customer"] = customer_json(d.customer);
      j["summary"] = d.summary;
      j["reason"] = d.reason;
      j["at"] = json_time(d.at);
      array.push_back(std::move(j));
    }
    ctx.out.line(dump_json(array));
    return;
  }
  // Nothing due: not a word, so that cron sends no mail.
  if (items.empty()) return;
  print_items(ctx, items);
}

int parse_csat(const std::string& text) {
  const std::string t = trimmed(text);
  if (t.size() != 1 || t[0] < '1' || t[0] > '5')
    fail(ErrorKind::usage,
         "--csat takes a whole number from 1 (unhappy) to 5 (delighted), not '" + text + "'");
  return t[0] - '0';
}

void run_record(Context& ctx, const FollowupOptions& o) {
  const auto id = parse_id(o.id);
  if (!o.within.empty())
    fail(ErrorKind::usage,
         "--within goes with the list (mend followup --within WHEN), not with an ID");
  if (o.owner || o.mine)
    fail(ErrorKind::usage,
         "--owner and --mine go with the list (mend followup --mine), not with an ID");
  const int actions = int(o.done) + int(o.no_answer) + int(!o.at.empty());
  if (actions != 1)
    fail(ErrorKind::usage,
         "give exactly one of --done --csat N, --no-answer or --at WHEN to record the follow-up");
  if (!o.csat.empty() && !o.done) fail(ErrorKind::usage, "--csat goes with --done");
  FollowupRecord r;
  const std::string message = trimmed(o.message);
  check_text(message, kMaxLongText, "-m", ErrorKind::usage);
  std::string day_off;
  if (o.done) {
    if (o.csat.empty())
      fail(ErrorKind::usage, "--done needs --csat 1..5: how satisfied the customer is");
    r.action = FollowupRecord::Action::done;
    r.csat = parse_csat(o.csat);
    r.done_text =
        message.empty() ? fmt::format("Follow-up done: satisfaction {}/5", r.csat) : message;
  } else {
    r.action = o.no_answer ? FollowupRecord::Action::no_answer : FollowupRecord::Action::reschedule;
    r.next = stored_when(o.no_answer ? "--no-answer (now + 2 days)" : "--at",
                         o.no_answer ? kRetryIn : o.at, ctx.now, false, ctx.config.calendar)
                 .value();
    if (!o.no_answer) day_off = day_off_warning("--at", o.at, r.next, ctx.config.calendar);
    r.attempt_text = message.empty() ? "No answer" : message;
    // Worded as resolve words the first one, so a timeline says it one way.
    const auto lt = to_local(r.next);
    const std::string when =
        fmt::format("follow-up due {} {:02}:{:02}", local_date(r.next), lt.hour, lt.minute);
    r.scheduled_text = o.no_answer || message.empty() ? when : when + ": " + message;
  }
  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().record_followup(id, r, ctx.now);
  if (!day_off.empty()) ctx.warn(day_off);
  // A line that says what was recorded, then what changed.
  std::vector<std::string> confirmation;
  {
    const auto tag = ctx.out.paint(fmt::format("#{}", c.id), Style::bold);
    if (o.done) {
      confirmation.push_back(
          fmt::format("Followed up case {}: satisfaction {}/5; closed.", tag, r.csat));
    } else if (o.no_answer) {
      confirmation.push_back(
          fmt::format("No answer on case {}; try again {}.", tag, when_words(r.next, ctx.now)));
    } else {
      confirmation.push_back(
          fmt::format("Moved the follow-up of case {} to {}.", tag, when_words(r.next, ctx.now)));
    }
  }
  print_change(ctx, confirmation, before, c);
}

void run_followup(Context& ctx, const FollowupOptions& o) {
  if (o.id.empty()) {
    run_list(ctx, o);
  } else {
    run_record(ctx, o);
  }
}

}  // namespace

void add_followup(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<FollowupOptions>();
  sub.footer(
      "Without ID: resolved cases whose follow-up is due by the end of today, open cases past\n"
      "their due time (overdue) or due within 24 h (due soon), oldest first. Prints nothing\n"
      "and exits 0 when nothing is due, so a cron job mails only real work (cron's PATH is\n"
      "/usr/bin:/bin: name the folder mend is in):\n"
      "  PATH=/usr/local/bin:/usr/bin:/bin\n"
      "  0 8 * * 1-5 mend followup\n"
      "With ID: exactly one of --done --csat N [-m TEXT] (closes the case), --no-answer\n"
      "(logs the attempt, tries again in 2 days) or --at WHEN (reschedules).");
  sub.add_option("ID", o->id, "The resolved case whose follow-up to record")->type_name("ID");
  sub.add_option("--within", o->within,
                 "List: also what is due up to WHEN (default: follow-ups due today, cases "
                 "due within 24 h)")
      ->type_name("WHEN");
  sub.add_option("--owner", o->owner, "List: only the cases PERSON handles (a name, me, or nobody)")
      ->type_name("PERSON");
  sub.add_flag("--mine", o->mine, "List: only the cases you handle (for each person's cron line)");
  sub.add_flag("--done", o->done,
               "Record: the customer was reached; closes the case (needs --csat)");
  sub.add_option("--csat", o->csat, "With --done: satisfaction from 1 (unhappy) to 5 (delighted)")
      ->type_name("N");
  sub.add_option("-m,--message", o->message,
                 "Record: what was said (the text of the follow-up event)")
      ->type_name("TEXT");
  sub.add_flag("--no-answer", o->no_answer,
               "Record: nobody answered; logs the attempt and tries again in 2 days");
  sub.add_option("--at", o->at, "Record: move the follow-up to WHEN")->type_name("WHEN");
  commands.push_back({&sub, [o](Context& ctx) { run_followup(ctx, *o); }});
}

}  // namespace mend::cli
