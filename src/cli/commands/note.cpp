// mend note ID [TEXT]: add an entry to a case's timeline (a call, an email,
// an apology, an offer, ...), so that every step is documented.
#include <fmt/format.h>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "cli/liability_warning.hpp"
#include "core/errors.hpp"

namespace mend::cli {
namespace {

struct NoteOptions {
  std::string id;
  std::string text;
  std::string kind = "note";
  std::string file;
};

constexpr const char* kTemplate =
    "\n"
    "# Write the {} for case #{} ({}) above this block.\n"
    "# Lines starting with '#' are ignored; an empty text adds nothing.\n";

void run_note(Context& ctx, NoteOptions& o) {
  const auto id = parse_id(o.id);
  const std::string kind = require_one_of("--kind", lowercase(trimmed(o.kind)), kNoteKinds);
  const EventKind kind_value = *parse_spelling<EventKind>(kind);
  if (!o.text.empty() && !o.file.empty())
    fail(ErrorKind::usage, "give the text or -F FILE, not both");

  std::string text;
  if (!o.file.empty()) {
    text = trimmed(read_text_input(o.file));
    check_text(text, kMaxEventText, "the note in " + o.file, ErrorKind::data);
    if (text.empty())
      fail(ErrorKind::usage, "the note in " + o.file + " is empty; nothing was added");
  } else if (!o.text.empty()) {
    text = trimmed(o.text);
    check_text(text, kMaxEventText, "the note", ErrorKind::usage);
    if (text.empty()) fail(ErrorKind::usage, "the note is empty; nothing was added");
  } else {
    if (!ctx.stdin_is_tty) {
      fail(ErrorKind::usage,
           "give the TEXT (mend note ID TEXT) or -F FILE; the editor opens only on a terminal");
    }
    // Read first, so that nobody writes a note for a case that does not exist;
    // the editor runs with no transaction open.
    const Case c = ctx.store().get_case(id);
    text = trimmed(edit_text(fmt::format(fmt::runtime(kTemplate), kind, c.id, c.summary)));
    if (text.empty()) fail(ErrorKind::declined, "empty note; nothing was added");
    check_text(text, kMaxEventText, "the note", ErrorKind::data);
  }

  const auto before = case_before_change(ctx, id);
  const Case c = ctx.store().add_note(id, kind_value, text, ctx.now);
  if (auto warning = liability_warning(c, kind_value, text)) ctx.warn(*warning);
  const bool vowel = kind.find_first_of("aeiou") == 0;
  print_change(ctx,
               {fmt::format("Added {} {} to case {}.", vowel ? "an" : "a", kind,
                            ctx.out.paint(fmt::format("#{}", c.id), Style::bold))},
               before, c);
}

}  // namespace

void add_note(CLI::App& sub, Commands& commands) {
  auto o = std::make_shared<NoteOptions>();
  sub.add_option("ID", o->id, "Case number")->required();
  sub.add_option("TEXT", o->text, "What happened (omit on a terminal to write it in $EDITOR)");
  sub.add_option("--kind", o->kind, "note (default), call, email, meeting, apology, offer or reply")
      ->type_name("KIND");
  sub.add_option("-F,--file", o->file, "Read the text from FILE (- for stdin)")->type_name("FILE");
  commands.push_back({&sub, [o](Context& ctx) { run_note(ctx, *o); }});
}

}  // namespace mend::cli
