// mend report: the look back over a period, in the format asked for.
#include <charconv>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/report_render.hpp"
#include "core/errors.hpp"
#include "core/report.hpp"

namespace mend::cli {
namespace {

constexpr std::array<std::string_view, 5> kFormats = {"text", "json", "csv", "markdown", "html"};
constexpr std::array<std::string_view, 5> kBreakdowns = {"category", "channel", "outcome", "cause",
                                                         "customer"};

constexpr std::size_t kDefaultTopCustomers = 10;

struct ReportOptions {
  std::string since, until, period, format, top;
  std::vector<std::string> by;
};

std::optional<std::string> given(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

void run_report(Context& ctx, const ReportOptions& o) {
  std::string format =
      o.format.empty() ? (ctx.json ? "json" : "text") : lowercase(trimmed(o.format));
  require_one_of("--format", format, kFormats);
  if (ctx.json && format != "json")
    fail(ErrorKind::usage, "--json asks for JSON but --format asks for " + format + "; give one");
  ReportView view;
  for (const auto& item : o.by) {
    std::string_view rest = item;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto word = lowercase(trimmed(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (word.empty()) continue;
      view.by.insert(require_one_of("--by", word, kBreakdowns));
    }
  }
  if (!o.top.empty()) {
    std::size_t n = 0;
    auto [ptr, ec] = std::from_chars(o.top.data(), o.top.data() + o.top.size(), n);
    if (ec != std::errc() || ptr != o.top.data() + o.top.size() || n < 1)
      fail(ErrorKind::usage, "--top takes a whole number of at least 1, not '" + o.top + "'");
    view.top = n;
  }
  PeriodRequest request{given(o.since), given(o.until), given(o.period), ctx.config.calendar};
  const auto period = parse_report_period(request, ctx.now);
  if (request.since && !request.period && period.since > ctx.now)
    ctx.warn("--since " + trimmed(o.since) + " lies in the future, so the report is empty");
  view.business_name = ctx.config.business_name;
  view.now = ctx.now;
  view.unicode = ctx.out.is_tty();
  view.width = ctx.out.width();
  view.painter = &ctx.out;

  // A person reads the top of the repeat customers; csv and json list them all.
  if (format == "text" || format == "markdown" || format == "html")
    view.default_top_customers = kDefaultTopCustomers;

  // JSON lists every repeat customer; the other formats only those they show.
  const auto report = build_report(ctx.store(), period, ctx.now, ReportPlan::automatic,
                                   format == "json" ? std::nullopt : view.customers_listed());
  // JSON escapes every control character itself; the other formats for
  // programs go through Printer::document, which keeps a terminal safe.
  if (format == "json") {
    write_report_json(report, [&](std::string_view chunk) { ctx.out.write(chunk); });
    ctx.out.line();
  } else if (format == "csv") {
    write_report_csv(report, view, [&](std::string_view chunk) { ctx.out.document(chunk); });
  } else if (format == "markdown") {
    ctx.out.document(render_report_markdown(report, view));
  } else if (format == "html") {
    ctx.out.document(render_report_html(report, view));
  } else {
    ctx.out.write(render_report_text(report, view));
  }
}

}  // namespace

void add_report(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ReportOptions>();
  sub.add_option("--since", o->since, "Start of the period, inclusive (default: 30 days ago)")
      ->type_name("WHEN");
  sub.add_option("--until", o->until,
                 "End of the period, exclusive; a day counts whole (default: now)")
      ->type_name("WHEN");
  sub.add_option("--period", o->period,
                 "week, month, quarter, year (the current local calendar one; weeks start "
                 "Monday), last-week, last-month, or a month YYYY-MM")
      ->type_name("PERIOD");
  sub.add_option("--format", o->format, "text (default), json, csv, markdown or html")
      ->type_name("FORMAT");
  sub.add_option("--by", o->by,
                 "Show only these breakdowns: category, channel, outcome, cause, customer "
                 "(repeatable or comma list; json always has all)")
      ->type_name("WHAT");
  sub.add_option("--top", o->top,
                 "At most N rows per breakdown (default: all; 10 repeat customers in text, "
                 "markdown and html; not in json)")
      ->type_name("N");
  commands.push_back({&sub, [o](Context& ctx) { run_report(ctx, *o); }});
}

}  // namespace mend::cli
