// mend note ID [TEXT]: add an entry to a case's timeline (a call, an email,
// an apology, an offer, ...), so that every step is documented.
#include <fmt/format.h>

#include "cli/case_view.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/id_arg.hpp"
#include "cli/context.hpp"
#include "cli/input.hpp"
#include "core/errors.hpp"
#include "core/liability.hpp"

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

// Kinds whose words may reach the customer, where the liability rule matters.
bool speaks_to_customer(const std::string& kind) {
  return kind == "reply" || kind == "apology" || kind == "offer" || kind == "email" ||
         kind == "call" || kind == "meeting";
}

// The liability warning: the words that admit fault, and what to say
// instead. The fault can only be recorded by resolve, so the fix is named
// only while the case is open; after that the warning just says what is on
// record.
std::string fault_warning(const Case& c, const std::string& kind, const Admission& admission) {
  const std::string said =
      fmt::format("this {} admits fault (\"{}\"); {}", kind, admission.words, admission.advice);
  if (!c.resolution) {
    return said + fmt::format(
                      "; if it was your fault, record it when you resolve: mend resolve {} "
                      "--outcome OUTCOME --fault ours",
                      c.id);
  }
  return said + fmt::format(" (case #{} is recorded as fault {})", c.id, c.resolution->fault);
}

void run_note(Context& ctx, NoteOptions& o) {
  const auto id = parse_id(o.id);
  const std::string kind = require_one_of("--kind", lowercase(trimmed(o.kind)), kNoteKinds);
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

  const Case c = ctx.store().add_note(id, kind, text, ctx.now);
  if (speaks_to_customer(kind)) {
    if (!c.resolution || c.resolution->fault != "ours") {
      if (auto admission = find_admission(text)) ctx.warn(fault_warning(c, kind, *admission));
    }
  }
  if (!ctx.json && !ctx.quiet) {
    const bool vowel = kind.find_first_of("aeiou") == 0;
    ctx.out.line(fmt::format("Added {} {} to case {}.", vowel ? "an" : "a", kind,
                             ctx.out.paint(fmt::format("#{}", c.id), Style::bold)));
    ctx.out.line();
  }
  print_case(ctx, c);
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
