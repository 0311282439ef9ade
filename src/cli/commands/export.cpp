// mend export: every case with its events, as JSON Lines (the `show --json`
// shape without `history`) or CSV, streamed one case at a time.
#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/csv.hpp"
#include "cli/input.hpp"
#include "cli/private_file.hpp"
#include "cli/status_option.hpp"
#include "core/digest.hpp"
#include "core/errors.hpp"
#include "core/money.hpp"

namespace mend::cli {
namespace {

struct ExportOptions {
  std::string format = "jsonl";
  std::vector<std::string> statuses;
  std::string since, until, resolved_since, resolved_until, output, files;
  bool force = false;
  bool local = false;  // CSV: local times with their offset instead of UTC
};

// The folder export --files writes: one file per SHA-256, named by it. A file
// already there with the right bytes is kept (exports into the same folder
// add only what is new); one with other bytes is an error.
class BlobFolder {
 public:
  BlobFolder(std::string dir, std::string database)
      : dir_(std::move(dir)), database_(std::move(database)) {
    struct stat st {};
    if (::lstat(dir_.c_str(), &st) == 0) {
      if (S_ISLNK(st.st_mode))
        fail(ErrorKind::cant_create, dir_ + " is a symbolic link; give a real folder");
      if (!S_ISDIR(st.st_mode)) fail(ErrorKind::cant_create, dir_ + " is not a folder");
    } else if (::mkdir(dir_.c_str(), 0700) != 0) {
      fail(ErrorKind::cant_create, "cannot create " + dir_ + ": " + std::strerror(errno));
    }
  }

  void write(const std::string& sha256, Store& store) {
    const std::string path = dir_ + "/" + sha256;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      std::ifstream in(path, std::ios::binary);
      Sha256 h;
      std::vector<char> buf(1 << 16);
      while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0)
        h.add(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
      if (h.hex() == sha256) return;
      fail(ErrorKind::cant_create, path + " exists with other bytes; give an empty folder");
    }
    PrivateFile file(path, false, database_);
    store.read_blob(sha256, [&](std::string_view piece) { file.write(piece); });
    file.commit();
  }

 private:
  std::string dir_;
  std::string database_;
};

const std::vector<std::string> kCsvHeader = {"id",
                                             "status",
                                             "customer_id",
                                             "customer_name",
                                             "customer_email",
                                             "customer_phone",
                                             "summary",
                                             "complaint",
                                             "wants",
                                             "channel",
                                             "category",
                                             "priority",
                                             "reference",
                                             "tags",
                                             "opened_at",
                                             "due_at",
                                             "resolved_at",
                                             "followup_at",
                                             "closed_at",
                                             "outcome",
                                             "resolution_text",
                                             "amount",
                                             "amount_cents",
                                             "currency",
                                             "fault",
                                             "cause",
                                             "satisfaction",
                                             "events"};

std::string text_or_empty(const std::optional<std::string>& v) {
  return v ? *v : std::string();
}

// RFC 3339 in the local time zone with its offset: 2026-11-23T15:05:00+01:00.
std::string format_local(Time t) {
  const auto lt = to_local(t);
  using namespace std::chrono;
  const auto day = sys_days{year{lt.year} / month{static_cast<unsigned>(lt.month)} /
                            std::chrono::day{static_cast<unsigned>(lt.day)}};
  const std::int64_t wall = duration_cast<seconds>(day.time_since_epoch()).count() +
                            lt.hour * 3600 + lt.minute * 60 + lt.second;
  const std::int64_t offset = wall - static_cast<std::int64_t>(t);
  const std::int64_t minutes = (offset < 0 ? -offset : offset) / 60;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", lt.year, lt.month, lt.day,
                     lt.hour, lt.minute, lt.second, offset < 0 ? '-' : '+', minutes / 60,
                     minutes % 60);
}

std::vector<std::string> csv_cells(const Case& c, bool local) {
  auto time = [local](Time t) { return local ? format_local(t) : format_utc(t); };
  auto time_or_empty = [&](const std::optional<Time>& t) { return t ? time(*t) : std::string(); };
  std::string tags;
  for (const auto& t : c.tags) {
    if (!tags.empty()) tags += ' ';
    tags += t;
  }
  const auto* r = c.resolution ? &*c.resolution : nullptr;
  return {std::to_string(c.id),
          std::string(spelling(c.status)),
          std::to_string(c.customer.id),
          c.customer.name,
          text_or_empty(c.customer.email),
          text_or_empty(c.customer.phone),
          c.summary,
          text_or_empty(c.complaint),
          text_or_empty(c.wants),
          std::string(spelling(c.channel)),
          c.category,
          std::string(spelling(c.priority)),
          text_or_empty(c.reference),
          tags,
          time(c.opened_at),
          time_or_empty(c.due_at),
          time_or_empty(c.resolved_at),
          time_or_empty(c.followup_at),
          time_or_empty(c.closed_at),
          r ? std::string(spelling(r->outcome)) : "",
          r ? text_or_empty(r->text) : "",
          r && r->amount_cents ? amount_decimal(*r->amount_cents) : "",
          r && r->amount_cents ? std::to_string(*r->amount_cents) : "",
          r ? r->currency : "",
          r ? std::string(spelling(r->fault)) : "",
          r ? text_or_empty(r->cause) : "",
          c.satisfaction ? std::to_string(*c.satisfaction) : "",
          std::to_string(c.events.size())};
}

