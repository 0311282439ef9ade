#include "cli/app.hpp"

#include <pwd.h>
#include <stdio_ext.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "cli/usage_errors.hpp"
#include "core/errors.hpp"
#include "core/pg_conn.hpp"
#include "core/store.hpp"

namespace mend::cli {
namespace {

// sysexits(3) codes, as the README and the man page list them.
constexpr int kExitDeclined = 1;
constexpr int kExitUsage = 64;
constexpr int kExitData = 65;
constexpr int kExitNoInput = 66;
constexpr int kExitSoftware = 70;
constexpr int kExitCantCreate = 73;
constexpr int kExitIo = 74;
constexpr int kExitTempFail = 75;

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
      return kExitUsage;
    case ErrorKind::declined:
      return kExitDeclined;
    case ErrorKind::data:
      return kExitData;
    case ErrorKind::not_found:
      return kExitNoInput;
    case ErrorKind::cant_create:
      return kExitCantCreate;
    case ErrorKind::io:
      return kExitIo;
    case ErrorKind::busy:
      return kExitTempFail;
    case ErrorKind::internal:
      return kExitSoftware;
  }
  return kExitSoftware;
}

struct CommandEntry {
  const char* name;
  const char* description;  // its line in `mend --help`
  void (*add)(CLI::App& sub, Commands& commands);
  bool hidden = false;  // left out of `mend --help`
};

// The command table, in the order `mend --help` lists them.
constexpr CommandEntry kCommandTable[] = {
    {"open", "Open a case: write a customer's complaint down", &add_open},
    {"note", "Add a timeline entry to a case: a note, call, email, apology, offer, ...", &add_note},
    {"resolve", "Resolve an open case: record the remedy, schedule the follow-up", &add_resolve},
    {"reopen", "Reopen a resolved or closed case (clears its resolution, keeps the timeline)",
     &add_reopen},
    {"followup", "What needs attention now; with ID, record the follow-up on a resolved case",
     &add_followup},
    {"list", "List cases, newest first", &add_list},
    {"search", "Find cases by any words in them, best match first", &add_search},
    {"show", "Show a case with its timeline and the customer's other cases", &add_show},
    {"edit", "Change a case's fields; the timeline notes each change", &add_edit},
    {"mail", "Take mail in: new complaints become cases, answers join their case", &add_mail},
    {"reply", "Write to a case's customer by email, from a template; the reply joins the case",
     &add_reply},
    {"assign", "Set who handles a case: a name, me, or nobody", &add_assign},
    {"attach", "Keep files with a case: photos, receipts, labels, screenshots", &add_attach},
    {"evidence", "Write a case's evidence pack into a folder: its files, a page, SHA256SUMS",
     &add_evidence},
    {"calendar", "Promises and follow-ups as an iCalendar (RFC 5545) feed for a phone calendar",
     &add_calendar},
    {"report", "Look back over a period: what went wrong most, and is it getting better",
     &add_report},
    {"export", "Write every case with its events as JSON Lines (one case per line) or CSV",
     &add_export},
    {"import", "Read cases back from JSON Lines in the export shape: all or nothing", &add_import},
    {"backup", "Copy the database to FILE while others may write (SQLite online backup)",
     &add_backup},
    {"forget", "Erase a customer's personal data; keep dates and outcomes for reports",
     &add_forget},
    {"help", "Explain mend or one of its commands (= mend COMMAND --help)", &add_help},
    // The shell completions' helper.
    {"__complete", "Words for shell completion (used by the completion scripts)", &add_complete,
     true},
};

struct GlobalOptions {
  std::string db;
  bool json = false;
  std::string color = "auto";
  bool quiet = false;
};

std::string home_dir() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
  fail(ErrorKind::cant_create, "cannot find the home folder; set HOME or give --db");
}

// A password given in a PostgreSQL location on the command line is
// overwritten in argv once it is parsed, so ps and /proc/PID/cmdline show
// asterisks (there is a moment before this when it is visible: a password
// belongs in ~/.pgpass, which the README says).
void hide_passwords(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.find("postgres") == std::string_view::npos &&
        arg.find("password=") == std::string_view::npos)
      continue;
    for (const auto& [begin, end] : pg_password_spans(arg))
      std::fill(argv[i] + begin, argv[i] + end, '*');
  }
}

