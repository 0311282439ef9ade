// mend backup, end to end.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "data_support.hpp"
#include "harness.hpp"

using namespace mend::test;

namespace {

int file_mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

}  // namespace

TEST_CASE("mend backup makes a private copy that passes the integrity check") {
  Sandbox s;
  s.ok({"open", "Ada", "First", "--email", "ada@example.com"});
  s.ok({"open", "Bob", "Second"});
  const auto out = s.ok({"backup", "copy.db"});
  CHECK(out.find("integrity check: ok") != std::string::npos);
  const auto copy = s.dir + "/copy.db";
  CHECK(file_mode(copy) == 0600);
  CHECK(sql(copy, "PRAGMA integrity_check") == "ok\n");
  CHECK(s.ok({"--db", copy, "export"}) == s.ok({"export"}));
}

TEST_CASE("mend backup refuses an existing file unless --force, and a symbolic link always") {
  Sandbox s;
  s.ok({"open", "Ada", "First"});
  const auto file = s.dir + "/copy.db";
  write_file(file, "old backup");
  auto r = s.run({"backup", "copy.db"});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
  CHECK(r.err.find("exists; use --force") != std::string::npos);
  CHECK(file_bytes(file) == "old backup");
  s.ok({"backup", "copy.db", "--force"});
  CHECK(sql(file, "SELECT count(*) FROM cases") == "1\n");
  CHECK(file_mode(file) == 0600);

  const auto target = s.dir + "/target";
  write_file(target, "precious");
  REQUIRE(::symlink(target.c_str(), (s.dir + "/link.db").c_str()) == 0);
  for (bool force : {false, true}) {
    std::vector<std::string> args = {"backup", "link.db"};
    if (force) args.push_back("--force");
    r = s.run(args);
    CHECK(r.code == 73);
    CHECK(r.err.find("symbolic link") != std::string::npos);
    CHECK(file_bytes(target) == "precious");
  }
  // A dangling link is refused too: O_NOFOLLOW, not just "does the target exist".
  REQUIRE(::symlink((s.dir + "/nowhere").c_str(), (s.dir + "/dangling.db").c_str()) == 0);
  CHECK(s.run({"backup", "dangling.db"}).code == 73);
  CHECK(file_bytes(s.dir + "/nowhere").empty());
}

TEST_CASE("mend backup into a folder that does not exist exits 73") {
  Sandbox s;
  s.ok({"open", "Ada", "First"});
  const auto r = s.run({"backup", s.dir + "/missing/copy.db"});
  CHECK(r.code == 73);
  CHECK(r.out.empty());
}

TEST_CASE("mend backup while another process keeps writing gives a consistent copy") {
  Sandbox s;
  s.ok({"open", "Ada", "Seed"});
  // A writer in the background: mend open in a loop.
  const pid_t writer = ::fork();
  if (writer == 0) {
    for (int i = 0; i < 60; ++i) {
      const auto r = s.run({"open", "Writer", "Case " + std::to_string(i), "-q"});
      if (r.code != 0) ::_exit(1);
    }
    ::_exit(0);
  }
  REQUIRE(writer > 0);
  for (int round = 0; round < 5; ++round) {
    const auto name = "copy" + std::to_string(round) + ".db";
    s.ok({"backup", name});
    const auto copy = s.dir + "/" + name;
    CHECK(sql(copy, "PRAGMA integrity_check") == "ok\n");
    // Whole transactions only: every case has its opened event, ids have no gaps.
    CHECK(sql(copy, "SELECT count(*) = max(id) FROM cases") == "1\n");
    CHECK(sql(copy, "SELECT count(*) FROM cases WHERE id NOT IN (SELECT case_id FROM events)") ==
          "0\n");
  }
  int status = 0;
  REQUIRE(::waitpid(writer, &status, 0) == writer);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(sql(s.db, "SELECT count(*) FROM cases") == "61\n");
}
