#include "cli/case_view.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cli/context.hpp"
#include "core/errors.hpp"
#include "core/evidence.hpp"
#include "core/money.hpp"
#include "core/playbook.hpp"

namespace mend::cli {
namespace {

// Where a field's value, the timeline's text and the complaint begin.
constexpr int kFieldColumn = 13;
constexpr int kVerbWidth = 15;
constexpr int kStoryColumn = 4 + 5 + 2 + kVerbWidth + 2;
constexpr int kComplaintColumn = 2;

// `first` (a label as wide as `column`, or the indent) then the text; when
// the printer wraps, the text wraps under its column with a hanging indent.
// A colour the text turns on ends with each line and starts again on the
// next, so the indent is never coloured.
void column_text(Printer& out, const std::string& first, int column, const std::string& text,
                 Style style = Style::plain) {
  if (!out.wraps()) {
    out.line(first + out.paint(text, style));
    return;
  }
  const std::string indent(static_cast<std::size_t>(column), ' ');
  const std::string reset = "\x1b[0m";
  std::string colour;  // the colour code still on at the end of the line before
  const auto lines = wrap(text, out.width(), column);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = colour + lines[i];
    if (const auto esc = lines[i].rfind('\x1b'); esc != std::string::npos) {
      const auto end = lines[i].find('m', esc);
      colour = lines[i].substr(esc, end == std::string::npos ? end : end + 1 - esc);
      if (colour == reset) colour.clear();
    }
    if (!colour.empty()) line += reset;
    out.line((i == 0 ? first : lines[i].empty() ? std::string() : indent) + out.paint(line, style));
  }
}

void field(Printer& out, std::string_view label, const std::string& value,
           Style style = Style::plain) {
  column_text(out, "  " + out.paint(pad(label, 10), Style::dim) + " ", kFieldColumn, value, style);
}

// How each kind of event reads in the story of a case.
std::string_view story_verb(EventKind kind) {
  switch (kind) {
    case EventKind::call:
      return "called";
    case EventKind::email:
      return "emailed";
    case EventKind::meeting:
      return "met";
    case EventKind::apology:
      return "apologised";
    case EventKind::offer:
      return "offered";
    case EventKind::reply:
      return "replied";
    case EventKind::followup_scheduled:
      return "scheduled";
    case EventKind::followup_attempt:
      return "tried follow-up";
    case EventKind::followup_done:
      return "followed up";
    case EventKind::opened:
    case EventKind::note:
    case EventKind::edited:
    case EventKind::resolved:
    case EventKind::reopened:
    case EventKind::attached:
    case EventKind::assigned:
      break;
  }
  return spelling(kind);
}

// The timeline as a story: a line per local day, then time, what happened and
// its text (continuation lines aligned under the text).
void render_story(Printer& out, const std::vector<Event>& events) {
  std::string day;
  const std::string indent(kStoryColumn, ' ');
  for (const auto& e : events) {
    const std::string when = local_date_time(e.at);  // Mon 23 Nov 2026 14:05
    const std::string this_day = when.substr(0, when.size() - 6);
    if (this_day != day) {
      day = this_day;
      out.line("  " + out.paint(day, Style::dim));
    }
    std::string text = terminal_safe(e.text, true);
    // Mail in and out: who wrote it and the subject, above the words.
    std::string head;
    if (e.message) {
      const auto& m = *e.message;
      const bool in = m.direction == Direction::in;
      head = in ? "mail in" : "mail out";
      if (in && m.from) head += " from " + terminal_safe(*m.from);
      if (!in && m.to) head += " to " + terminal_safe(*m.to);
      if (m.subject && !m.subject->empty()) head += ": " + terminal_safe(*m.subject);
    }
    const Style style =
        e.kind == EventKind::apology || e.kind == EventKind::offer || e.kind == EventKind::reply
            ? Style::green
            : Style::cyan;
    std::string line = fmt::format("    {}  {}", when.substr(when.size() - 5),
                                   out.paint(pad(story_verb(e.kind), kVerbWidth), style));
    if (out.wraps()) {
      if (head.empty() && text.empty()) {
        out.line(line);
        continue;
      }
      line += "  ";
      if (!head.empty()) {
        column_text(out, line, kStoryColumn, head, Style::dim);
        line = indent;
      }
      if (!text.empty()) column_text(out, line, kStoryColumn, text);
      continue;
    }
    if (!head.empty()) text = out.paint(head, Style::dim) + (text.empty() ? "" : "\n" + text);
    for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += indent.size() + 1)
      text.replace(p, 1, "\n" + indent);
    if (!text.empty()) line += "  " + text;
    out.line(line);
  }
}

