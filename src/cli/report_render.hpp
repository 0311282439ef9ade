// The report's formats: one core Report, five ways to read it. Each renderer
// returns the whole document as a string, so nothing is half-written on error.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "core/report.hpp"

namespace mend::cli {

// What the person asked to see, beyond the figures themselves.
struct ReportView {
  // Breakdowns to show: category, channel, outcome, cause, customer; empty = all.
  std::set<std::string> by;
  std::optional<std::size_t> top;  // at most N rows per breakdown
  std::optional<std::string> business_name;
  Time now = 0;
  bool unicode = true;               // text: blocks and arrows (a terminal), else plain ASCII
  int width = 80;                    // text: columns to fit
  const Printer* painter = nullptr;  // text: colours, when enabled

  bool shows(const std::string& breakdown) const { return by.empty() || by.count(breakdown) > 0; }
};

// A breakdown as every format lists it.
struct Breakdown {
  std::string name;   // category, channel, outcome, cause, customer
  std::string title;  // "By category (opened)"
  std::vector<Count> rows;
  std::size_t hidden = 0;  // rows cut by --top
};
// The breakdowns the view shows, in a fixed order, cut to --top.
std::vector<Breakdown> shown_breakdowns(const Report& r, const ReportView& view);

Json report_json(const Report& r);
std::string render_report_text(const Report& r, const ReportView& view);
std::string render_report_csv(const Report& r, const ReportView& view);
std::string render_report_markdown(const Report& r, const ReportView& view);
std::string render_report_html(const Report& r, const ReportView& view);

// Shared wording.
std::string money_text(const Money& m);           // "USD 123.45"
std::string hours_text(double hours);             // "26.5 h"
std::string period_text(Time since, Time until);  // local, until shown inclusive

}  // namespace mend::cli
