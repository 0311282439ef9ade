// The command table: each subcommand lives in commands/<name>.cpp and exports
// one add_<name>() that registers, on its CLI11 subcommand, its options, help
// footer and what it runs. app.cpp names the subcommands and calls add_<name>()
// only for the one given on the command line (building all fourteen doubled the
// start-up). The CLI11 callbacks only store values; the work runs after
// parsing, with a Context.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace mend::cli {

struct Context;

struct Command {
  CLI::App* app = nullptr;
  std::function<void(Context&)> run;
};
using Commands = std::vector<Command>;

void add_open(CLI::App& app, Commands& commands);
void add_show(CLI::App& app, Commands& commands);
void add_list(CLI::App& app, Commands& commands);
// mend help [COMMAND]: answered in app.cpp, which knows every command.
void add_help(CLI::App& app, Commands& commands);
void add_search(CLI::App& app, Commands& commands);
// Hidden: `mend __complete cases|categories|customers` for the shell completions.
void add_complete(CLI::App& app, Commands& commands);
// data: export, import, backup, forget.
void add_export(CLI::App& app, Commands& commands);
void add_import(CLI::App& app, Commands& commands);
void add_backup(CLI::App& app, Commands& commands);
void add_forget(CLI::App& app, Commands& commands);
void add_report(CLI::App& app, Commands& commands);
void add_note(CLI::App& app, Commands& commands);
void add_resolve(CLI::App& app, Commands& commands);
void add_reopen(CLI::App& app, Commands& commands);
void add_edit(CLI::App& app, Commands& commands);
void add_assign(CLI::App& app, Commands& commands);
void add_followup(CLI::App& app, Commands& commands);
// evidence: attach, evidence.
void add_attach(CLI::App& app, Commands& commands);
void add_evidence(CLI::App& app, Commands& commands);
// mail in.
void add_mail(CLI::App& app, Commands& commands);
// mail out: mend reply.
void add_reply(CLI::App& app, Commands& commands);
// calendar: promises and follow-ups as iCalendar.
void add_calendar(CLI::App& app, Commands& commands);

}  // namespace mend::cli
