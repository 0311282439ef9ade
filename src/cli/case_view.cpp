#include "cli/case_view.hpp"

#include <fmt/format.h>

#include "cli/context.hpp"

namespace mend::cli {
namespace {

void field(Printer& out, std::string_view label, const std::string& value) {
  out.line(fmt::format("  {} {}", out.paint(pad(label, 10), Style::dim), value));
}

std::string money(std::int64_t cents, const std::string& currency) {
  const auto sign = cents < 0 ? "-" : "";
  const auto abs = cents < 0 ? -cents : cents;
  return fmt::format("{}{}.{:02} {}", sign, abs / 100, abs % 100, currency);
}

}  // namespace

std::string status_word(const Printer& out, const std::string& status) {
  if (status == "open") return out.paint(status, Style::yellow);
  if (status == "resolved") return out.paint(status, Style::cyan);
  return out.paint(status, Style::green);
}

std::string priority_word(const Printer& out, const std::string& priority) {
  if (priority == "urgent") return out.paint(priority, Style::red);
  if (priority == "high") return out.paint(priority, Style::yellow);
  if (priority == "low") return out.paint(priority, Style::dim);
  return priority;
}

void render_case(Printer& out, const Case& c, const std::vector<HistoryItem>& history, Time now) {
  out.line(fmt::format("{}  {}", out.paint(fmt::format("#{}", c.id), Style::bold),
                       out.paint(safe(c.summary), Style::bold)));
  out.line(fmt::format("  {} · {} priority · {} · {}", status_word(out, c.status),
                       priority_word(out, c.priority), safe(c.category), c.channel));
  std::string who = safe(c.customer.name);
  if (c.customer.email) who += " <" + safe(*c.customer.email) + ">";
  if (c.customer.phone) who += "  " + safe(*c.customer.phone);
  field(out, "Customer", who + out.paint(fmt::format("  (customer {})", c.customer.id), Style::dim));
  if (c.reference) field(out, "Reference", safe(*c.reference));
  if (!c.tags.empty()) {
    std::string tags;
    for (const auto& t : c.tags) tags += (tags.empty() ? "" : " ") + ("+" + safe(t));
    field(out, "Tags", tags);
  }
  field(out, "Opened", local_date_time(c.opened_at));
  if (c.due_at) {
    std::string due = when_words(*c.due_at, now);
    if (c.status == "open") {
      const auto words = distance_words(*c.due_at, now);
      due += "  " + out.paint("(" + words + ")", *c.due_at < now ? Style::red : Style::dim);
    } else if (c.resolved_at) {
      due += *c.resolved_at <= *c.due_at ? "  " + out.paint("(kept)", Style::green)
                                         : "  " + out.paint("(missed)", Style::red);
    }
    field(out, "Due", due);
  }
  if (c.resolved_at) field(out, "Resolved", when_words(*c.resolved_at, now));
  if (c.followup_at) field(out, "Follow-up", when_words(*c.followup_at, now));
  if (c.closed_at) field(out, "Closed", when_words(*c.closed_at, now));
  if (c.wants) field(out, "Wants", safe(*c.wants));
  if (c.resolution) {
    const auto& r = *c.resolution;
    std::string line = r.outcome;
    if (r.amount_cents) line += " " + money(*r.amount_cents, r.currency);
    if (r.text) line += " — " + safe(*r.text);
    field(out, "Remedy", line);
    std::string internal = "fault " + r.fault;
    if (r.cause) internal += ", cause " + safe(*r.cause);
    field(out, "Internal", out.paint(internal + "  (internal: not for the customer)", Style::dim));
  }
  if (c.satisfaction) field(out, "CSAT", fmt::format("{}/5", *c.satisfaction));
  if (c.complaint) {
    out.line();
    out.line(out.paint("Complaint", Style::bold));
    std::string body = safe(*c.complaint, true);
    std::size_t start = 0;
    while (start <= body.size()) {
      const auto nl = body.find('\n', start);
      out.line("  " + body.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  if (!c.events.empty()) {
    out.line();
    out.line(out.paint("Timeline", Style::bold));
    for (const auto& e : c.events) {
      const auto lt = to_local(e.at);
      const auto stamp = fmt::format("{} {:02}:{:02}", local_date(e.at), lt.hour, lt.minute);
      std::string text = safe(e.text, true);
      for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 1)
        text.replace(p, 1, "\n" + std::string(38, ' '));
      out.line(fmt::format("  {}  {}  {}", out.paint(stamp, Style::dim),
                           out.paint(pad(e.kind, 18), Style::cyan), text));
    }
  }
  if (!history.empty()) {
    out.line();
    out.line(out.paint(fmt::format("Other cases from {}", safe(c.customer.name)), Style::bold));
    for (const auto& h : history) {
      out.line(fmt::format("  {}  {}  {}  {}", pad(fmt::format("#{}", h.id), 6),
                           local_date(h.opened_at), pad(status_word(out, h.status), 8),
                           safe(h.summary)));
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

}  // namespace mend::cli