// The complaint, a line per line of its text (wrapped under its column when
// the printer wraps).
void render_complaint(Printer& out, const std::string& complaint) {
  const std::string body = terminal_safe(complaint, true);
  if (out.wraps()) {
    column_text(out, "  ", kComplaintColumn, body);
    return;
  }
  std::size_t start = 0;
  while (start <= body.size()) {
    const auto nl = body.find('\n', start);
    out.line("  " + body.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

// "Thu 26 Nov" (local_date_time without the year and the time).
std::string short_day(Time t) {
  const std::string full = local_date_time(t);  // Thu 26 Nov 2026 14:05
  const auto year = full.rfind(' ', full.size() - 7);
  return full.substr(0, year);
}

// A step with when it happened: "promise set (Thu 26 Nov)", "followed up Fri 27
// Nov 10:00, 5/5".
std::string step_text(const PlaybookStep& step) {
  if (!step.at) return step.label;
  if (step.state == StepState::done && step.label == "followed up") {
    const std::string when = local_date_time(*step.at);  // Fri 27 Nov 2026 10:00
    std::string text = step.label + " " + short_day(*step.at) + when.substr(when.size() - 6);
    if (step.score) text += fmt::format(", {}/5", *step.score);
    return text;
  }
  return step.label + " (" + short_day(*step.at) + ")";
}

// The playbook line: one mark per step, wrapped to the terminal's width.
void render_playbook(Printer& out, const Case& c, Time now) {
  const std::string label = "  " + out.paint(pad("Playbook", 10), Style::dim) + " ";
  const int indent = 13;
  std::string line = label;
  int width = indent;
  bool first = true;
  for (const auto& step : playbook(c, now)) {
    std::string mark;
    Style style = Style::dim;
    switch (step.state) {
      case StepState::done:
        mark = "✓";
        style = Style::green;
        break;
      case StepState::missed:
        mark = "✗";
        style = Style::red;
        break;
      case StepState::pending:
        mark = "·";
        break;
      case StepState::skipped:
        mark = "–";
        break;
    }
    const std::string text = step_text(step);
    const std::string item = mark + " " + text;
    const int item_width = display_width(item);
    if (!first && width + 2 + item_width > out.width()) {
      out.line(line);
      line = std::string(indent, ' ');
      width = indent;
      first = true;
    }
    if (!first) {
      line += "  ";
      width += 2;
    }
    line += step.state == StepState::pending || step.state == StepState::skipped
                ? out.paint(item, Style::dim)
                : out.paint(mark, style) + " " + text;
    width += item_width;
    first = false;
  }
  out.line(line);
}

// Opened, due (and whether the promise holds), resolved, follow-up, closed.
void render_times(Printer& out, const Case& c, Time now) {
  field(out, "Opened", local_date_time(c.opened_at));
  if (c.due_at) {
    std::string due = when_words(*c.due_at, now);
    if (c.status == Status::open) {
      const auto words = distance_words(*c.due_at, now);
      due += "  " + out.paint("(" + words + ")", *c.due_at < now ? Style::red : Style::dim);
    } else if (c.resolved_at) {
      due += *c.resolved_at <= *c.due_at ? "  " + out.paint("(kept)", Style::green)
                                         : "  " + out.paint("(missed)", Style::red);
    }
    field(out, "Due", due);
  }
  if (c.resolved_at) field(out, "Resolved", when_words(*c.resolved_at, now));
  if (c.followup_at) {
    // Once done, the follow-up is history: when it happened, not when it was due.
    const auto steps = playbook(c, now);
    const auto& followup = steps.back();
    if (followup.state == StepState::done && followup.at) {
      field(out, "Follow-up", "done " + when_words(*followup.at, now));
    } else {
      field(out, "Follow-up", when_words(*c.followup_at, now));
    }
  }
  if (c.closed_at) field(out, "Closed", when_words(*c.closed_at, now));
}

}  // namespace

std::string status_word(const Printer& out, Status status) {
  const std::string word(spelling(status));
  switch (status) {
    case Status::open:
      return out.paint(word, Style::yellow);
    case Status::resolved:
      return out.paint(word, Style::cyan);
    case Status::closed:
      break;
  }
  return out.paint(word, Style::green);
}

std::string priority_word(const Printer& out, Priority priority) {
  const std::string word(spelling(priority));
  switch (priority) {
    case Priority::urgent:
      return out.paint(word, Style::red);
    case Priority::high:
      return out.paint(word, Style::yellow);
    case Priority::low:
      return out.paint(word, Style::dim);
    case Priority::normal:
      break;
  }
  return word;
}

void render_case(Printer& out, const Case& c, const std::vector<HistoryItem>& history, Time now) {
  const std::string number = fmt::format("#{}  ", c.id);
  column_text(out, out.paint(fmt::format("#{}", c.id), Style::bold) + "  ", display_width(number),
              terminal_safe(c.summary), Style::bold);
  out.line(fmt::format("  {} · {} priority · {} · {}", status_word(out, c.status),
                       priority_word(out, c.priority), terminal_safe(c.category),
                       spelling(c.channel)));
  std::string who = terminal_safe(c.customer.name);
  if (c.customer.email) who += " <" + terminal_safe(*c.customer.email) + ">";
  if (c.customer.phone) who += "  " + terminal_safe(*c.customer.phone);
  field(out, "Customer",
        who + out.paint(fmt::format("  (customer {})", c.customer.id), Style::dim));
  if (c.owner) field(out, "Owner", terminal_safe(*c.owner));
  if (c.reference) field(out, "Reference", terminal_safe(*c.reference));
  if (!c.tags.empty()) {
    std::string tags;
    for (const auto& t : c.tags)
      tags += (tags.empty() ? "" : " ") + ("+" + terminal_safe(t));
    field(out, "Tags", tags);
  }
  render_times(out, c, now);
  if (c.wants) field(out, "Wants", terminal_safe(*c.wants));
  if (c.resolution) {
    const auto& r = *c.resolution;
    std::string line(spelling(r.outcome));
    if (r.amount_cents) line += " " + money_words(*r.amount_cents, r.currency);
    if (r.text) line += " — " + terminal_safe(*r.text);
    field(out, "Remedy", line);
    std::string internal = "fault " + std::string(spelling(r.fault));
    if (r.cause) internal += ", cause " + terminal_safe(*r.cause);
    field(out, "Internal", internal + "  (internal: not for the customer)", Style::dim);
  }
  if (c.satisfaction) field(out, "CSAT", fmt::format("{}/5", *c.satisfaction));
  render_playbook(out, c, now);
  if (c.complaint) {
    out.line();
    out.line(out.paint("Complaint", Style::bold));
    render_complaint(out, *c.complaint);
  }
  if (!c.attachments.empty()) {
    out.line();
    out.line(out.paint("Files", Style::bold));
    for (const auto& a : c.attachments) {
      out.line(fmt::format("  {}  {}  {}  {}", terminal_safe(a.name),
                           out.paint(terminal_safe(a.type), Style::dim), human_size(a.size),
                           out.paint(when_words(a.at, now), Style::dim)));
    }
  }
  if (!c.events.empty()) {
    out.line();
    out.line(out.paint("Timeline", Style::bold));
    render_story(out, c.events);
  }
  if (!history.empty()) {
    out.line();
    out.line(
        out.paint(fmt::format("Other cases from {}", terminal_safe(c.customer.name)), Style::bold));
    for (const auto& h : history) {
      const std::string first =
          fmt::format("  {}  {}  {}  ", pad(fmt::format("#{}", h.id), 6), local_date(h.opened_at),
                      pad(status_word(out, h.status), 8));
      column_text(out, first, display_width(first), terminal_safe(h.summary));
    }
  }
}

void print_case(Context& ctx, const Case& c) {
  if (ctx.json) {
    ctx.out.line(dump_json(case_json(c, true)));
    return;
  }
  if (ctx.quiet) return;
  render_case(ctx.out, c, {}, ctx.now);
}

std::optional<Case> case_before_change(Context& ctx, std::int64_t id) {
  if (ctx.json || ctx.quiet) return std::nullopt;
  try {
    return ctx.store().get_case(id);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<std::string> changed_lines(const std::vector<std::string>& before,
                                       const std::vector<std::string>& after) {
  // The same first and last lines are common; the rest is compared line by line.
  std::size_t head = 0;
  while (head < before.size() && head < after.size() && before[head] == after[head])
    ++head;
  std::size_t tail = 0;
  while (tail < before.size() - head && tail < after.size() - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail])
    ++tail;
  const std::size_t n = before.size() - head - tail;
  const std::size_t m = after.size() - head - tail;
  std::vector<std::string> out;
  // A table past a few million cells (thousands of timeline lines changed at
  // once) costs more than it tells: all of the middle is shown.
  if (n == 0 || m == 0 || n * m > 4'000'000) {
    out.assign(after.begin() + static_cast<std::ptrdiff_t>(head),
               after.end() - static_cast<std::ptrdiff_t>(tail));
    return out;
  }
  // lcs[i][j]: the longest common subsequence of before[head+i..] and after[head+j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
    return lcs[i * (m + 1) + j];
  };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = before[head + i] == after[head + j] ? at(i + 1, j + 1) + 1
                                                     : std::max(at(i + 1, j), at(i, j + 1));
  for (std::size_t i = 0, j = 0; j < m;) {
    if (i < n && before[head + i] == after[head + j]) {
      ++i;
      ++j;
    } else if (i < n && at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      out.push_back(after[head + j]);
      ++j;
    }
  }
  return out;
}

namespace {

// The card's rows: a line with the lines wrapped under it (the playbook, a
// field, a timeline entry), so that a row that changed is shown whole.
std::vector<std::string> card_rows(const Printer& out, const Case& c, Time now) {
  std::string text;
  Printer capture = out.capture(text);
  render_case(capture, c, {}, now);
  std::vector<std::string> rows;
  for (std::size_t start = 0; start < text.size();) {
    const auto nl = text.find('\n', start);
    const std::string line = text.substr(start, nl - start);
    // Rows begin at most four spaces in (a timeline entry); more is a line under one.
    const bool continues = line.compare(0, 6, std::string(6, ' ')) == 0;
    if (continues && !rows.empty()) {
      rows.back() += "\n" + line;
    } else {
      rows.push_back(line);
    }
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  return rows;
}

}  // namespace

void print_change(Context& ctx, const std::vector<std::string>& confirmation,
                  const std::optional<Case>& before, const Case& after) {
  if (!ctx.json && !ctx.quiet && !confirmation.empty()) {
    for (const auto& line : confirmation)
      ctx.out.line(line);
    if (!before) ctx.out.line();
  }
  if (ctx.json || ctx.quiet || !before) {
    print_case(ctx, after);
    return;
  }
  // Blank lines say nothing about the change.
  for (const auto& line :
       changed_lines(card_rows(ctx.out, *before, ctx.now), card_rows(ctx.out, after, ctx.now)))
    if (display_width(line) > 0 && line.find_first_not_of(' ') != std::string::npos)
      ctx.out.line(line);
}

}  // namespace mend::cli
