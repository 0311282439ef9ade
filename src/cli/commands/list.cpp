// mend list: cases, newest first, filtered.
#include <fmt/format.h>

#include <algorithm>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/owner.hpp"
#include "cli/status_option.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct ListOptions {
  std::vector<std::string> statuses;
  std::string customer, category, channel, tag, since, until, limit;
  std::optional<std::string> owner;
  bool overdue = false;
  bool mine = false;
};

std::optional<std::string> given(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

ListFilter make_filter(Context& ctx, const ListOptions& o) {
  ListFilter f;
  f.owner = owner_filter(ctx, o.owner, o.mine);
  f.statuses = parse_statuses(o.statuses);
  if (!o.channel.empty()) f.channel = require_value<Channel>("--channel", lowercase(o.channel));
  f.customer = given(trimmed(o.customer));
  f.category = given(lowercase(trimmed(o.category)));
  f.tag = given(trimmed(o.tag));
  f.overdue = o.overdue;
  const auto span = since_until(o.since, o.until, ctx.now, ctx.config.calendar);
  f.since = span.since;
  f.until = span.until;
  if (!span.future_warning.empty()) ctx.warn(span.future_warning);
  f.limit = parse_limit(o.limit);
  return f;
}

// The cells of one case, already safe and maybe painted.
std::vector<std::string> row_cells(Context& ctx, const Case& c) {
  auto& out = ctx.out;
  std::string due = "-";
  if (c.due_at && c.status == Status::open) {
    due = when_words(*c.due_at, ctx.now);
    if (*c.due_at < ctx.now) due = out.paint("late " + local_date(*c.due_at), Style::red);
  } else if (c.status == Status::resolved && c.followup_at) {
    due = "f/up " + local_date(*c.followup_at);
  }
  return {fmt::format("{}", c.id),
          status_word(out, c.status),
          priority_word(out, c.priority),
          local_date(c.opened_at),
          due,
          terminal_safe(c.customer.name),
          terminal_safe(c.category),
          terminal_safe(c.summary)};
}

// The table streams: pass 0 sizes the columns, pass 1 prints, so memory stays
// flat however many cases match.
void print_table(Context& ctx, const ListFilter& filter) {
  auto& out = ctx.out;
  const std::vector<std::string> header = {"ID",  "STATUS",   "PRI",      "OPENED",
                                           "DUE", "CUSTOMER", "CATEGORY", "SUMMARY"};
  std::vector<int> widths(header.size(), 0);
  std::vector<bool> dropped(header.size(), false);  // left out to fit a narrow terminal
  for (std::size_t i = 0; i < header.size(); ++i)
    widths[i] = display_width(header[i]);
  auto emit = [&](const std::vector<std::string>& cells, bool is_header) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (dropped[i]) continue;
      std::string cell = cells[i];
      if (display_width(cell) > widths[i]) cell = fit(cell, widths[i]);
      const bool last = i + 1 == cells.size();
      if (i == 0) {  // ids align right
        line += std::string(static_cast<std::size_t>(widths[i] - display_width(cell)), ' ') + cell;
      } else {
        line += last ? cell : pad(cell, widths[i]);
      }
      if (!last) line += "  ";
    }
    out.line(is_header ? out.paint(line, Style::bold) : line);
  };
  bool any = false;
  ctx.store().each_case(
      filter, ctx.now, 2,
      [&](int pass, const Case& c) {
        const auto cells = row_cells(ctx, c);
        if (pass == 0) {
          any = true;
          for (std::size_t i = 0; i < cells.size(); ++i)
            widths[i] = std::max(widths[i], display_width(cells[i]));
          return;
        }
        if (!any) return;
        emit(cells, false);
      },
      [&] {
        // Between the passes: nothing matched, or fit the table to the terminal.
        if (!any) {
          if (ctx.out.is_tty() && !ctx.quiet) ctx.out.line("No cases match.");
          return;
        }
        // On a terminal the table fits the width: first the priority and the
        // opening date go (the least needed to find a case), then the customer
        // and summary give way.
        if (out.is_tty()) {
          auto total = [&] {
            int t = 0;
            for (std::size_t i = 0; i < widths.size(); ++i)
              if (!dropped[i]) t += widths[i] + 2;
            return t - 2;
          };
          const std::size_t kPriority = 2, kOpened = 3, kCustomer = 5, kSummary = 7;
          for (const auto column : {kPriority, kOpened})
            if (total() > out.width()) dropped[column] = true;
          while (total() > out.width() && widths[kSummary] > 12)
            --widths[kSummary];
          while (total() > out.width() && widths[kCustomer] > 10)
            --widths[kCustomer];
          while (total() > out.width() && widths[kSummary] > 1)
            --widths[kSummary];
        }
        emit(header, true);
      });
}

void run_list(Context& ctx, const ListOptions& o) {
  const auto filter = make_filter(ctx, o);
  if (ctx.json) {
    bool first = true;
    std::string text;
    ctx.out.write("[");
    ctx.store().each_case(filter, ctx.now, 1, [&](int, const Case& c) {
      text.assign(first ? "\n" : ",\n");
      first = false;
      append_case_json(text, c, false);
      ctx.out.write(text);
    });
    ctx.out.line(first ? "]" : "\n]");
    return;
  }
  print_table(ctx, filter);
}

}  // namespace

void add_list(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ListOptions>();
  add_status_option(sub, o->statuses);
  sub.add_option("--customer", o->customer,
                 "Customer id, or a part of the name, email or phone number")
      ->type_name("WHO");
  sub.add_option("--category", o->category, "Only this category")->type_name("CATEGORY");
  sub.add_option("--channel", o->channel, "Only this channel")->type_name("CHANNEL");
  sub.add_option("--tag", o->tag, "Only cases with this tag")->type_name("TAG");
  sub.add_flag("--overdue", o->overdue, "Only open cases past their due time");
  sub.add_option("--since", o->since, "Opened at or after WHEN (monday: this week's Monday)")
      ->type_name("WHEN");
  sub.add_option("--until", o->until, "Opened before WHEN (a day counts whole)")->type_name("WHEN");
  add_owner_filter_options(sub, o->owner, o->mine);
  sub.add_option("--limit", o->limit, "At most N cases")->type_name("N");
  commands.push_back({&sub, [o](Context& ctx) { run_list(ctx, *o); }});
}

}  // namespace mend::cli