void run_export(Context& ctx, const ExportOptions& o) {
  ExportFilter filter;
  filter.statuses = parse_statuses(o.statuses);
  const auto span = since_until(o.since, o.until, ctx.now, ctx.config.calendar);
  filter.since = span.since;
  filter.until = span.until;
  if (!span.future_warning.empty()) ctx.warn(span.future_warning);
  const auto resolved =
      since_until(o.resolved_since, o.resolved_until, ctx.now, ctx.config.calendar, "resolved-");
  filter.resolved_since = resolved.since;
  filter.resolved_until = resolved.until;
  const bool csv = o.format == "csv";
  if (o.local && !csv)
    fail(ErrorKind::usage, "--local goes with --format csv (JSON times are always UTC)");
  if (o.force && o.output.empty()) fail(ErrorKind::usage, "--force goes with -o FILE");

  auto& store = ctx.store();  // open the database before creating the file
  std::unique_ptr<PrivateFile> file;
  if (!o.output.empty()) {
    if (o.output == "-") fail(ErrorKind::usage, "leave out -o to write to stdout");
    file = std::make_unique<PrivateFile>(o.output, o.force, ctx.db_path);
  }
  // JSON Lines escape every control character themselves; CSV cells hold the
  // customer's bytes as they are, so on a terminal they go through document().
  auto write = [&](std::string_view text) {
    if (file) {
      file->write(text);
    } else if (csv) {
      ctx.out.document(text);
    } else {
      ctx.out.write(text);
    }
  };
  std::unique_ptr<BlobFolder> blobs;
  if (!o.files.empty()) blobs = std::make_unique<BlobFolder>(o.files, ctx.db_path);
  if (csv) write(csv_row(kCsvHeader));
  std::int64_t count = 0;
  std::string line;                 // reused: one allocation for the whole export
  std::vector<std::string> listed;  // the SHA-256 of every attachment listed, once each
  std::set<std::string> seen;
  store.export_cases(filter, [&](const Case& c) {
    if (blobs)
      for (const auto& a : c.attachments)
        if (seen.insert(a.sha256).second) listed.push_back(a.sha256);
    if (csv) {
      write(csv_row(csv_cells(c, o.local)));
    } else {
      line.clear();
      append_case_json(line, c, true);
      line += '\n';
      write(line);
    }
    ++count;
  });
  if (blobs)
    for (const auto& sha : listed)
      blobs->write(sha, store);
  if (!file) return;
  file->commit();
  if (ctx.quiet) return;
  if (ctx.json) {
    Json j;
    j["cases"] = count;
    j["file"] = o.output;
    ctx.out.line(dump_json(j));
    return;
  }
  ctx.out.line(fmt::format("Exported {} case{} to {}.", count, count == 1 ? "" : "s",
                           terminal_safe(o.output)));
}

}  // namespace

void add_export(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<ExportOptions>();
  sub.add_option("--format", o->format,
                 "jsonl (default: one case per line, the show --json shape) or csv (one row "
                 "per case, with a header)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"jsonl", "json", "csv"}));
  add_status_option(sub, o->statuses);
  sub.add_option("--since", o->since, "Only cases opened at or after WHEN")->type_name("WHEN");
  sub.add_option("--until", o->until, "Only cases opened before WHEN (a day counts whole)")
      ->type_name("WHEN");
  sub.add_option("--resolved-since", o->resolved_since,
                 "Only cases resolved at or after WHEN (what was paid out in a period)")
      ->type_name("WHEN");
  sub.add_option("--resolved-until", o->resolved_until,
                 "Only cases resolved before WHEN (a day counts whole)")
      ->type_name("WHEN");
  sub.add_flag("--local", o->local,
               "CSV: times in the local time zone with their offset (2026-11-23T15:05:00+01:00) "
               "instead of UTC");
  sub.add_option("-o,--output", o->output,
                 "Write to FILE (created 0600, never through a symbolic link) instead of stdout")
      ->type_name("FILE");
  sub.add_flag("--force", o->force, "With -o: replace FILE if it exists");
  sub.add_option("--files", o->files,
                 "Also write the attachments' bytes into DIR (created 0700), one file per "
                 "SHA-256, for import --files")
      ->type_name("DIR");
  commands.push_back({&sub, [o](Context& ctx) { run_export(ctx, *o); }});
}

}  // namespace mend::cli
