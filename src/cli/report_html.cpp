// The report as one self-contained HTML file: inline CSS and SVG charts, no
// scripts and no external resources, so it opens anywhere, prints well and
// can be attached to an email. Every piece of text is HTML-escaped.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli/report_render.hpp"

namespace mend::cli {
namespace {

std::string esc(std::string_view raw) {
  return html_text(raw);
}

constexpr const char* kStyle = R"css(
body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
       color: #1f2328; background: #fff; margin: 2rem auto; max-width: 760px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; }
p.period { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #eaeef2; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.good { color: #1a7f37; } .bad { color: #cf222e; } .same { color: #57606a; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 12px; fill: #1f2328; }
section { break-inside: avoid; page-break-inside: avoid; }
p.none, footer { color: #57606a; }
footer { margin-top: 2rem; font-size: 0.85rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
)css";

enum class Better { up, down, neither };

std::string change_cell(std::optional<double> now, std::optional<double> before, Better better,
                        int decimals) {
  if (!now || !before) return "<td class=\"num same\">-</td>";
  const double diff = *now - *before;
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(std::fabs(diff) * scale) / scale;
  if (rounded == 0) return "<td class=\"num same\">=</td>";
  const bool up = diff > 0;
  const char* cls =
      better == Better::neither ? "same" : ((better == Better::up) == up ? "good" : "bad");
  return fmt::format("<td class=\"num {}\">{} {:.{}f}</td>", cls, up ? "&#9650;" : "&#9660;",
                     rounded, decimals);
}

std::optional<double> num(std::int64_t v) {
  return static_cast<double>(v);
}

std::string fixed(std::optional<double> v, int decimals, const char* unit = "") {
  return v ? fmt::format("{:.{}f}{}", *v, decimals, unit) : std::string("-");
}

std::string bar_chart(const Breakdown& b) {
  if (b.rows.empty()) return "<p class=\"none\">None in this period.</p>\n";
  const int row_h = 26, label_w = 200, width = 720, bar_x = label_w + 10;
  const int bar_max = width - bar_x - 50;
  const int height = static_cast<int>(b.rows.size()) * row_h + 8;
  std::int64_t max = 1;
  for (const auto& r : b.rows)
    max = std::max(max, r.count);
  std::string svg = fmt::format(
      "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"{2}\">"
      "<title>{2}</title>\n",
      width, height, esc(b.title));
  for (std::size_t i = 0; i < b.rows.size(); ++i) {
    const auto& r = b.rows[i];
    const int y = static_cast<int>(i) * row_h + 4;
    const int w = std::max(2, static_cast<int>(std::lround(static_cast<double>(r.count) * bar_max /
                                                           static_cast<double>(max))));
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#4c78a8\"/>"
        "<text x=\"{}\" y=\"{}\">{}</text>\n",
        label_w, y + 16, esc(fit(terminal_safe(r.key), 30)), bar_x, y + 2, w, row_h - 8,
        bar_x + w + 6, y + 16, r.count);
  }
  svg += "</svg>\n";
  if (b.hidden) {
    svg += fmt::format("<p class=\"none\">{} more not shown{}.</p>\n", b.hidden,
                       b.cut_by_default ? " (--top N shows more; csv and json list all)" : "");
  }
  return svg;
}

// Fewer weeks than this draw no trend: one or two points show no direction.
constexpr std::size_t kMinTrendWeeks = 3;

// The weekly trend, or a sentence when the period is too short for one.
// Resolved is drawn dashed with rings over opened's solid line and dots, so
// equal values show both; weeks only partly inside the period are shaded (a
// month's first and last weeks would otherwise dip as if nothing happened).
// The weekly chart's geometry: where week i and a count v go.
struct ChartFrame {
  static constexpr int width = 720, height = 240, left = 40, right = 20, top = 16, bottom = 40;
  static constexpr int plot_w = width - left - right, plot_h = height - top - bottom;
  const std::vector<Report::Week>& weeks;
  std::int64_t max = 1;
  double gap = 0;

  explicit ChartFrame(const std::vector<Report::Week>& w) : weeks(w) {
    for (const auto& week : weeks)
      max = std::max({max, week.opened, week.resolved});
    gap = static_cast<double>(plot_w) / static_cast<double>(weeks.size() - 1);
  }
  int x(std::size_t i) const {
    return left + static_cast<int>(std::lround(static_cast<double>(i) * gap));
  }
  int y(std::int64_t v) const {
    return top + plot_h -
           static_cast<int>(
               std::lround(static_cast<double>(v) * plot_h / static_cast<double>(max)));
  }
};

// Shades the weeks only partly in the period; sets `any` when there is one.
std::string partial_weeks(const ChartFrame& f, const Report& r, bool& any) {
  const auto& weeks = f.weeks;
  // A week is partial when the period starts after its start or ends before
  // its end (the next week's start; for the last, one more step). Two hours
  // of slack absorb a change to or from summer time.
  constexpr Time kSlack = 2 * 3600;
  const auto partial = [&](std::size_t i) {
    const Time start = weeks[i].start;
    const Time end =
        i + 1 < weeks.size() ? weeks[i + 1].start : start + (weeks[i].start - weeks[i - 1].start);
    return start + kSlack < r.current.since || end > r.current.until + kSlack;
  };
  std::string svg;
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    if (!partial(i)) continue;
    any = true;
    const int x0 = std::max(f.left, f.x(i) - static_cast<int>(f.gap / 2));
    const int x1 = std::min(f.left + f.plot_w, f.x(i) + static_cast<int>(f.gap / 2));
    svg += fmt::format(
        "<rect class=\"partial\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
        "fill=\"#eaeef2\"><title>only part of this week is in the period</title></rect>\n",
        x0, f.top, x1 - x0, f.plot_h);
  }
  return svg;
}

// Grid lines at 0, half and the most, and the date under every few weeks.
std::string chart_axes(const ChartFrame& f) {
  std::string svg;
  for (const std::int64_t v : {std::int64_t{0}, f.max / 2, f.max}) {
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#d0d7de\"/>"
        "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\">{5}</text>\n",
        f.left, f.y(v), f.left + f.plot_w, f.left - 6, f.y(v) + 4, v);
  }
  const std::size_t step = std::max<std::size_t>(1, (f.weeks.size() + 7) / 8);
  for (std::size_t i = 0; i < f.weeks.size(); i += step) {
    const auto lt = to_local(f.weeks[i].start);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{:02}-{:02}</text>\n",
                       f.x(i), f.top + f.plot_h + 18, lt.month, lt.day);
  }
  return svg;
}

