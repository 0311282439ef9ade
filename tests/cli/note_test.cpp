// mend note: end to end.
#include <doctest/doctest.h>

#include <cctype>
#include <fstream>

#include "harness.hpp"
#include "refusal.hpp"

using mend::test::check_refused;
using mend::test::Sandbox;

namespace {

nlohmann::json note_json(const Sandbox& s, std::vector<std::string> args,
                         const std::string& in = "") {
  args.insert(args.begin(), "note");
  args.push_back("--json");
  return nlohmann::json::parse(s.ok(args, in));
}

}  // namespace

TEST_CASE("mend note adds a note event and prints the case with its events") {
  Sandbox s;
  s.ok({"open", "Ada", "Parcel arrived damaged"});
  s.env["MEND_NOW"] = "2026-11-23T15:00:00Z";
  const auto j = note_json(s, {"1", "Left a voicemail"});
  CHECK(j["id"] == 1);
  CHECK(j["status"] == "open");
  REQUIRE(j["events"].size() == 2);
  CHECK(j["events"][1] == nlohmann::json{{"at", "2026-11-23T15:00:00Z"},
                                         {"kind", "note"},
                                         {"text", "Left a voicemail"},
                                         {"by", "sam"},
                                         {"message", nullptr}});
}

TEST_CASE("mend note --kind takes every note kind and refuses others") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  for (const char* kind :
       {"note", "call", "email", "meeting", "apology", "offer", "reply", "CALL"}) {
    CAPTURE(std::string(kind));
    const auto j = note_json(s, {"#1", "text", "--kind", kind});
    std::string lower = kind;
    for (auto& ch : lower)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(j["events"].back()["kind"] == lower);
  }
  check_refused(s, {"note", "1", "x", "--kind", "resolved"}, 64, "--kind");
  check_refused(s, {"note", "1", "x", "--kind", "opened"}, 64);
  check_refused(s, {"note", "1", "x", "--kind", "letter"}, 64);
}

TEST_CASE("mend note -F reads the text from a file or from stdin") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  { std::ofstream(s.dir + "/call.txt") << "\nShe called.\nShe is upset.\n\n"; }
  auto j = note_json(s, {"1", "-F", s.dir + "/call.txt", "--kind", "call"});
  CHECK(j["events"].back()["text"] == "She called.\nShe is upset.");
  j = note_json(s, {"1", "--file", "-"}, "From stdin\n");
  CHECK(j["events"].back()["text"] == "From stdin");
}

TEST_CASE("mend note refuses a missing file, an empty text and TEXT with -F") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  { std::ofstream(s.dir + "/empty.txt") << "  \n"; }
  check_refused(s, {"note", "1", "-F", s.dir + "/nope.txt"}, 66, "nope.txt");
  check_refused(s, {"note", "1", "-F", s.dir + "/empty.txt"}, 64, "empty");
  check_refused(s, {"note", "1", "   "}, 64, "empty");
  check_refused(s, {"note", "1", "text", "-F", s.dir + "/empty.txt"}, 64, "not both");
}

TEST_CASE("mend note with no TEXT and no terminal is a usage error") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  check_refused(s, {"note", "1"}, 64, "terminal");
  check_refused(s, {"note", "1"}, 64, "terminal", "piped text is not read without -F -\n");
}

TEST_CASE("mend note on a terminal with no TEXT writes the note in $EDITOR") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  mend::test::use_fake_editor(s, "She asked for a refund.\\n# a comment line\\nSecond line\\n");
  const auto screen = mend::test::run_on_terminal(s, "note 1 --kind call -q");
  INFO("terminal: " << screen);
  const auto j = nlohmann::json::parse(s.ok({"show", "1", "--json"}));
  REQUIRE(j["events"].size() == 2);
  CHECK(j["events"][1]["kind"] == "call");
  CHECK(j["events"][1]["text"] == "She asked for a refund.\nSecond line");
}

TEST_CASE("mend note in $EDITOR saved empty adds nothing and exits 1") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  const auto before = mend::test::db_dump(s.db);
  mend::test::use_fake_editor(s, "# only a comment\\n\\n");
  const auto screen = mend::test::run_on_terminal(s, "note 1; echo rc=$?");
  CHECK(screen.find("rc=1") != std::string::npos);
  CHECK(screen.find("mend: empty note") != std::string::npos);
  CHECK(mend::test::db_dump(s.db) == before);
}

