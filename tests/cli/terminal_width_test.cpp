// mend as a person sees it on a terminal of a given width: a fresh
// pseudo-terminal (tests/support/pty_run.py) sized with stty, so mend finds
// the width the way it does for a person (TIOCGWINSZ), with no COLUMNS set.
#include <sstream>
#include <string>
#include <vector>

#include "cli/terminal_text.hpp"
#include "harness.hpp"

using mend::cli::display_width;
using mend::test::Sandbox;

namespace {

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// What the terminal shows for `mend ARGS` on a terminal `columns` wide, with
// the terminal's CR LF line ends made LF.
std::string on_terminal(const Sandbox& s, int columns, const std::vector<std::string>& args) {
  std::string inner =
      "stty cols " + std::to_string(columns) + " rows 50 && exec " + shell_quoted(MEND_BINARY);
  for (const auto& a : args)
    inner += " " + shell_quoted(a);
  std::string command = "cd " + shell_quoted(s.dir) + " && env -i";
  for (const auto& [k, v] : s.env)
    command += " " + shell_quoted(k + "=" + v);
  command += " NO_COLOR=1 python3 " +
             shell_quoted(std::string(MEND_SOURCE_DIR) + "/tests/support/pty_run.py") + " " +
             shell_quoted(inner) + " </dev/null; echo \"[exit $?]\"";
  std::string out;
  for (char c : mend::test::shell_output(command))
    if (c != '\r') out += c;
  REQUIRE_MESSAGE(out.size() >= 9, out);
  REQUIRE_MESSAGE(out.compare(out.size() - 9, 9, "[exit 0]\n") == 0, out);
  out.resize(out.size() - 9);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The words of a text, in order, whatever its line breaks.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

const std::string kLong =
    "The wedding cake arrived two hours late, leaning to one side, with the top tier "
    "cracked down the middle and the sugar flowers crushed under the lid of the box";

}  // namespace

TEST_CASE("show on a terminal wraps the complaint and the timeline under their columns") {
  Sandbox s;
  s.ok({"open", "Ada", "Cake", "-m", kLong});
  s.ok({"note", "1", "Called back: " + kLong});
  const auto out = on_terminal(s, 50, {"show", "1"});
  CAPTURE(out);
  const auto lines = lines_of(out);
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(display_width(line) <= 50);
  }
  // The complaint: every line under the column two spaces in, words whole.
  CHECK(has(out,
            "\nComplaint\n  The wedding cake arrived two hours late, leaning\n"
            "  to one side, with the top tier cracked down the\n"));
  // The note: its text at column 28, later lines hanging under it.
  CHECK(has(out,
            "    14:05  note             Called back: The\n"
            "                            wedding cake arrived\n"
            "                            two hours late,\n"));
  // Nothing lost or cut: the words of both, in order.
  std::string complaint, note;
  bool in_complaint = false, in_note = false;
  for (const auto& line : lines) {
    if (line == "Complaint") in_complaint = true;
    if (line.empty()) in_complaint = false;
    if (line.rfind("    14:05  note", 0) == 0) in_note = true;
    if (line.empty() || line.rfind("Other cases", 0) == 0) in_note = false;
    if (in_complaint && line != "Complaint") complaint += line + " ";
    if (in_note) note += line.substr(std::min<std::size_t>(28, line.size())) + " ";
  }
  CHECK(words(complaint) == words(kLong));
  CHECK(words(note) == words("Called back: " + kLong));
}

