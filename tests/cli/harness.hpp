// Runs the real mend binary in a private temporary home, the way a user or a
// script would, and captures what it prints.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mend::test {

struct Result {
  int code = -1;
  std::string out;
  std::string err;
  nlohmann::json json() const { return nlohmann::json::parse(out); }
};

// A fresh folder used as HOME, with MEND_DB pointing into it, a fixed clock
// (MEND_NOW), TZ=UTC and MEND_USER=sam unless a test changes them.
class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  Result run(const std::vector<std::string>& args, const std::string& input = "") const;
  // Runs and requires exit 0, returning stdout; the failure message shows stderr.
  std::string ok(const std::vector<std::string>& args, const std::string& input = "") const;

  std::string dir;
  std::string db;  // the SQLite file, or in the PostgreSQL run the database's URI
  std::map<std::string, std::string> env;

 private:
  std::string pg_name;  // the PostgreSQL run: this sandbox's database
};

// True in the PostgreSQL run of the suite (MEND_TEST_PG_URI set).
bool pg_run();

// Marks a test about the SQLite file itself (its bytes, its WAL, its
// schema, what SQLite alone can store): the PostgreSQL run leaves out the
// test suite "sqlite" (-tse=sqlite), and only it.
inline const auto kSqliteOnly = doctest::test_suite("sqlite");

// Runs a shell command and returns what it printed on stdout.
std::string shell_output(const std::string& command);

// The bytes of a file ("" when missing), to prove a failed command wrote nothing.
std::string file_bytes(const std::string& path);
// A digest of the database's rows, via sqlite3, comparable across runs.
std::string db_dump(const std::string& db_path);
// Runs SQL on the database with the sqlite3 shell (to seed histories that no
// command can make yet); fails the test when sqlite3 reports an error.
void run_sql(const std::string& db_path, const std::string& sql);

// Runs SQL on the database through the sqlite3 CLI and returns what it prints
// (test setup and inspection only; fails the test when sqlite3 fails).
std::string sql(const std::string& db_path, const std::string& statements);

// Makes an open case resolved the way `mend resolve` will (status, resolved_at,
// followup_at, a remedy, and the `resolved`/`followup-scheduled` events), by
// SQL, so follow-up tests need not wait for the resolve command. Times are
// RFC 3339; an empty followup_at leaves it null. Replace with `mend resolve`
// once that command exists.
void seed_resolved(const std::string& db_path, int case_id, const std::string& resolved_at,
                   const std::string& followup_at);

}  // namespace mend::test
