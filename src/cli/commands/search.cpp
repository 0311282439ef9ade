// mend search QUERY...: the cases whose words match, best first.
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

struct SearchOptions {
  std::vector<std::string> words;
  std::vector<std::string> after_words;  // never filled: see add_search
  std::vector<std::string> statuses;
  std::string customer, since, until, limit;
  std::optional<std::string> owner;
  bool mine = false;
};

SearchFilter make_filter(Context& ctx, const SearchOptions& o) {
  SearchFilter f;
  f.statuses = parse_statuses(o.statuses);
  f.customer = optional_text(o.customer);
  const auto span = since_until(o.since, o.until, ctx.now, ctx.config.calendar);
  f.since = span.since;
  f.until = span.until;
  if (!span.future_warning.empty()) ctx.warn(span.future_warning);
  f.owner = owner_filter(ctx, o.owner, o.mine);
  f.limit = parse_limit(o.limit);
  return f;
}

// The pieces of a snippet: text, and whether it is a matched word. Runs of
// white space (a complaint has line breaks) become one space.
struct Piece {
  std::string text;
  bool match = false;
};

std::vector<Piece> pieces(std::string_view snippet) {
  std::vector<Piece> out;
  bool match = false;
  bool space = false;
  const auto put = [&](std::string_view text, bool m) {
    if (out.empty() || out.back().match != m) out.push_back(Piece{{}, m});
    out.back().text += text;
  };
  const auto add = [&](std::string_view text) {
    for (const char c : text) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') {
        space = true;
        continue;
      }
      // A space is bold only between two matched words (a phrase).
      if (space && !out.empty()) put(" ", match && out.back().match);
      space = false;
      put(std::string_view(&c, 1), match);
    }
  };
  while (!snippet.empty()) {
    const std::string_view marker = match ? kMatchEnd : kMatchStart;
    const auto at = snippet.find(marker);
    add(snippet.substr(0, at));
    if (at == std::string_view::npos) break;
    snippet.remove_prefix(at + marker.size());
    match = !match;
  }
  return out;
}

std::string plain(const std::vector<Piece>& ps) {
  std::string out;
  for (const auto& p : ps)
    out += p.text;
  return out;
}

// The snippet made safe, the matched words bold (with colour on), cut to
// `width` columns when width > 0.
std::string painted(const Printer& out, const std::vector<Piece>& ps, int width) {
  std::string line;
  int used = 0;
  for (const auto& p : ps) {
    std::string text = terminal_safe(p.text);
    if (width > 0) {
      const int w = display_width(text);
      if (used + w > width) {
        text = fit(text, width - used);
        line += p.match ? out.paint(text, Style::bold) : text;
        break;
      }
      used += w;
    }
    line += p.match ? out.paint(text, Style::bold) : text;
  }
  return line;
}

void print_hit(Context& ctx, const SearchHit& hit) {
  auto& out = ctx.out;
  const Case& c = hit.c;
  const std::string id = fmt::format("#{}", c.id);
  const std::string head_plain =
      fmt::format("{}  {}  {}  ", id, spelling(c.status), terminal_safe(c.customer.name));
  std::string summary = terminal_safe(c.summary);
  if (out.is_tty()) {
    const int room = out.width() - display_width(head_plain);
    summary = room > 1 ? fit(summary, room) : "";
  }
  out.line(fmt::format("{}  {}  {}  {}", out.paint(id, Style::bold), status_word(out, c.status),
                       terminal_safe(c.customer.name), summary));
  const auto ps = pieces(hit.snippet);
  if (ps.empty()) return;
  constexpr int kIndent = 4;
  out.line(std::string(kIndent, ' ') +
           painted(out, ps, out.is_tty() ? std::max(1, out.width() - kIndent) : 0));
}

void run_search(Context& ctx, const SearchOptions& o) {
  std::string query;
  for (const auto& w : o.words)
    query += (query.empty() ? "" : " ") + w;
  const auto filter = make_filter(ctx, o);
  if (ctx.json) {
    bool first = true;
    std::string text;
    ctx.out.write("[");
    ctx.store().search_cases(query, filter, [&](const SearchHit& hit) {
      text.assign(first ? "\n" : ",\n");
      first = false;
      text += "{\"case\":";
      append_case_json(text, hit.c, false);
      text += ",\"snippet\":";
      append_json_string(text, plain(pieces(hit.snippet)));
      text += "}";
      ctx.out.write(text);
    });
    ctx.out.line(first ? "]" : "\n]");
    return;
  }
  ctx.store().search_cases(query, filter, [&](const SearchHit& hit) { print_hit(ctx, hit); });
}

}  // namespace

void add_search(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<SearchOptions>();
  sub.add_option("QUERY", o->words,
                 "Words that must all match; word* a prefix, \"two words\" a phrase, a OR b "
                 "either, NOT word or -word (after --) excludes")
      ->required();
  // CLI11 (2.1) gives the words after `--` back to mend's global options once
  // QUERY holds a word (mend search parcel -- -leeds), unless a positional
  // still waits for one: this hidden one does, and never gets any, as QUERY
  // takes every word first.
  sub.add_option("MORE", o->after_words)->group("");
  add_status_option(sub, o->statuses);
  sub.add_option("--customer", o->customer,
                 "Customer id, or a part of the name, email or phone number")
      ->type_name("WHO");
  sub.add_option("--since", o->since, "Opened at or after WHEN (monday: this week's Monday)")
      ->type_name("WHEN");
  sub.add_option("--until", o->until, "Opened before WHEN (a day counts whole)")->type_name("WHEN");
  add_owner_filter_options(sub, o->owner, o->mine);
  sub.add_option("--limit", o->limit, "At most N cases")->type_name("N");
  sub.footer(
      "Every word must match, in any order, in the summary, complaint, wants, reference, "
      "resolution, cause, category, tags, timeline, the customer's name, email and phone, or a "
      "file name; case, accents (cafe finds Café) and English endings (refunds finds refund) do "
      "not matter. Best matches first, then newest. Quote a phrase for mend, not only for the "
      "shell: mend search '\"arrived broken\"'. Exclude a word with NOT word, or with -word "
      "after --: mend search parcel -- -leeds. Prints nothing when nothing matches.");
  commands.push_back({&sub, [o](Context& ctx) { run_search(ctx, *o); }});
}

}  // namespace mend::cli