TEST_CASE("show on a terminal wraps a long summary, fields and the customer's other cases") {
  Sandbox s;
  const std::string summary =
      "Wedding cake collapsed on the way to the venue and the flowers "
      "were crushed";
  s.ok({"open", "Ada", summary, "--wants", "A refund of the deposit and an apology in writing"});
  s.ok({"open", "Ada", "Second cake: the icing was the wrong colour and the candles missing"});
  const auto out = on_terminal(s, 50, {"show", "1"});
  CAPTURE(out);
  CHECK(has(out,
            "#1  Wedding cake collapsed on the way to the venue\n"
            "    and the flowers were crushed\n"));
  CHECK(has(out,
            "  Wants      A refund of the deposit and an\n"
            "             apology in writing\n"));
  CHECK(has(out,
            "  #2      2026-11-23  open      Second cake: the\n"
            "                                icing was the\n"));
  for (const auto& line : lines_of(out)) {
    CAPTURE(line);
    CHECK(display_width(line) <= 50);
  }
}

TEST_CASE("show on a terminal measures emoji as two columns and combining accents as none") {
  Sandbox s;
  std::string rockets, accents;
  for (int i = 0; i < 15; ++i)
    rockets += "\xF0\x9F\x9A\x80";  // 🚀, two columns each: 30
  for (int i = 0; i < 33; ++i)
    accents += "e\xCC\x81";  // e + combining acute: one column each, 33
  s.ok({"open", "Ada", "Cake", "-m", "aaaa " + rockets + " end\nbbbb " + accents + " end"});
  s.ok({"note", "1", "\xE2\x98\x95\xE2\x98\x95\xE2\x98\x95\xE2\x98\x95\xE2\x98\x95 ok"});  // ☕×5
  const auto out = on_terminal(s, 40, {"show", "1"});
  CAPTURE(out);
  // 38 columns of room: "aaaa " and 30 columns of rockets fit, " end" does not;
  // counted one column each, the rockets would leave room for it.
  CHECK(has(out, "\n  aaaa " + rockets + "\n  end\n"));
  // 4 + 1 + 33 columns fit exactly; counted two columns each, the accents would not.
  CHECK(has(out, "\n  bbbb " + accents + "\n  end\n"));
  // The timeline has 12 columns of room: five cups take ten, " ok" goes below.
  CHECK(has(out, "note             \xE2\x98\x95\xE2\x98\x95\xE2\x98\x95\xE2\x98\x95\xE2\x98\x95\n" +
                     std::string(28, ' ') + "ok\n"));
  for (const auto& line : lines_of(out)) {
    CAPTURE(line);
    CHECK(display_width(line) <= 40);
  }
}

TEST_CASE("show on a terminal in colour colours no indent and fits the width") {
  Sandbox s;
  s.ok({"open", "Ada", "Cake"});
  s.ok({"resolve", "1", "--outcome", "refund", "--fault", "ours"});
  const auto out = on_terminal(s, 44, {"show", "1", "--color", "always"});
  CAPTURE(out);
  // The dim note is ended before the break and begun again after the indent.
  CHECK(has(out,
            "\x1b[2mfault ours  (internal: not for\x1b[0m\n             \x1b[2mthe "
            "customer)\x1b[0m\n"));
  for (const auto& line : lines_of(out)) {
    CAPTURE(line);
    CHECK(display_width(line) <= 44);
  }
}

TEST_CASE("show off a terminal keeps each line of the complaint and the timeline one line") {
  Sandbox s;
  s.ok({"open", "Ada", "Cake", "-m", kLong});
  s.ok({"note", "1", kLong});
  const auto out = s.ok({"show", "1"});
  CHECK(has(out, "\nComplaint\n  " + kLong + "\n"));
  CHECK(has(out, "    14:05  note             " + kLong + "\n"));
  // COLUMNS asks for the width, and so for wrapping, off a terminal too.
  s.env["COLUMNS"] = "50";
  const auto narrow = s.ok({"show", "1"});
  CHECK(has(narrow, "\nComplaint\n  The wedding cake arrived two hours late, leaning\n"));
  for (const auto& line : lines_of(narrow)) {
    CAPTURE(line);
    CHECK(display_width(line) <= 50);
  }
}

