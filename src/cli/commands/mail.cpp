// mend mail [SOURCE...]: take mail in. New complaints become cases, answers
// join their case, automatic mail and mail seen before change nothing. A
// SOURCE is a message file, an mbox or a maildir; none or `-` is one message
// on stdin, as procmail, maildrop, fetchmail, Sieve and mutt hand it over.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/owner.hpp"
#include "cli/sendmail.hpp"
#include "core/config_file.hpp"
#include "core/errors.hpp"
#include "core/limits.hpp"
#include "core/mail.hpp"
#include "core/reply.hpp"

namespace mend::cli {
namespace {

struct MailOptions {
  std::vector<std::string> sources;
  std::string category, priority = "normal", due;
  std::vector<std::string> tags;
  std::optional<std::string> owner;
  bool ack = false;
};

// One message to take: where it came from (for --json and errors) and how to
// read its bytes.
struct Item {
  std::string label;
  std::string path;                  // empty: stdin
  std::int64_t begin = 0, end = -1;  // a span of an mbox; end -1: the whole file
};

std::string read_fd(int fd, const std::string& name, std::int64_t begin, std::int64_t end) {
  std::string out;
  if (end >= 0) {
    out.resize(static_cast<std::size_t>(end - begin));
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::pread(fd, out.data() + got, out.size() - got,
                                static_cast<off_t>(begin + static_cast<std::int64_t>(got)));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail(ErrorKind::io, "cannot read " + name + ": " + std::strerror(errno));
      got += static_cast<std::size_t>(n);
    }
    return out;
  }
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ErrorKind::io, "cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > static_cast<std::size_t>(kMaxAttachmentLimit))
      fail(ErrorKind::data, name + " is larger than any mail mend takes");
  }
  return out;
}

std::string read_item(const Item& item) {
  if (item.path.empty()) return read_fd(STDIN_FILENO, "standard input", 0, -1);
  const int fd = ::open(item.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) fail(ErrorKind::not_found, "cannot read " + item.path + ": " + std::strerror(errno));
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close_fd{fd};
  return read_fd(fd, item.path, item.begin, item.end);
}

// The files of a maildir's new/ and cur/, in name order (delivery order).
std::vector<std::string> maildir_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const char* sub : {"/new", "/cur"}) {
    const std::string d = dir + sub;
    DIR* h = ::opendir(d.c_str());
    if (h == nullptr) continue;
    std::vector<std::string> names;
    while (dirent* e = ::readdir(h)) {
      if (e->d_name[0] == '.') continue;
      const std::string path = d + "/" + e->d_name;
      struct stat st {};
      if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) names.push_back(path);
    }
    ::closedir(h);
    std::sort(names.begin(), names.end());
    out.insert(out.end(), names.begin(), names.end());
  }
  return out;
}