std::string database_path(const std::string& option, const Config& config) {
  std::string path = option;
  if (path.empty()) {
    if (const char* env = std::getenv("MEND_DB"); env && *env) path = env;
  }
  if (path.empty() && config.database) {  // the config key `database`
    path = *config.database;
    if (path.rfind("~/", 0) == 0) path = home_dir() + path.substr(1);
  }
  // A PostgreSQL database (Team mode) goes to libpq as given, never taken
  // for a file name.
  if (is_postgres_location(path)) return path;
  if (path.empty()) {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const std::string base = (xdg && *xdg == '/') ? std::string(xdg) : home_dir() + "/.local/share";
    path = base + "/mend/cases.db";
  }
  // SQLite reads "file:..." as a URI and relative paths depend on the cwd: always absolute.
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec) fail(ErrorKind::cant_create, "cannot resolve the database path " + path);
  return absolute.lexically_normal().string();
}

// COLUMNS, when it holds a usable width.
std::optional<int> columns_from_env() {
  if (const char* cols = std::getenv("COLUMNS"); cols && *cols) {
    const int w = std::atoi(cols);
    if (w >= 20 && w <= 1000) return w;
  }
  return std::nullopt;
}

int terminal_width(bool is_tty) {
  if (const auto w = columns_from_env()) return *w;
  winsize ws{};
  if (is_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 80;
}

bool want_color(const std::string& mode, bool is_tty) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return is_tty;
}

// The names a user may type as a command, for "did you mean".
std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& entry : kCommandTable)
    if (!entry.hidden) names.emplace_back(entry.name);
  return names;
}

void print_error(const std::string& message);

// `mend help [COMMAND]` runs `mend [COMMAND] --help`, so that the command's
// options (built only when it is the one given) are in its help. -1 when the
// command line asks for something else.
int answer_help(CLI::App& app, const char* program) {
  const CLI::App* help = app.get_subcommand("help");
  if (!help->parsed()) return -1;
  std::vector<std::string> words = {program};
  if (const CLI::Option* topic = help->get_option("COMMAND"); topic->count() > 0) {
    const auto name = topic->as<std::string>();
    const auto names = command_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      print_error(unknown_command_message(name, names));
      return kExitUsage;
    }
    words.push_back(name);
  }
  words.emplace_back("--help");
  std::vector<char*> again;
  for (auto& w : words)
    again.push_back(w.data());
  again.push_back(nullptr);
  return run(static_cast<int>(words.size()), again.data());
}

void print_error(const std::string& message) {
  // Nothing half-written on stdout: drop what a failed command buffered but did
  // not yet send (a streamed export may have sent earlier parts already).
  __fpurge(stdout);
  // Error text may quote what the user or a customer typed: print it safely.
  const std::string line = "mend: " + terminal_safe(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

namespace {

// Who is running mend, as events record it: $MEND_USER, else the config's
// `user`, else the login name
// (as login and cron set LOGNAME, else the password database's).
std::string current_user(const Config& config) {
  if (const char* env = std::getenv("MEND_USER"); env && *env) return env;
  if (config.user && !config.user->empty()) return *config.user;
  for (const char* name : {"LOGNAME", "USER"})
    if (const char* env = std::getenv(name); env && *env) return env;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name && *pw->pw_name)
    return pw->pw_name;
  return "unknown";
}

}  // namespace

void Context::fail_item(ErrorKind kind, const std::string& message) {
  print_error(message);
  if (!failed) failed = kind;
}

void Context::warn(const std::string& message) const {
  const std::string line = "mend: warning: " + terminal_safe(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), err);
}