// The line of cases opened (solid, dots) or resolved (dashed, rings).
std::string chart_series(const ChartFrame& f, bool opened, const char* colour) {
  const auto& weeks = f.weeks;
  std::string points;
  for (std::size_t i = 0; i < weeks.size(); ++i)
    points += fmt::format("{}{},{}", i ? " " : "", f.x(i),
                          f.y(opened ? weeks[i].opened : weeks[i].resolved));
  std::string s = fmt::format(
      "<polyline class=\"{}\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
      "stroke-width=\"2.5\"{}/>\n",
      opened ? "opened" : "resolved", points, colour, opened ? "" : " stroke-dasharray=\"7 5\"");
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    const auto v = opened ? weeks[i].opened : weeks[i].resolved;
    s += opened ? fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\">", f.x(i), f.y(v),
                              colour)
                : fmt::format(
                      "<circle cx=\"{}\" cy=\"{}\" r=\"6.5\" fill=\"none\" stroke=\"{}\" "
                      "stroke-width=\"2\">",
                      f.x(i), f.y(v), colour);
    s += fmt::format("<title>{} {}</title></circle>", v, opened ? "opened" : "resolved");
  }
  return s + "\n";
}

std::string trend_chart(const Report& r) {
  if (r.weekly.size() < kMinTrendWeeks) {
    return fmt::format(
        "<p class=\"none\">Too short a period for a weekly trend: {} opened, {} resolved "
        "(a trend needs {} weeks or more).</p>\n",
        r.current.opened, r.current.resolved, kMinTrendWeeks);
  }
  const ChartFrame f(r.weekly);
  const int width = f.width, height = f.height, left = f.left;
  std::string svg = fmt::format(
      "<svg width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"Cases opened and resolved per week\"><title>Cases opened and resolved per "
      "week</title>\n",
      width, height);
  bool any_partial = false;
  svg += partial_weeks(f, r, any_partial);
  svg += chart_axes(f);
  svg += chart_series(f, true, "#cf6a2e");
  svg += chart_series(f, false, "#2e8b57");
  svg += fmt::format(
      "<rect x=\"{0}\" y=\"{1}\" width=\"12\" height=\"12\" fill=\"#cf6a2e\"/>"
      "<text x=\"{2}\" y=\"{3}\">opened</text>"
      "<rect x=\"{4}\" y=\"{1}\" width=\"12\" height=\"12\" fill=\"none\" stroke=\"#2e8b57\" "
      "stroke-width=\"2\"/>"
      "<text x=\"{5}\" y=\"{3}\">resolved</text>\n",
      left, height - 14, left + 16, height - 3, left + 90, left + 106);
  if (any_partial) {
    svg += fmt::format(
        "<rect x=\"{0}\" y=\"{1}\" width=\"12\" height=\"12\" fill=\"#eaeef2\"/>"
        "<text x=\"{2}\" y=\"{3}\">part of a week in the period</text>\n",
        left + 190, height - 14, left + 206, height - 3);
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string render_report_html(const Report& r, const ReportView& view) {
  const auto& c = r.current;
  const auto& p = r.previous;
  std::string title = "Complaints report";
  if (view.business_name) title += ": " + *view.business_name;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + esc(title) + "</title>\n<style>" + std::string(kStyle) +
       "</style>\n</head>\n<body>\n";
  h += "<h1>" + esc(title) + "</h1>\n";
  h += "<p class=\"period\">" + esc(period_text(c.since, c.until)) + " (compared with " +
       esc(period_text(p.since, p.until)) + ")</p>\n";

  h += "<section>\n<h2>Headline</h2>\n<table>\n<thead><tr><th>Figure</th><th class=\"num\">This "
       "period</th><th class=\"num\">Previous</th><th "
       "class=\"num\">Change</th></tr></thead>\n<tbody>\n";
  const auto row = [&](const std::string& label, const std::string& now, const std::string& before,
                       const std::string& change) {
    h += "<tr><td>" + esc(label) + "</td><td class=\"num\">" + esc(now) +
         "</td><td class=\"num\">" + esc(before) + "</td>" + change + "</tr>\n";
  };
  const auto n = [](std::int64_t v) { return fmt::format("{}", v); };
  row("Opened", n(c.opened), n(p.opened),
      change_cell(num(c.opened), num(p.opened), Better::down, 0));
  row("Resolved", n(c.resolved), n(p.resolved),
      change_cell(num(c.resolved), num(p.resolved), Better::up, 0));
  row("Median hours to resolve", fixed(c.median_hours_to_resolve, 1),
      fixed(p.median_hours_to_resolve, 1),
      change_cell(c.median_hours_to_resolve, p.median_hours_to_resolve, Better::down, 1));
  row("Promises kept", fixed(c.promises_kept_pct, 0, "%"), fixed(p.promises_kept_pct, 0, "%"),
      change_cell(c.promises_kept_pct, p.promises_kept_pct, Better::up, 0));
  row("Closed", n(c.closed), n(p.closed), change_cell(num(c.closed), num(p.closed), Better::up, 0));
  row("Follow-ups due", n(c.followups_due), n(p.followups_due),
      change_cell(num(c.followups_due), num(p.followups_due), Better::neither, 0));
  row("Follow-ups done", n(c.followups_done), n(p.followups_done),
      change_cell(num(c.followups_done), num(p.followups_done), Better::up, 0));
  row("Satisfaction (1-5)", fixed(c.csat_avg, 1), fixed(p.csat_avg, 1),
      change_cell(c.csat_avg, p.csat_avg, Better::up, 1));
  row("Satisfaction responses", n(c.csat_responses), n(p.csat_responses),
      change_cell(num(c.csat_responses), num(p.csat_responses), Better::neither, 0));
  std::vector<std::string> currencies;
  for (const auto* list : {&c.compensation, &p.compensation})
    for (const auto& m : *list)
      if (std::find(currencies.begin(), currencies.end(), m.currency) == currencies.end())
        currencies.push_back(m.currency);
  std::sort(currencies.begin(), currencies.end());
  for (const auto& cur : currencies) {
    Money now{cur, 0}, before{cur, 0};
    for (const auto& m : c.compensation)
      if (m.currency == cur) now = m;
    for (const auto& m : p.compensation)
      if (m.currency == cur) before = m;
    row("Compensation (" + cur + ")", money_text(now), money_text(before),
        change_cell(static_cast<double>(now.amount_cents) / 100.0,
                    static_cast<double>(before.amount_cents) / 100.0, Better::neither, 2));
  }
  if (currencies.empty()) row("Compensation", "none", "none", "<td class=\"num same\">=</td>");
  row("Open now", n(r.open_now), "", "<td></td>");
  row("Overdue now", n(r.overdue_now), "", "<td></td>");
  h += "</tbody>\n</table>\n</section>\n";

  h += "<section>\n<h2>Cases opened and resolved per week</h2>\n" + trend_chart(r) + "</section>\n";
  for (const auto& b : shown_breakdowns(r, view))
    h += "<section>\n<h2>" + esc(b.title) + "</h2>\n" + bar_chart(b) + "</section>\n";
  h += "<footer>Made by mend on " + esc(local_date_time(view.now)) + ".</footer>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace mend::cli
