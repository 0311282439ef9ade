#include "cli/evidence_page.hpp"

#include <fmt/format.h>

#include "cli/output.hpp"
#include "core/evidence.hpp"
#include "core/money.hpp"

namespace mend::cli {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
       color: #1f2328; background: #fff; margin: 2rem auto; max-width: 820px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2rem; }
p.meta, footer { color: #57606a; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
th[scope=row] { width: 9rem; color: #57606a; font-weight: normal; }
td.text, blockquote { white-space: pre-wrap; overflow-wrap: anywhere; }
td.sha { font-family: ui-monospace, monospace; font-size: 0.8rem; overflow-wrap: anywhere; }
td.when { white-space: nowrap; }
blockquote { margin: 0; padding: 0.6rem 1rem; border-left: 4px solid #d0d7de; background: #f6f8fa; }
figure { margin: 1rem 0; break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d7de; }
figcaption { color: #57606a; font-size: 0.9rem; }
@media print { body { margin: 0; max-width: none; } }
)css";

// Base64 over bytes that arrive in pieces.
class Base64 {
 public:
  explicit Base64(const ChunkSink& sink) : sink_(sink) {}
  void add(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4 + 4);
    for (char ch : bytes) {
      pending_[count_++] = static_cast<unsigned char>(ch);
      if (count_ == 3) {
        emit(out, 3);
        count_ = 0;
      }
    }
    sink_(out);
  }
  void finish() {
    std::string out;
    if (count_ > 0) emit(out, count_);
    count_ = 0;
    sink_(out);
  }

 private:
  void emit(std::string& out, int n) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned v =
        (pending_[0] << 16) | ((n > 1 ? pending_[1] : 0) << 8) | (n > 2 ? pending_[2] : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
  }
  const ChunkSink& sink_;
  unsigned pending_[3] = {0, 0, 0};
  int count_ = 0;
};

void row(std::string& out, std::string_view label, const std::string& html) {
  out += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td></tr>\n", label, html);
}

std::string when(std::optional<Time> t) {
  return t ? html_text(local_date_time(*t)) : std::string();
}

}  // namespace

void write_evidence_page(const Case& c, const std::vector<HistoryItem>& history,
                         const std::vector<std::string>& file_names, Time now,
                         const std::optional<std::string>& business_name, const ChunkSink& sink,
                         const BlobReader& read_blob) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing on the page may run or fetch anything: only inline styles and
  // images carried in the page itself.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>Case #{} — {}</title>\n<style>{}</style>\n</head>\n<body>\n", c.id,
                     html_text(c.summary), kStyle);
  out += fmt::format("<h1>Case #{}: {}</h1>\n", c.id, html_text(c.summary));
  out += "<p class=\"meta\">Evidence pack";
  if (business_name) out += " of " + html_text(*business_name);
  out += fmt::format(", written {}.</p>\n", html_text(local_date_time(now)));

  out += "<section>\n<h2>The case</h2>\n<table>\n";
  row(out, "Status", html_text(spelling(c.status)));
  std::string who = html_text(c.customer.name);
  if (c.customer.email) who += "\n" + html_text(*c.customer.email);
  if (c.customer.phone) who += "\n" + html_text(*c.customer.phone);
  row(out, "Customer", who);
  row(out, "Reached us by", html_text(spelling(c.channel)));
  row(out, "Category", html_text(c.category));
  row(out, "Priority", html_text(spelling(c.priority)));
  if (c.reference) row(out, "Reference", html_text(*c.reference));
  if (!c.tags.empty()) {
    std::string tags;
    for (const auto& t : c.tags)
      tags += (tags.empty() ? "" : ", ") + html_text(t);
    row(out, "Tags", tags);
  }
  row(out, "Opened", when(c.opened_at));
  if (c.due_at) row(out, "Promised by", when(c.due_at));
  if (c.resolved_at) row(out, "Resolved", when(c.resolved_at));
  if (c.closed_at) row(out, "Closed", when(c.closed_at));
  if (c.wants) row(out, "Customer asked for", html_text(*c.wants, true));
  if (c.resolution) {
    const auto& r = *c.resolution;
    std::string remedy = html_text(spelling(r.outcome));
    if (r.amount_cents) remedy += " " + html_text(money_words(*r.amount_cents, r.currency));
    if (r.text) remedy += "\n" + html_text(*r.text, true);
    row(out, "Remedy", remedy);
  }
  if (c.satisfaction) row(out, "Satisfaction", fmt::format("{} of 5", *c.satisfaction));
  out += "</table>\n</section>\n";

  out += "<section>\n<h2>The customer's words</h2>\n";
  out += c.complaint ? "<blockquote>" + html_text(*c.complaint, true) + "</blockquote>\n"
                     : "<p class=\"meta\">Not recorded.</p>\n";
  out += "</section>\n";

  out += "<section>\n<h2>Timeline</h2>\n<table>\n<tr><th>When</th><th>What</th><th></th></tr>\n";
  for (const auto& e : c.events) {
    out += fmt::format("<tr><td class=\"when\">{}</td><td>{}</td><td class=\"text\">{}</td></tr>\n",
                       when(e.at), html_text(spelling(e.kind)), html_text(e.text, true));
  }
  out += "</table>\n</section>\n";

  out += "<section>\n<h2>Files</h2>\n";
  if (c.attachments.empty()) {
    out += "<p class=\"meta\">No files are kept with this case.</p>\n";
  } else {
    out +=
        "<table>\n<tr><th>File</th><th>Type</th><th>Size</th><th>Added</th><th>SHA-256</th></tr>\n";
    for (std::size_t i = 0; i < c.attachments.size(); ++i) {
      const auto& a = c.attachments[i];
      std::string name = html_text(file_names[i]);
      if (file_names[i] != a.name) name += "<br><small>kept as " + html_text(a.name) + "</small>";
      out += fmt::format(
          "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td><td class=\"when\">{}</td>"
          "<td class=\"sha\">{}</td></tr>\n",
          name, html_text(a.type), html_text(human_size(a.size)), when(a.at), html_text(a.sha256));
    }
    out += "</table>\n";
  }
  out += "</section>\n";
  sink(out);
  out.clear();

  bool any_image = false;
  for (std::size_t i = 0; i < c.attachments.size(); ++i) {
    const auto& a = c.attachments[i];
    if (!is_inline_image(a.type)) continue;
    if (!any_image) sink("<section>\n<h2>Images</h2>\n");
    any_image = true;
    sink(fmt::format("<figure>\n<img alt=\"{}\" src=\"data:{};base64,", html_text(file_names[i]),
                     a.type));
    Base64 encoder(sink);
    read_blob(a.sha256, [&](std::string_view piece) { encoder.add(piece); });
    encoder.finish();
    sink(fmt::format("\">\n<figcaption>{}</figcaption>\n</figure>\n", html_text(file_names[i])));
  }
  if (any_image) sink("</section>\n");

  if (!history.empty()) {
    out += "<section>\n<h2>The customer's other cases</h2>\n<table>\n";
    for (const auto& h : history) {
      out += fmt::format("<tr><td>#{}</td><td class=\"when\">{}</td><td>{}</td><td>{}</td></tr>\n",
                         h.id, html_text(local_date(h.opened_at)), html_text(spelling(h.status)),
                         html_text(h.summary));
    }
    out += "</table>\n</section>\n";
  }
  out +=
      "<footer>Every file of this pack is listed with its SHA-256 in SHA256SUMS beside this "
      "page; <code>sha256sum -c SHA256SUMS</code> checks that none was changed.</footer>\n";
  out += "</body>\n</html>\n";
  sink(out);
}

}  // namespace mend::cli
