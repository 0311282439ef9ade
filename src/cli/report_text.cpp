// The report for a person at a terminal: headline numbers with their trend,
// then each breakdown as a horizontal bar chart fitted to the width (bars at
// most 40 columns long). Off a terminal (a pipe, a cron mail) it keeps to
// plain ASCII.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli/report_render.hpp"

namespace mend::cli {
namespace {

// The longest bar, however wide the terminal: past it, bars are harder to
// compare by eye, not easier.
constexpr int kLongestBar = 40;

// Which way is good news for a figure.
enum class Better { up, down, neither };

struct TextContext {
  const ReportView& view;
  std::string paint(const std::string& text, Style style) const {
    return view.painter ? view.painter->paint(text, style) : text;
  }
  // Cuts to `width` columns; off a terminal the mark of a cut is ASCII.
  std::string clip(const std::string& text, int width) const {
    if (display_width(text) <= width) return text;
    if (view.unicode) return fit(text, width);
    std::string cut = fit(text, std::max(0, width - 2));
    if (cut.size() >= 3 && cut.compare(cut.size() - 3, 3, "\u2026") == 0)
      cut.resize(cut.size() - 3);
    return cut + "..";
  }
};

// A trend beside a headline number: plain text and how to colour it.
struct Trend {
  std::string text;
  Style style = Style::plain;
};

Trend trend(const TextContext& tc, std::optional<double> now, std::optional<double> before,
            Better better, int decimals, const std::string& unit) {
  if (!now) return {};
  if (!before) return {"(new)", Style::dim};
  const double diff = *now - *before;
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(std::fabs(diff) * scale) / scale;
  if (rounded == 0) return {"= same", Style::dim};
  const bool up = diff > 0;
  const std::string arrow = tc.view.unicode ? (up ? "\u25b2 " : "\u25bc ") : (up ? "+" : "-");
  const auto text =
      fmt::format("{}{:.{}f}{} vs {:.{}f}", arrow, rounded, decimals, unit, *before, decimals);
  if (better == Better::neither) return {text, Style::plain};
  const bool good = (better == Better::up) == up;
  return {text, good ? Style::green : Style::red};
}

std::optional<double> as_number(std::int64_t v) {
  return static_cast<double>(v);
}

std::string bar(const TextContext& tc, std::int64_t count, std::int64_t max, int width) {
  if (max <= 0 || width <= 0) return {};
  const auto eighths = static_cast<std::int64_t>(
      std::llround(static_cast<double>(count) * width * 8 / static_cast<double>(max)));
  const auto shown = std::max<std::int64_t>(eighths, count > 0 ? 1 : 0);
  if (!tc.view.unicode) {
    const auto n = std::max<std::int64_t>((shown + 4) / 8, count > 0 ? 1 : 0);
    return std::string(static_cast<std::size_t>(n), '#');
  }
  static constexpr const char* kPartial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  std::string out;
  for (std::int64_t i = 0; i < shown / 8; ++i)
    out += "█";
  out += kPartial[shown % 8];
  return out;
}

}  // namespace

namespace {

// A breakdown's rows under its title: label, count and a bar, then what was
// left out.
std::string breakdown_rows(const TextContext& tc, const Breakdown& b) {
  const ReportView& view = tc.view;
  std::string out;
  const auto line = [&](const std::string& s = {}) { out += s + "\n"; };
  std::vector<std::string> labels;
  int widest = 0;
  std::int64_t max = 0;
  for (const auto& row_ : b.rows) {
    labels.push_back(terminal_safe(row_.key));
    widest = std::max(widest, display_width(labels.back()));
    max = std::max(max, row_.count);
  }
  const int count_width = static_cast<int>(fmt::format("{}", max).size());
  const int label_col = std::min(widest, std::max(8, view.width / 3));
  const int bar_width =
      std::clamp(view.width - 2 - label_col - 2 - count_width - 1, 4, kLongestBar);
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    const auto& row_ = b.rows[i];
    line(fmt::format(
        "  {}  {}{} {}", pad(tc.clip(labels[i], label_col), label_col),
        std::string(static_cast<std::size_t>(
                        count_width - static_cast<int>(fmt::format("{}", row_.count).size())),
                    ' '),
        row_.count, tc.paint(bar(tc, row_.count, max, bar_width), Style::cyan)));
  }
  if (b.hidden) {
    const auto more =
        fmt::format("  ... and {} more ({})", b.hidden,
                    b.cut_by_default ? "--top N shows more; csv and json list all" : "--top");
    line(tc.paint(tc.clip(more, view.width), Style::dim));
  }
  return out;
}

}  // namespace

