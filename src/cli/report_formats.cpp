// The report as JSON, CSV and Markdown, and what every format shares.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "cli/csv.hpp"
#include "cli/report_render.hpp"
#include "core/money.hpp"

namespace mend::cli {
namespace {

Json opt_number(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json counts_json(const std::vector<Count>& rows) {
  Json a = Json::array();
  for (const auto& c : rows)
    a.push_back(Json{{"key", c.key}, {"count", c.count}});
  return a;
}

Json period_json(Time since, Time until) {
  return Json{{"since", format_utc(since)}, {"until", format_utc(until)}};
}

// A sum as a JSON integer while one fits in 64 bits (signed, or unsigned for
// a positive one); past that, as a number with a fraction, as close as one gets.
Json cents_json(CentsSum cents) {
  if (cents >= INT64_MIN && cents <= INT64_MAX) return Json(static_cast<std::int64_t>(cents));
  if (cents > 0 && cents <= static_cast<CentsSum>(UINT64_MAX))
    return Json(static_cast<std::uint64_t>(cents));
  return Json(static_cast<double>(cents));
}

Json compensation_json(const std::vector<Money>& rows) {
  Json a = Json::array();
  for (const auto& m : rows)
    a.push_back(Json{{"currency", m.currency}, {"amount_cents", cents_json(m.amount_cents)}});
  return a;
}

std::string number_text(const std::optional<double>& v, int decimals) {
  return v ? fmt::format("{:.{}f}", *v, decimals) : std::string();
}

// Markdown: a table cell that cannot break the table or start formatting.
std::string md_cell(const std::string& raw) {
  std::string out;
  for (char c : terminal_safe(raw)) {
    if (std::string_view("\\|*_`[]<>").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

struct Figure {
  std::string key, label, now, before;
};

std::vector<Figure> headline(const Report& r) {
  const auto& c = r.current;
  const auto& p = r.previous;
  const auto n = [](std::int64_t v) { return fmt::format("{}", v); };
  const auto money = [](const std::vector<Money>& list) {
    std::string s;
    for (const auto& m : list)
      s += (s.empty() ? "" : ", ") + money_text(m);
    return s;
  };
  return {
      {"opened", "Opened", n(c.opened), n(p.opened)},
      {"resolved", "Resolved", n(c.resolved), n(p.resolved)},
      {"median_hours_to_resolve", "Median hours to resolve",
       number_text(c.median_hours_to_resolve, 1), number_text(p.median_hours_to_resolve, 1)},
      {"promises_kept_pct", "Promises kept (%)", number_text(c.promises_kept_pct, 0),
       number_text(p.promises_kept_pct, 0)},
      {"closed", "Closed", n(c.closed), n(p.closed)},
      {"followups_due", "Follow-ups due", n(c.followups_due), n(p.followups_due)},
      {"followups_done", "Follow-ups done", n(c.followups_done), n(p.followups_done)},
      {"csat_avg", "Satisfaction (1-5)", number_text(c.csat_avg, 1), number_text(p.csat_avg, 1)},
      {"csat_responses", "Satisfaction responses", n(c.csat_responses), n(p.csat_responses)},
      {"compensation", "Compensation", money(c.compensation), money(p.compensation)},
      {"open_now", "Open now", n(r.open_now), ""},
      {"overdue_now", "Overdue now", n(r.overdue_now), ""},
  };
}

}  // namespace

std::string money_text(const Money& m, bool symbol) {
  return symbol ? money_words(m.amount_cents, m.currency) : money_ascii(m.amount_cents, m.currency);
}

std::string hours_text(double hours) {
  if (hours >= 72) return fmt::format("{:.1f} days", hours / 24.0);
  return fmt::format("{:.1f} h", hours);
}

std::string period_text(Time since, Time until) {
  const bool whole_days = start_of_local_day(since) == since && start_of_local_day(until) == until;
  if (whole_days) {
    const auto last = local_date(start_of_local_day(until - 1));
    const auto first = local_date(since);
    return first == last ? first : first + " to " + last;
  }
  const auto at = [](Time t) {
    const auto lt = to_local(t);
    return fmt::format("{} {:02}:{:02}", local_date(t), lt.hour, lt.minute);
  };
  return at(since) + " to " + at(until);
}

std::vector<Breakdown> shown_breakdowns(const Report& r, const ReportView& view,
                                        bool label_customers) {
  std::vector<Breakdown> out;
  const auto add = [&](const char* name, const char* title, const std::vector<Count>& rows) {
    if (!view.shows(name)) return;
    Breakdown b{name, title, {}, {}, 0};
    const auto shown = view.top ? std::min(*view.top, rows.size()) : rows.size();
    b.rows.assign(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown));
    b.hidden = rows.size() - shown;
    out.push_back(std::move(b));
  };
  add("category", "By category (opened)", r.by_category);
  add("channel", "By channel (opened)", r.by_channel);
  add("outcome", "By outcome (resolved)", r.by_outcome);
  add("cause", "By cause (resolved)", r.by_cause);
  if (view.shows("customer")) {
    // Only the rows shown are labelled: there may be hundreds of thousands.
    // The report may list only the first of them and count the rest.
    const auto& all = r.current.repeat_customers;
    const auto limit = view.customers_listed();
    const auto shown = limit ? std::min(*limit, all.size()) : all.size();
    Breakdown b{
        "customer",
        "Repeat customers (2+ cases opened)",
        {},
        std::span<const RepeatCustomer>(all.data(), shown),
        all.size() - shown + static_cast<std::size_t>(r.current.repeat_customers_not_listed)};
    b.cut_by_default = b.hidden > 0 && !view.top;
    if (label_customers) {
      b.rows.reserve(shown);
      for (const auto& c : b.customers)
        b.rows.push_back({fmt::format("{} (#{})", c.name, c.id), c.count});
    }
    out.push_back(std::move(b));
  }
  return out;
}

namespace {

// Collects the document and hands it to the sink in pieces of about 64 KiB.
class ChunkWriter {
 public:
  explicit ChunkWriter(const Sink& sink) : sink_(sink) { buf_.reserve(kChunk + 4096); }
  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;
  std::string& buf() { return buf_; }
  // Passes the buffer on when it is full enough.
  void maybe_flush() {
    if (buf_.size() >= kChunk) flush();
  }
  void flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }

 private:
  static constexpr std::size_t kChunk = 64 * 1024;
  const Sink& sink_;
  std::string buf_;
};

// "key": followed by a small value through the JSON tree (the few figures).
void put(std::string& out, const char* key, const Json& value, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += key;
  out += "\":";
  out += dump_json(value);
}

void put_repeat(ChunkWriter& w, const std::vector<RepeatCustomer>& rows) {
  auto& out = w.buf();
  out += ",\"repeat_customers\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    out += "{\"customer\":{\"id\":";
    append_int(out, rows[i].id);
    out += ",\"name\":";
    append_json_string(out, rows[i].name);
    out += "},\"count\":";
    append_int(out, rows[i].count);
    out += '}';
    w.maybe_flush();
  }
  out += ']';
}

// A period's figures, in the order of the report's top level. The top level
// (`breakdowns` given) also has the period's breakdowns among them; `previous`
// has the figures alone.
void put_period_json(ChunkWriter& w, const PeriodFigures& f, const Report* breakdowns) {
  auto& out = w.buf();
  put(out, "opened", f.opened);
  if (breakdowns) {
    put(out, "by_category", counts_json(breakdowns->by_category));
    put(out, "by_channel", counts_json(breakdowns->by_channel));
  }
  put_repeat(w, f.repeat_customers);
  put(out, "resolved", f.resolved);
  put(out, "median_hours_to_resolve", opt_number(f.median_hours_to_resolve));
  put(out, "promises_kept_pct", opt_number(f.promises_kept_pct));
  if (breakdowns) {
    put(out, "by_outcome", counts_json(breakdowns->by_outcome));
    put(out, "by_cause", counts_json(breakdowns->by_cause));
  }
  put(out, "compensation", compensation_json(f.compensation));
  put(out, "closed", f.closed);
  put(out, "followups_due", f.followups_due);
  put(out, "followups_done", f.followups_done);
  put(out, "csat_avg", opt_number(f.csat_avg));
  put(out, "csat_responses", f.csat_responses);
}

}  // namespace

void write_report_json(const Report& r, const Sink& sink) {
  ChunkWriter w(sink);
  auto& out = w.buf();
  out += '{';
  put(out, "period", period_json(r.current.since, r.current.until), true);
  put_period_json(w, r.current, &r);
  put(out, "open_now", r.open_now);
  put(out, "overdue_now", r.overdue_now);
  out += ",\"previous\":{";
  put(out, "period", period_json(r.previous.since, r.previous.until), true);
  put_period_json(w, r.previous, nullptr);
  out += "}}";
  w.flush();
}

void write_report_csv(const Report& r, const ReportView& view, const Sink& sink) {
  ChunkWriter w(sink);
  auto& out = w.buf();
  out += csv_row({"period"});
  out += csv_row({"which", "since", "until"});
  out += csv_row({"current", format_utc(r.current.since), format_utc(r.current.until)});
  out += csv_row({"previous", format_utc(r.previous.since), format_utc(r.previous.until)});
  out += "\r\n" + csv_row({"summary"});
  out += csv_row({"figure", "value", "previous"});
  for (const auto& f : headline(r)) {
    if (f.key == "compensation") continue;  // its own table, per currency
    out += csv_row({f.key, f.now, f.before});
  }
  out += "\r\n" + csv_row({"compensation"});
  out += csv_row({"currency", "amount_cents", "amount", "previous_amount_cents"});
  std::vector<std::string> currencies;
  for (const auto* list : {&r.current.compensation, &r.previous.compensation})
    for (const auto& m : *list)
      if (std::find(currencies.begin(), currencies.end(), m.currency) == currencies.end())
        currencies.push_back(m.currency);
  std::sort(currencies.begin(), currencies.end());
  for (const auto& cur : currencies) {
    CentsSum now = 0, before = 0;
    for (const auto& m : r.current.compensation)
      if (m.currency == cur) now = m.amount_cents;
    for (const auto& m : r.previous.compensation)
      if (m.currency == cur) before = m.amount_cents;
    out += csv_row({cur, cents_sum_text(now), amount_decimal(now), cents_sum_text(before)});
  }
  for (const auto& b : shown_breakdowns(r, view, false)) {
    out += "\r\n" + csv_row({b.name == "customer" ? "repeat_customers" : "by_" + b.name});
    if (b.name == "customer") {
      // Straight from the report: the id and the name in their own cells.
      out += csv_row({"customer_id", "customer_name", "count"});
      std::string id, count;
      for (const auto& c : b.customers) {
        id.clear();
        append_int(id, c.id);
        count.clear();
        append_int(count, c.count);
        append_csv_row(out, {id, c.name, count});
        w.maybe_flush();
      }
    } else {
      out += csv_row({b.name, "count"});
      for (const auto& c : b.rows)
        out += csv_row({c.key, fmt::format("{}", c.count)});
    }
    if (b.hidden) {
      std::vector<std::string> more(b.name == "customer" ? 3 : 2);
      more[0] = fmt::format("({} more)", b.hidden);
      out += csv_row(more);
    }
  }
  w.flush();
}

std::string render_report_markdown(const Report& r, const ReportView& view) {
  std::string out;
  std::string title = "Complaints report";
  if (view.business_name) title += ": " + md_cell(*view.business_name);
  out += "# " + title + "\n\n";
  out += fmt::format("Period: {} (previous: {})\n\n", period_text(r.current.since, r.current.until),
                     period_text(r.previous.since, r.previous.until));
  out += "| Figure | This period | Previous |\n|:--|--:|--:|\n";
  for (const auto& f : headline(r)) {
    out += fmt::format("| {} | {} | {} |\n", f.label, f.now.empty() ? "-" : md_cell(f.now),
                       f.before.empty() ? "-" : md_cell(f.before));
  }
  for (const auto& b : shown_breakdowns(r, view)) {
    out += "\n## " + b.title + "\n\n";
    if (b.rows.empty()) {
      out += "None.\n";
      continue;
    }
    // Headed by what the rows are ("Category", "Cause"), not a generic "Key".
    std::string heading = b.name;
    if (!heading.empty() && heading[0] >= 'a' && heading[0] <= 'z')
      heading[0] = static_cast<char>(heading[0] - 'a' + 'A');
    out += fmt::format("| {} | Cases |\n|:--|--:|\n", heading);
    for (const auto& c : b.rows)
      out += fmt::format("| {} | {} |\n", md_cell(c.key), c.count);
    if (b.hidden)
      out += fmt::format("\n{} more not shown{}.\n", b.hidden,
                         b.cut_by_default ? " (--top N shows more; csv and json list all)" : "");
  }
  return out;
}

}  // namespace mend::cli
