// The report's formats: one core Report, five ways to read it. The report is
// read whole before anything is written, so nothing is half-written on a
// database error; JSON and CSV, which list every repeat customer, are written
// in chunks so that memory does not grow with the list.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <span>
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
  // Repeat customers shown when --top is not given: text, markdown and html
  // show the first few (a person reads the top of the list), csv all of them.
  std::optional<std::size_t> default_top_customers;
  std::optional<std::string> business_name;
  Time now = 0;
  bool unicode = true;               // text: blocks and arrows (a terminal), else plain ASCII
  int width = 80;                    // text: columns to fit
  const Printer* painter = nullptr;  // text: colours, when enabled

  bool shows(const std::string& breakdown) const { return by.empty() || by.count(breakdown) > 0; }
  // How many repeat customers the view lists (none when the breakdown is
  // not shown; all when nothing cuts them): the report need name no more.
  std::optional<std::size_t> customers_listed() const {
    if (!shows("customer")) return 0;
    return top ? top : default_top_customers;
  }
};

// A breakdown as every format lists it.
struct Breakdown {
  std::string name;   // category, channel, outcome, cause, customer
  std::string title;  // "By category (opened)"
  std::vector<Count> rows;
  // The repeat customers shown, for formats that write them as data (csv):
  // their labels in `rows` are made only when asked for.
  std::span<const RepeatCustomer> customers;
  std::size_t hidden = 0;       // rows cut by --top or the default cut
  bool cut_by_default = false;  // the default cut of repeat customers, not --top
};
// The breakdowns the view shows, in a fixed order, cut to --top; repeat
// customers labelled "name (#id)" in `rows` when `label_customers`.
std::vector<Breakdown> shown_breakdowns(const Report& r, const ReportView& view,
                                        bool label_customers = true);

// Receives the document piece by piece.
using Sink = std::function<void(std::string_view)>;

// The report as JSON, written straight to `sink` in pieces, without a JSON
// tree; no newline at the end.
void write_report_json(const Report& r, const Sink& sink);
std::string render_report_text(const Report& r, const ReportView& view);
void write_report_csv(const Report& r, const ReportView& view, const Sink& sink);
std::string render_report_markdown(const Report& r, const ReportView& view);
std::string render_report_html(const Report& r, const ReportView& view);

// Shared wording.
// money_words ("$123.45", "£5.00", "123.45 CHF"); without `symbol` (plain
// ASCII) money_ascii ("USD 123.45").
std::string money_text(const Money& m, bool symbol = true);
std::string hours_text(double hours);             // "26.5 h"
std::string period_text(Time since, Time until);  // local, until shown inclusive

}  // namespace mend::cli