std::string render_report_text(const Report& r, const ReportView& view) {
  const TextContext tc{view};
  const auto& c = r.current;
  const auto& p = r.previous;
  std::string out;
  const auto line = [&](const std::string& s = {}) { out += s + "\n"; };

  std::string title = "Complaints report";
  if (view.business_name) title += ": " + terminal_safe(*view.business_name);
  line(tc.paint(tc.clip(title, view.width), Style::bold));
  line(tc.clip("Period:        " + period_text(c.since, c.until), view.width));
  line(tc.clip("Compared with: " + period_text(p.since, p.until), view.width));
  line();

  const int label_width = 24;
  // Values right-aligned in one column, as wide as the widest (large sums of
  // compensation, "EUR 720139.38", need more than the counts' 10).
  int value_width = 10;
  for (const auto& m : c.compensation)
    value_width = std::max(value_width, display_width(money_text(m, view.unicode)));
  const auto row = [&](const std::string& label, const std::string& value, const Trend& t) {
    std::string s =
        "  " + pad(label, label_width) +
        std::string(static_cast<std::size_t>(std::max(0, value_width - display_width(value))),
                    ' ') +
        value;
    const int room = view.width - display_width(s) - 3;
    if (!t.text.empty() && room > 0) s += "   " + tc.paint(tc.clip(t.text, room), t.style);
    line(s);
  };
  const auto count = [](std::int64_t v) { return fmt::format("{}", v); };
  row("Opened", count(c.opened),
      trend(tc, as_number(c.opened), as_number(p.opened), Better::down, 0, ""));
  row("Resolved", count(c.resolved),
      trend(tc, as_number(c.resolved), as_number(p.resolved), Better::up, 0, ""));
  row("Median time to resolve",
      c.median_hours_to_resolve ? hours_text(*c.median_hours_to_resolve) : "-",
      trend(tc, c.median_hours_to_resolve, p.median_hours_to_resolve, Better::down, 1, " h"));
  row("Promises kept", c.promises_kept_pct ? fmt::format("{:.0f}%", *c.promises_kept_pct) : "-",
      trend(tc, c.promises_kept_pct, p.promises_kept_pct, Better::up, 0, " pts"));
  row("Closed", count(c.closed),
      trend(tc, as_number(c.closed), as_number(p.closed), Better::up, 0, ""));
  row("Follow-ups due", count(c.followups_due),
      trend(tc, as_number(c.followups_due), as_number(p.followups_due), Better::neither, 0, ""));
  row("Follow-ups done", count(c.followups_done),
      trend(tc, as_number(c.followups_done), as_number(p.followups_done), Better::up, 0, ""));
  Trend csat_trend = trend(tc, c.csat_avg, p.csat_avg, Better::up, 1, "");
  if (c.csat_responses > 0) {
    csat_trend.text += fmt::format("{}{} response{}", csat_trend.text.empty() ? "" : ", ",
                                   c.csat_responses, c.csat_responses == 1 ? "" : "s");
  }
  row("Satisfaction (1-5)", c.csat_avg ? fmt::format("{:.1f}", *c.csat_avg) : "-", csat_trend);
  if (c.compensation.empty()) {
    row("Compensation", "none", {});
  } else {
    for (std::size_t i = 0; i < c.compensation.size(); ++i) {
      const auto& m = c.compensation[i];
      std::optional<double> before = 0.0;
      for (const auto& pm : p.compensation)
        if (pm.currency == m.currency) before = static_cast<double>(pm.amount_cents) / 100.0;
      row(i == 0 ? "Compensation" : "", money_text(m, view.unicode),
          trend(tc, static_cast<double>(m.amount_cents) / 100.0, before, Better::neither, 2, ""));
    }
  }
  row("Open now", count(r.open_now),
      r.overdue_now ? Trend{fmt::format("{} overdue", r.overdue_now), Style::red}
                    : Trend{"none overdue", Style::dim});
  if (c.opened == 0 && c.resolved == 0 && c.closed == 0 && c.followups_done == 0) {
    line();
    line("  Nothing happened in this period.");
  }

  for (const auto& b : shown_breakdowns(r, view)) {
    line();
    line(tc.paint(tc.clip(b.title, view.width), Style::bold));
    if (b.rows.empty()) {
      line("  none");
      continue;
    }
    out += breakdown_rows(tc, b);
  }
  return out;
}

}  // namespace mend::cli