bool is_maildir(const std::string& dir) {
  struct stat st {};
  for (const char* sub : {"/new", "/cur"})
    if (::stat((dir + sub).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return true;
  return false;
}

bool starts_like_mbox(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return false;
  char head[5] = {};
  const ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return n == 5 && std::memcmp(head, "From ", 5) == 0;
}

std::string line_for(const MailOutcome& o) {
  if (o.action == "opened")
    return fmt::format("opened case #{} for {}", *o.case_id, terminal_safe(o.customer));
  if (o.action == "added")
    return fmt::format("added {} to case #{}", o.kind == EventKind::reply ? "your reply" : "mail",
                       *o.case_id);
  if (o.action == "duplicate") return fmt::format("duplicate: already on case #{}", *o.case_id);
  return "skipped: " + terminal_safe(o.reason.value_or("automatic mail"));
}

// --ack: the acknowledgement for one case the run opened, at most once per
// case, never to one of the owner's own addresses. The mail itself is already
// taken, so a failure here is a warning naming the case, not the run's exit
// code: a mail system that saw 75 would hand the message over again.
void acknowledge(Context& ctx, const MailReader& writer, std::int64_t id, const MailRules& rules,
                 const std::string& templates_dir) {
  try {
    const Case c = ctx.store().get_case(id);
    if (has_ack(c) || !c.customer.email) return;
    const std::string to = lowercase(trimmed(*c.customer.email));
    if (std::find(rules.addresses.begin(), rules.addresses.end(), to) != rules.addresses.end())
      return;
    const auto t = load_template("ack", templates_dir);
    const std::string body =
        render_template(t, reply_values(c, ctx.config.business_name, ctx.config.from));
    std::string bytes;
    const Reply r = build_reply(ctx, writer, c, body, true, bytes);
    send_and_record(ctx, id, r, bytes);
    if (!ctx.json && !ctx.quiet)
      ctx.out.line(
          fmt::format("acknowledged case #{} to {}", id, terminal_safe(r.mail.to_address)));
  } catch (const Error& e) {
    ctx.warn(fmt::format("case #{} was taken but not acknowledged: {}", id, e.what()));
  }
}

// What every message of this run is filed with, from the options and the
// config; refuses bad options before any mail is read.
MailRules rules_of(Context& ctx, const MailOptions& o) {
  MailRules rules;
  rules.category = lowercase(trimmed(o.category));
  if (rules.category.empty()) rules.category = "other";
  check_text(rules.category, kMaxLineText, "--category", ErrorKind::usage);
  rules.priority = require_value<Priority>("--priority", lowercase(trimmed(o.priority)));
  for (const auto& t : o.tags) {
    const auto tag = trimmed(t);
    if (tag.empty() || tag.find_first_of(" \t\r\n,") != std::string::npos)
      fail(ErrorKind::usage, "--tag '" + t + "' must be one word");
    rules.tags.push_back(tag);
  }
  if (o.owner) rules.owner = person(ctx, "--owner", *o.owner);
  rules.max_attachment = ctx.config.max_attachment;
  // The owner's own addresses: `addresses`, and that of `from`.
  for (const auto& a : ctx.config.addresses) {
    std::string name, address;
    split_address(a, name, address);
    if (!address.empty()) rules.addresses.push_back(lowercase(address));
  }
  if (ctx.config.from) {
    std::string name, address;
    split_address(*ctx.config.from, name, address);
    if (!address.empty()) rules.addresses.push_back(lowercase(address));
  }
  std::optional<Time> fixed_due;
  if (!o.due.empty()) fixed_due = stored_when("--due", o.due, ctx.now, false, ctx.config.calendar);
  const std::string due_in = ctx.config.due_in;
  const WorkCalendar calendar = ctx.config.calendar;
  const bool due_given = !o.due.empty();
  rules.due_for = [=](Time opened) -> std::optional<Time> {
    if (due_given) return fixed_due;
    return stored_when("due_in", due_in, opened, false, calendar);
  };

  return rules;
}

// The messages to take, in order: stdin, each file of a maildir, each
// message of an mbox, or one file. A SOURCE that holds no mail is reported
// and skipped.
std::vector<Item> items_of(Context& ctx, const std::vector<std::string>& sources,
                           const MailReader& reader) {
  std::vector<Item> items;
  auto not_mail = [&](const std::string& label) {
    ctx.fail_item(ErrorKind::data, label + " is not a mail message; nothing was taken from it");
  };
  for (const auto& s : sources) {
    if (s == "-") {
      items.push_back({"-", "", 0, -1});
      continue;
    }
    struct stat st {};
    ::stat(s.c_str(), &st);
    if (S_ISDIR(st.st_mode)) {
      if (!is_maildir(s)) {
        not_mail(s + " (a folder but not a maildir: it has no new/ or cur/)");
        continue;
      }
      for (auto& f : maildir_files(s))
        items.push_back({f, f, 0, -1});
    } else if (starts_like_mbox(s)) {
      const int fd = ::open(s.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) fail(ErrorKind::not_found, "cannot read " + s + ": " + std::strerror(errno));
      const auto spans = reader.mbox_spans(fd);
      ::close(fd);
      int n = 0;
      for (const auto& [b, e] : spans)
        items.push_back({s + "#" + std::to_string(++n), s, b, e});
      if (spans.empty()) not_mail(s);
    } else {
      items.push_back({s, s, 0, -1});
    }
  }

  return items;
}

// Takes every message and reports each; returns the cases opened.
std::vector<std::int64_t> take_all(Context& ctx, const std::vector<Item>& items,
                                   const MailReader& reader, const MailRules& rules) {
  auto not_mail = [&](const std::string& label) {
    ctx.fail_item(ErrorKind::data, label + " is not a mail message; nothing was taken from it");
  };
  // Many messages are committed in groups (each message a savepoint of its
  // own), a group at most every second or every 500 messages: one durable
  // commit per message would cap a maildir run at the disk's flush rate. A
  // message is reported only once its group is committed.
  Json results = Json::array();
  std::vector<std::string> said;
  std::vector<std::int64_t> opened;
  const bool batch = items.size() > 1;
  std::size_t in_group = 0;
  auto group_started = std::chrono::steady_clock::now();
  auto commit_group = [&] {
    if (batch && in_group > 0) ctx.store().commit_mail_batch();
    in_group = 0;
    for (const auto& line : said)
      ctx.out.line(line);
    said.clear();
  };
  try {
    for (const auto& item : items) {
      const std::string raw = read_item(item);
      const auto parsed = reader.read(raw, rules.max_attachment);
      if (!parsed) {
        not_mail(item.label);
        continue;
      }
      if (batch && in_group == 0) {
        // Groups of messages, each a savepoint, are a bulk load: opened as one
        // (here, at the first message that is mail, so that no database is
        // made for none), the savepoints' journals stay in memory and the WAL
        // is written in large pieces (10,000 messages: 59,000 writes, not
        // 532,000).
        ctx.store(StoreUse::bulk_load).begin_mail_batch();
        group_started = std::chrono::steady_clock::now();
      }
      ++in_group;
      const MailOutcome outcome = ctx.store().take_mail(raw, *parsed, rules, ctx.now);
      if (outcome.action == "opened" && outcome.case_id) opened.push_back(*outcome.case_id);
      if (ctx.json) {
        Json j;
        j["source"] = item.label;
        j["message_id"] = outcome.message_id ? Json(*outcome.message_id) : Json(nullptr);
        j["action"] = outcome.action;
        j["case"] = outcome.case_id ? Json(*outcome.case_id) : Json(nullptr);
        j["reason"] = outcome.reason ? Json(*outcome.reason) : Json(nullptr);
        results.push_back(std::move(j));
      } else if (!ctx.quiet) {
        said.push_back(line_for(outcome));
      }
      if (in_group >= 500 ||
          std::chrono::steady_clock::now() - group_started > std::chrono::seconds(1))
        commit_group();
    }
  } catch (...) {
    // What was taken before the failure stays taken, and is reported.
    try {
      commit_group();
    } catch (...) {
    }
    throw;
  }
  commit_group();
  if (ctx.json) ctx.out.line(dump_json(results));
  return opened;
}

void run_mail(Context& ctx, MailOptions& o) {
  if (o.sources.empty()) o.sources.push_back("-");
  // --ack needs a sender: refused before any mail is taken.
  if (o.ack && (!ctx.config.from || trimmed(*ctx.config.from).empty()))
    fail(ErrorKind::usage, "--ack needs the config key from (\"Shop Name <me@shop.example>\") in " +
                               config_file_for_messages(ctx.config));
  // Every SOURCE must exist before any is read: nothing is taken otherwise.
  for (const auto& s : o.sources) {
    struct stat st {};
    if (s != "-" && ::stat(s.c_str(), &st) != 0)
      fail(ErrorKind::not_found, "no such file or folder: " + s);
  }
  const MailRules rules = rules_of(ctx, o);
  const MailReader reader;
  const auto items = items_of(ctx, o.sources, reader);
  const auto opened = take_all(ctx, items, reader, rules);
  if (o.ack && !opened.empty()) {
    const std::string templates = reply_templates_dir();
    for (const auto id : opened)
      acknowledge(ctx, reader, id, rules, templates);
  }
}

}  // namespace

void add_mail(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<MailOptions>();
  sub.add_option("SOURCE", o->sources,
                 "A message file (.eml), an mbox or a maildir; none or - reads one message on "
                 "stdin")
      ->type_name("SOURCE");
  sub.add_option("--category", o->category, "Category of the cases mail opens")
      ->type_name("CATEGORY");
  sub.add_option("--priority", o->priority, "Priority of the cases mail opens")
      ->type_name("PRIORITY");
  sub.add_option("--due", o->due,
                 "Promised time frame of the cases mail opens (default: due_in from when the "
                 "mail was sent)")
      ->type_name("WHEN");
  sub.add_option("--tag", o->tags, "A tag for the cases mail opens (repeatable)")
      ->type_name("TAG")
      ->allow_extra_args(false);
  sub.add_option("--owner", o->owner, "Who handles the cases mail opens (a name, me, nobody)")
      ->type_name("PERSON");
  sub.add_flag("--ack", o->ack,
               "Answer each case the mail opens with the ack template (Auto-Submitted: "
               "auto-replied), once per case");
  sub.footer(
      "Automatic mail (auto-replies, bounces, lists) is skipped; a message seen before changes\n"
      "nothing, so running it twice over a maildir is safe. Exit 0 when every message was\n"
      "taken, skipped or seen before; 65 when a SOURCE is not mail; 66 when a SOURCE does not\n"
      "exist (nothing is taken); 75 when the database stayed locked (the mail system retries).");
  commands.push_back({&sub, [o](Context& ctx) { run_mail(ctx, *o); }});
}

}  // namespace mend::cli
