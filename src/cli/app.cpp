#include "cli/app.hpp"

#include <stdio_ext.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pwd.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/commands/commands.hpp"
#include "cli/context.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

// sysexits(3) codes, as the SPEC lists them.
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
    {"attach", "Keep files with a case: photos, receipts, labels, screenshots", &add_attach},
    {"evidence", "Write a case's evidence pack into a folder: its files, a page, SHA256SUMS",
     &add_evidence},
    {"report", "Look back over a period: what went wrong most, and is it getting better",
     &add_report},
    {"export", "Write every case with its events as JSON Lines (one case per line) or CSV",
     &add_export},
    {"import", "Read cases back from JSON Lines in the export shape: all or nothing", &add_import},
    {"backup", "Copy the database to FILE while others may write (SQLite online backup)",
     &add_backup},
    {"forget", "Erase a customer's personal data; keep dates and outcomes for reports",
     &add_forget},
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

std::string database_path(const std::string& option) {
  std::string path = option;
  if (path.empty()) {
    if (const char* env = std::getenv("MEND_DB"); env && *env) path = env;
  }
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

int terminal_width(bool is_tty) {
  if (const char* cols = std::getenv("COLUMNS"); cols && *cols) {
    const int w = std::atoi(cols);
    if (w >= 20 && w <= 1000) return w;
  }
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

// The first line of a CLI11 message, pointing at the right --help.
std::string usage_message(const CLI::ParseError& e, const CLI::App& app) {
  std::string what = e.what();
  if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
  std::string help = "mend --help";
  for (const auto* sub : app.get_subcommands())
    help = "mend " + sub->get_name() + " --help";
  // mend search parcel -leeds: a word is excluded after `--`.
  if (help == "mend search --help" && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr)
    what += " (to exclude a word, write it after --: mend search parcel -- -leeds)";
  return what + "; see '" + help + "'";
}

// The first argument that is neither a global option nor its value.
std::string first_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" || a == "--color") {
      ++i;
    } else if (a.empty() || a[0] != '-') {
      return a;
    }
  }
  return {};
}

void print_error(const std::string& message) {
  // Nothing half-written on stdout: drop what a failed command buffered but did
  // not yet send (a streamed export may have sent earlier parts already).
  __fpurge(stdout);
  // Error text may quote what the user or a customer typed: print it safely.
  const std::string line = "mend: " + safe(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

void Context::warn(const std::string& message) const {
  const std::string line = "mend: warning: " + safe(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), err);
}

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
  Commands commands;
  for (const auto& entry : kCommandTable) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.description);
    if (entry.hidden) sub->group("");
    sub->fallthrough();
    sub->preparse_callback([sub, &entry, &commands, &help_flag, &help_text](std::size_t) {
      sub->set_help_flag(help_flag, help_text);
      entry.add(*sub, commands);
    });
  }
  app.set_help_flag(help_flag, help_text);

  app.set_version_flag("--version", std::string("mend ") + MEND_VERSION);
  GlobalOptions global;
  app.add_option("--db", global.db,
                 "Database file (else $MEND_DB, else $XDG_DATA_HOME/mend/cases.db)")
      ->type_name("PATH");
  app.add_flag("--json", global.json, "Print JSON for programs");
  app.add_option("--color", global.color, "Colour: auto, always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", global.quiet, "Print less (open: only the new id)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    if (app.get_subcommands().empty()) {
      const auto word = first_word(argc, argv);
      print_error(word.empty() ? "no command given; try 'mend --help'"
                               : "'" + word + "' is not a mend command; see 'mend --help'");
      return kExitUsage;
    }
    print_error(usage_message(e, app));
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    print_error(usage_message(e, app));
    return kExitUsage;
  }

  Context ctx;
  try {
    const bool out_tty = ::isatty(STDOUT_FILENO) == 1;
    ctx.out.setup(stdout, want_color(global.color, out_tty), out_tty, terminal_width(out_tty));
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
    ctx.db_path = database_path(global.db);
    for (auto& c : commands) {
      if (c.app->parsed()) c.run(ctx);
    }
    ctx.out.finish();
    return 0;
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
