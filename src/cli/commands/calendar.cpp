// mend calendar [-o FILE]: promises and follow-ups as an iCalendar feed.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/private_file.hpp"
#include "core/calendar.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct CalendarOptions {
  std::string output;
};

void run_calendar(Context& ctx, const CalendarOptions& o) {
  if (ctx.json)
    fail(ErrorKind::usage, "mend calendar writes iCalendar (RFC 5545), not JSON; leave out --json");
  auto& store = ctx.store();
  std::vector<CalendarEvent> events;
  store.each_calendar_case([&](const Case& c) {
    events.push_back(c.status == Status::open ? promise_event(c) : followup_event(c));
  });
  std::sort(events.begin(), events.end(), [](const CalendarEvent& a, const CalendarEvent& b) {
    return a.at != b.at ? a.at < b.at : a.uid < b.uid;
  });
  const std::string name =
      ctx.config.business_name ? *ctx.config.business_name + " (mend)" : "mend";
  const std::string feed = write_icalendar(events, ctx.now, name);
  if (o.output.empty()) {
    ctx.out.write(feed);
    return;
  }
  if (o.output == "-") fail(ErrorKind::usage, "leave out -o to write to stdout");
  // Always through a temporary file renamed into place: a calendar program
  // that polls the file never reads half of it.
  PrivateFile file(o.output, true, ctx.db_path);
  file.write(feed);
  file.commit();
  if (!ctx.quiet)
    ctx.out.line(fmt::format("Wrote {} event{} to {}.", events.size(),
                             events.size() == 1 ? "" : "s", terminal_safe(o.output)));
}

}  // namespace

void add_calendar(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<CalendarOptions>();
  sub.add_option("-o,--output", o->output,
                 "Write the feed to FILE (0600, replaced whole, never through a symbolic link) "
                 "instead of stdout")
      ->type_name("FILE");
  sub.footer(
      "\nOne event per open promise (due_at) and per scheduled follow-up (followup_at); a\n"
      "deadline at the end of a day is an all-day event. For a phone, refresh a file from\n"
      "cron and subscribe to it:  */15 * * * * mend calendar -o ~/public/mend-SECRET.ics");
  commands.push_back({&sub, [o](Context& ctx) { run_calendar(ctx, *o); }});
}

}  // namespace mend::cli