TEST_CASE("mend note on a terminal for a missing case fails before the editor opens") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.env["EDITOR"] = "touch " + s.dir + "/editor-ran";
  const auto screen = mend::test::run_on_terminal(s, "note 9; echo rc=$?");
  CHECK(screen.find("rc=66") != std::string::npos);
  CHECK(mend::test::file_bytes(s.dir + "/editor-ran").empty());
  CHECK_FALSE(std::ifstream(s.dir + "/editor-ran").good());
}

TEST_CASE("mend note of a missing case exits 66 and a bad id 64") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  check_refused(s, {"note", "2", "x"}, 66, "no case #2");
  check_refused(s, {"note", "abc", "x"}, 64);
  check_refused(s, {"note"}, 64);
}

TEST_CASE("mend note works on resolved and closed cases too") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  s.ok({"open", "Bob", "S"});
  s.ok({"resolve", "1", "--outcome", "refund"});
  s.ok({"resolve", "2", "--outcome", "refund", "--followup", "never"});
  CHECK(note_json(s, {"1", "x"})["status"] == "resolved");
  CHECK(note_json(s, {"2", "x"})["status"] == "closed");
}

TEST_CASE(
    "mend note text output confirms the note with the lines that changed, -q prints nothing") {
  Sandbox s;
  s.ok({"open", "Ada", "Parcel arrived damaged"});
  const auto out = s.ok({"note", "1", "Offered a voucher", "--kind", "offer"});
  CHECK(out.rfind("Added an offer to case #1.\n", 0) == 0);
  CHECK(out.find("Offered a voucher") != std::string::npos);
  // Not the whole card again: its heading did not change.
  CHECK(out.find("Parcel arrived damaged") == std::string::npos);
  const auto r = s.run({"note", "1", "Quiet", "-q"});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
}

TEST_CASE("an entry to the customer that admits fault warns while the fault is not ours") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  for (const char* kind : {"reply", "apology", "offer", "email", "call", "meeting"}) {
    CAPTURE(std::string(kind));
    const auto r = s.run({"note", "1", "Sorry, this was our fault.", "--kind", kind, "--json"});
    CHECK(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["events"].back()["text"] == "Sorry, this was our fault.");
    CHECK(r.err == std::string("mend: warning: this ") + kind +
                       " admits fault (\"our fault\"); say you are sorry for the experience, not "
                       "that it was your fault; if it was your fault, record it when you resolve: "
                       "mend resolve 1 --outcome OUTCOME --fault ours\n");
  }
  for (const char* words :
       {"We caused the delay", "we are to blame", "We messed up", "my fault",
        "We accept responsibility and will refund the full price.", "Our driver damaged it."}) {
    CAPTURE(std::string(words));
    const auto r = s.run({"note", "1", words, "--kind", "reply", "-q"});
    CHECK(r.code == 0);
    CHECK(r.err.find("mend: warning: ") == 0);
  }
}

TEST_CASE("no liability warning for internal notes, plain apologies or a fault that is ours") {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  CHECK(s.run({"note", "1", "It was our fault", "--kind", "note", "-q"}).err.empty());
  CHECK(s.run({"note", "1", "Sorry for the trouble", "--kind", "apology", "-q"}).err.empty());
  CHECK(s.run({"note", "1", "This was not our fault", "--kind", "reply", "-q"}).err.empty());
  CHECK(s.run({"note", "1", "Did not say it was our fault.", "--kind", "call", "-q"}).err.empty());
  s.ok({"resolve", "1", "--outcome", "refund", "--fault", "ours"});
  CHECK(s.run({"note", "1", "It was our fault", "--kind", "reply", "-q"}).err.empty());
  s.ok({"open", "Bob", "S"});
  s.ok({"resolve", "2", "--outcome", "refund", "--fault", "customer"});
  const auto r = s.run({"note", "2", "It was our fault", "--kind", "reply", "-q"});
  CHECK(r.err.find("(case #2 is recorded as fault customer)") != std::string::npos);
  // After resolving, fault can no longer be recorded that way: no such advice.
  CHECK(r.err.find("mend resolve") == std::string::npos);
}