namespace {

void add_commands(CLI::App& app, Commands& commands) {
  // Every subcommand is named (for recognising it and for `mend --help`), but
  // only the one CLI11 is about to parse gets its options: building the options
  // of all fourteen cost as much as the rest of a followup with nothing due.
  // CLI11 calls the pre-parse callback once, when it meets the subcommand's
  // name and before it reads any of the subcommand's arguments (--help too).
  // Its -h,--help flag too is added then, first as before: a subcommand copies
  // its parent's when it is created, so the parent has none until they all are.
  const std::string help_flag = app.get_help_ptr()->get_name(false, true);
  const std::string help_text = app.get_help_ptr()->get_description();
  app.set_help_flag();
  for (const auto& entry : kCommandTable) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.description);
    if (entry.hidden) sub->group("");
    sub->fallthrough();
    sub->preparse_callback([sub, &entry, &commands, help_flag, help_text](std::size_t) {
      sub->set_help_flag(help_flag, help_text);
      entry.add(*sub, commands);
    });
  }
  app.set_help_flag(help_flag, help_text);
}

void add_global_options(CLI::App& app, GlobalOptions& global) {
  app.set_version_flag("--version", std::string("mend ") + MEND_VERSION);
  app.add_option("--db", global.db,
                 "Database file or postgresql:// URI (else $MEND_DB, else "
                 "$XDG_DATA_HOME/mend/cases.db)")
      ->type_name("PATH");
  app.add_flag("--json", global.json, "Print JSON for programs");
  app.add_option("--color", global.color, "Colour: auto, always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", global.quiet, "Print less (open: only the new id)");
}

// The context every command runs in: output, time, config, user, database.
void set_up(Context& ctx, const GlobalOptions& global, const Commands& commands) {
  const bool out_tty = ::isatty(STDOUT_FILENO) == 1;
  ctx.out.setup(stdout, want_color(global.color, out_tty), out_tty, terminal_width(out_tty),
                out_tty || columns_from_env().has_value());
  ctx.json = global.json;
  ctx.quiet = global.quiet;
  ctx.stdin_is_tty = ::isatty(STDIN_FILENO) == 1;
  ctx.now = current_time(std::getenv("MEND_NOW"));
  // An unknown zone silently means UTC in the C library: say so, once (not
  // while the shell completes a word: that would print into the prompt).
  const bool completing = std::any_of(commands.begin(), commands.end(), [](const auto& c) {
    return c.app->parsed() && c.app->get_name() == "__complete";
  });
  if (const char* tz = std::getenv("TZ"); !completing && !tz_is_known(tz))
    ctx.warn(std::string("TZ='") + tz + "' is not a known time zone; times are in UTC");
  ctx.config = load_config();
  ctx.user = current_user(ctx.config);
  ctx.db_path = database_path(global.db, ctx.config);
}

}  // namespace

int run(int argc, char** argv) {
  // Everything mend creates is private to the user: the database, its -wal and
  // -shm files, backups, exports.
  ::umask(077);
  // A reader that goes away (mend list | head) shows up as EPIPE, handled in Printer.
  std::signal(SIGPIPE, SIG_IGN);
  // A file size limit (ulimit -f) must fail the write (exit 74), not kill mend half-way.
  std::signal(SIGXFSZ, SIG_IGN);

  CLI::App app{
      "mend: a case tracker for customer complaints, from the first word to the "
      "follow-up call.",
      "mend"};
  app.require_subcommand(1);
  app.fallthrough();

  Commands commands;
  add_commands(app, commands);
  GlobalOptions global;
  add_global_options(app, global);

  const std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11's words become mend's: one line, with the closest valid name for a typo.
    print_error(usage_error_message(e, app, args, command_names()));
    return kExitUsage;
  }
  hide_passwords(argc, argv);
  if (const int code = answer_help(app, argv[0]); code >= 0) return code;

  Context ctx;
  try {
    set_up(ctx, global, commands);
    for (auto& c : commands) {
      if (c.app->parsed()) c.run(ctx);
    }
    ctx.out.finish();
    return ctx.failed ? exit_code(*ctx.failed) : 0;
  } catch (const OutputClosed&) {
    // The reader stopped early (mend list | head): not an error, stop quietly.
    return 0;
  } catch (const Error& e) {
    print_error(e.what());
    return exit_code(e.kind());
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return kExitSoftware;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what() + " (please report this bug)");
    return kExitSoftware;
  }
}

}  // namespace mend::cli
