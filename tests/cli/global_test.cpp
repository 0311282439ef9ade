// Global options, help, version and the error contract.
#include <doctest/doctest.h>

#include "harness.hpp"

using mend::test::db_dump;
using mend::test::Sandbox;

TEST_CASE("mend --version prints the version on stdout and exits 0") {
  Sandbox s;
  const auto r = s.run({"--version"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("mend ", 0) == 0);
}

TEST_CASE("every subcommand has its own --help and -h, on stdout, exit 0, no database") {
  Sandbox s;
  for (const char* sub : {"open", "list", "show"}) {
    for (const char* flag : {"--help", "-h"}) {
      const auto r = s.run({sub, flag});
      CAPTURE(std::string(sub));
      CHECK(r.code == 0);
      CHECK(r.out.find(std::string("mend ") + sub) != std::string::npos);
    }
  }
  const auto top = s.run({"--help"});
  CHECK(top.code == 0);
  CHECK(top.out.find("open") != std::string::npos);
  CHECK(db_dump(s.db).empty());
}

TEST_CASE("unknown commands and options are usage errors (64) with one line on stderr") {
  Sandbox s;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"--frobnicate", "list"}, {"list", "--color", "sometimes"}}) {
    const auto r = s.run(args);
    CHECK(r.code == 64);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("mend: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

// The options of a subcommand are built only when it is the one given (start-up
// time): its help and its errors must not notice.
TEST_CASE("a subcommand knows its own options and help, and only its own") {
  Sandbox s;
  const auto help = s.run({"followup", "--help"});
  CHECK(help.code == 0);
  const auto at_help = help.out.find("-h,--help");
  const auto at_within = help.out.find("--within WHEN");
  REQUIRE(at_help != std::string::npos);
  REQUIRE(at_within != std::string::npos);
  CHECK(at_help < at_within);
  CHECK(help.out.find("0 8 * * 1-5 mend followup") != std::string::npos);  // the footer
  CHECK(s.ok({"list", "--help"}).find("--within") == std::string::npos);

  const auto other = s.run({"list", "--within", "today"});
  CHECK(other.code == 64);
  CHECK(other.err.find("see 'mend help list'") != std::string::npos);
  CHECK(s.run({"followup", "--within", "today"}).code == 0);

  const auto top = s.ok({"--help"});
  CHECK(top.find("followup") != std::string::npos);
  CHECK(top.find("What needs attention now") != std::string::npos);
  CHECK(top.find("--within") == std::string::npos);
  CHECK(top.find("__complete") == std::string::npos);
}

TEST_CASE("--color always paints, never and NO_COLOR do not") {
  Sandbox s;
  s.ok({"open", "Ada", "S", "--priority", "urgent"});
  CHECK(s.ok({"show", "1", "--color", "always"}).find("\x1b[") != std::string::npos);
  CHECK(s.ok({"--color", "never", "show", "1"}).find("\x1b[") == std::string::npos);
  s.env["NO_COLOR"] = "1";
  CHECK(s.ok({"show", "1"}).find("\x1b[") == std::string::npos);
}

TEST_CASE("MEND_NOW must be an RFC 3339 time") {
  Sandbox s;
  s.env["MEND_NOW"] = "yesterday-ish";
  const auto r = s.run({"open", "Ada", "S"});
  CHECK(r.code == 64);
  CHECK(r.err.find("MEND_NOW") != std::string::npos);
}

TEST_CASE("a file that is not a database is refused with 74 and left untouched" * mend::test::kSqliteOnly) {
  Sandbox s;
  {
    std::FILE* f = std::fopen(s.db.c_str(), "w");
    std::fputs("my shopping list\n", f);
    std::fclose(f);
  }
  const auto r = s.run({"list"});
  CHECK(r.code == 74);
  CHECK(r.out.empty());
  CHECK(r.err.find("not a mend database") != std::string::npos);
  CHECK(mend::test::file_bytes(s.db) == "my shopping list\n");
}

TEST_CASE("a database from a newer mend is refused with 74" * mend::test::kSqliteOnly) {
  Sandbox s;
  s.ok({"open", "Ada", "S"});
  REQUIRE(std::system(("sqlite3 '" + s.db + "' 'PRAGMA user_version=999'").c_str()) == 0);
  const auto r = s.run({"list"});
  CHECK(r.code == 74);
  CHECK(r.err.find("newer mend") != std::string::npos);
}

TEST_CASE("a database folder that cannot be created is 73") {
  Sandbox s;
  {
    std::FILE* f = std::fopen((s.dir + "/afile").c_str(), "w");
    std::fclose(f);
  }
  const auto r = s.run({"--db", s.dir + "/afile/sub/cases.db", "list"});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
}

TEST_CASE("a relative --db path is taken from the working directory") {
  Sandbox s;
  s.ok({"--db", "rel.db", "open", "Ada", "S"});
  CHECK_FALSE(db_dump(s.dir + "/rel.db").empty());
}