TEST_CASE("report bars on a wide terminal are at most 40 columns long") {
  Sandbox s;
  for (int i = 0; i < 9; ++i)
    s.ok({"open", "Customer " + std::to_string(i), "S", "--category", "delivery"});
  s.ok({"open", "Zed", "S", "--category", "billing"});
  const auto out = on_terminal(s, 200, {"report"});
  CAPTURE(out);
  int bars = 0;
  for (const auto& line : lines_of(out)) {
    const auto start = line.find("\xE2\x96");  // U+2580..U+25BF: the block elements
    if (start == std::string::npos || line.find("\xE2\x96\xB2") != std::string::npos) continue;
    ++bars;
    CAPTURE(line);
    CHECK(display_width(line.substr(start)) <= 40);
    if (line.find("delivery") != std::string::npos) CHECK(display_width(line.substr(start)) == 40);
  }
  CHECK(bars >= 2);
  // Off a terminal too, however wide COLUMNS says the page is.
  s.env["COLUMNS"] = "200";
  for (const auto& line : lines_of(s.ok({"report"}))) {
    const auto start = line.find('#');
    if (start == std::string::npos || line.find("delivery") == std::string::npos) continue;
    CHECK(line.size() - start == 40);
  }
}

TEST_CASE("note, resolve, reopen and followup on a terminal confirm and show only what changed") {
  Sandbox s;
  s.ok({"open", "Ada", "Cake", "-m", "It collapsed"});
  auto out = on_terminal(s, 80, {"note", "1", "So sorry about the cake", "--kind", "call"});
  CAPTURE(out);
  CHECK(lines_of(out) ==
        std::vector<std::string>{
            "Added a call to case #1.",
            // The playbook row, whole, for its ticked apology.
            "  Playbook   ✓ complaint written down  ✓ apology (Mon 23 Nov)  · remedy offered",
            "             ✓ promise set (Wed 25 Nov)  · resolved  · followed up",
            "    14:05  called           So sorry about the cake"});
  out = on_terminal(s, 80, {"resolve", "1", "--outcome", "refund", "--amount", "20"});
  CHECK(out.rfind("Resolved case #1; follow up Thu 26 Nov 14:05.\n", 0) == 0);
  CHECK(has(out, "  resolved · normal priority"));
  CHECK(has(out, "  Remedy     refund $20.00\n"));
  CHECK(has(out, "    14:05  resolved"));
  CHECK(!has(out, "Complaint"));
  CHECK(!has(out, "It collapsed"));
  CHECK(!has(out, "So sorry about the cake"));
  CHECK(!has(out, "Customer"));
  out = on_terminal(s, 80, {"followup", "1", "--no-answer"});
  CHECK(out.rfind("No answer on case #1; try again Wed 25 Nov 14:05.\n", 0) == 0);
  CHECK(has(out, "tried follow-up  No answer"));
  CHECK(!has(out, "Remedy"));
  out = on_terminal(s, 80, {"followup", "1", "--done", "--csat", "4"});
  CHECK(out.rfind("Followed up case #1: satisfaction 4/5; closed.\n", 0) == 0);
  CHECK(has(out, "  CSAT       4/5\n"));
  CHECK(!has(out, "Remedy"));
  out = on_terminal(s, 80, {"reopen", "1", "It collapsed again"});
  CHECK(out.rfind("Reopened case #1.\n", 0) == 0);
  CHECK(has(out, "  open · normal priority"));
  CHECK(has(out, "reopened         It collapsed again"));
  CHECK(!has(out, "Complaint"));
  // edit: the list of changes is what changed.
  out = on_terminal(s, 80, {"edit", "1", "--priority", "high"});
  CHECK(out == "Edited case #1:\n  priority: normal -> high\n");
  // --json prints the whole case, as off a terminal.
  out = on_terminal(s, 80, {"note", "1", "More", "--json"});
  CHECK(has(out, "\"events\""));
  CHECK(has(out, "\"complaint\""));
}
