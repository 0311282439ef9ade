// mend help, "did you mean", and CLI11's parse errors in mend's own words.
#include <doctest/doctest.h>

#include <algorithm>

#include "cli/usage_errors.hpp"
#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Result;
using mend::test::Sandbox;

namespace {

// A usage error: 64, nothing on stdout, one line "mend: ..." on stderr.
void check_usage_error(const Result& r) {
  CHECK(r.code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("mend: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("typo distance is git's: swaps are free, added letters cheap, dropped ones dear") {
  using mend::cli::closest_names;
  using mend::cli::typo_distance;
  CHECK(typo_distance("lsit", "list") == 0);
  CHECK(typo_distance("reslove", "resolve") == 0);
  CHECK(typo_distance("ls", "list") == 2);
  CHECK(typo_distance("catgory", "category") == 1);
  CHECK(typo_distance("lists", "list") == 3);
  const std::vector<std::string> commands = {"open", "note", "resolve", "list", "show", "report"};
  CHECK(closest_names("lsit", commands) == std::vector<std::string>{"list"});
  CHECK(closest_names("ls", commands) == std::vector<std::string>{"list"});
  CHECK(closest_names("rep", commands) == std::vector<std::string>{"report"});
  CHECK(closest_names("frobnicate", commands).empty());
  CHECK(closest_names("xy", commands).empty());
}

TEST_CASE("an unknown command suggests the closest one, and no alias is run") {
  Sandbox s;
  s.ok({"open", "Ada", "Late parcel"});
  const auto before = db_dump(s.db);
  for (const auto& [typed, meant] : std::vector<std::pair<std::string, std::string>>{
           {"lsit", "list"}, {"reslove", "resolve"}, {"ls", "list"}, {"shwo", "show"}}) {
    CAPTURE(typed);
    const auto r = s.run({typed, "1"});
    check_usage_error(r);
    CHECK(has(r.err, "'" + typed + "' is not a mend command"));
    CHECK(has(r.err, "did you mean '" + meant + "'?"));
  }
  const auto number = s.run({"#1"});
  check_usage_error(number);
  CHECK(has(number.err, "mend show 1"));
  const auto far = s.run({"frobnicate"});
  check_usage_error(far);
  CHECK(!has(far.err, "did you mean"));
  CHECK(has(far.err, "mend help"));
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("an unknown option names the closest one of that command, never CLI11's words") {
  Sandbox s;
  s.ok({"open", "Ada", "Late parcel"});
  const auto before = db_dump(s.db);
  const auto edit = s.run({"edit", "1", "--catgory", "service"});
  check_usage_error(edit);
  CHECK(has(edit.err, "--catgory"));
  CHECK(has(edit.err, "did you mean --category?"));
  CHECK(!has(edit.err, "not expected"));

  const auto resolve = s.run({"resolve", "1", "--outcom", "refund"});
  check_usage_error(resolve);
  CHECK(has(resolve.err, "did you mean --outcome?"));

  const auto glued = s.run({"list", "--stauts=open"});
  check_usage_error(glued);
  CHECK(has(glued.err, "did you mean --status?"));

  const auto global = s.run({"list", "--jsno"});
  check_usage_error(global);
  CHECK(has(global.err, "did you mean --json?"));
  CHECK(db_dump(s.db) == before);
}

TEST_CASE("every CLI11 message comes out as one line in mend's own voice") {
  Sandbox s;
  s.ok({"open", "Ada", "Late parcel"});
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {{"resolve", "1"}, "mend resolve needs --outcome"},
           {{"open"}, "mend open needs CUSTOMER"},
           {{"list", "--limit"}, "--limit needs a value"},
           {{"list", "--color", "sometimes"},
            "--color takes auto, always or never, not 'sometimes'"},
           {{"list", "--color", "alway"}, "did you mean always?"},
           {{"export", "--format", "xml"}, "--format takes jsonl, json or csv, not 'xml'"},
           {{"list", "--overdue=maybe"}, "--overdue"},
           {{"list", "--category", "a", "--category", "b"}, "--category is given once"},
           {{"show", "1", "2"}, "mend show does not take '2' here"},
           {{"open", "Ada", "S", "-m", "x", "-F", "f"}, "cannot be given together"},
       }) {
    CAPTURE(c.args);
    const auto r = s.run(c.args);
    check_usage_error(r);
    CHECK(has(r.err, c.says));
    for (const char* cli11 : {"required", "Expected", "not expected", "At Most", "excludes",
                              "not in {", "Could not convert", "flag"})
      CHECK(!has(r.err, cli11));
  }
}

TEST_CASE("a missing ID says the shell may have taken '#12' for a comment") {
  Sandbox s;
  s.ok({"open", "Ada", "Late parcel"});
  // `mend show #1` in a shell runs `mend show`: the # starts a comment.
  const auto r = s.run({"show"});
  check_usage_error(r);
  CHECK(has(r.err, "mend show needs ID"));
  CHECK(has(r.err, "'#12'"));
  CHECK(has(r.err, "comment"));
  CHECK(s.ok({"show", "#1"}).find("Late parcel") != std::string::npos);
}

TEST_CASE("mend help [COMMAND] is mend [COMMAND] --help") {
  Sandbox s;
  CHECK(s.ok({"help"}) == s.ok({"--help"}));
  for (const char* cmd : {"list", "export", "resolve", "help"}) {
    CAPTURE(std::string(cmd));
    CHECK(s.ok({"help", cmd}) == s.ok({cmd, "--help"}));
  }
  CHECK(has(s.ok({"help", "list"}), "--status"));
  const auto typo = s.run({"help", "lsit"});
  check_usage_error(typo);
  CHECK(has(typo.err, "did you mean 'list'?"));
  CHECK(has(s.ok({"--help"}), "help"));
  CHECK(db_dump(s.db).empty());
}
