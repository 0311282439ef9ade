#include "harness.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/dates.hpp"

extern char** environ;

namespace mend::test {
namespace {

// The PostgreSQL run of the suite: MEND_TEST_PG_URI is the superuser URI of a
// throwaway cluster (tests/pg/cluster.sh); each sandbox gets a database of its
// own there instead of an SQLite file.
const char* pg_admin() {
  const char* uri = std::getenv("MEND_TEST_PG_URI");
  return uri && *uri ? uri : nullptr;
}

bool is_pg(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0;
}

// psql on `uri` (which never holds a quote: the tests make it), statements on stdin.
std::string psql(const std::string& uri, const std::string& statements, int* status = nullptr) {
  const std::string script = "/tmp/mend-test-psql-" + std::to_string(::getpid()) + ".sql";
  {
    std::ofstream f(script, std::ios::binary);
    f << statements << "\n";
  }
  const std::string cmd = "PGOPTIONS='-c search_path=mend' psql -qAtX -v ON_ERROR_STOP=1 '" + uri +
                          "' < '" + script + "' 2>&1";
  std::string out;
  int rc = -1;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    rc = ::pclose(p);
  }
  std::filesystem::remove(script);
  if (status) *status = rc;
  return out;
}

// The admin URI with another database name: postgresql:///NAME?...
std::string with_database(const std::string& admin, const std::string& name) {
  const auto query = admin.find('?');
  return "postgresql:///" + name + (query == std::string::npos ? "" : admin.substr(query));
}

}  // namespace

bool pg_run() {
  return pg_admin() != nullptr;
}

Sandbox::Sandbox() {
  char tmpl[] = "/tmp/mend-test-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir = tmpl;
  db = dir + "/cases.db";
  env = {{"HOME", dir},
         {"MEND_DB", db},
         {"MEND_NOW", "2026-11-23T14:05:00Z"},
         {"TZ", "UTC"},
         {"PATH", "/usr/local/bin:/usr/bin:/bin"},
         {"LANG", "C.UTF-8"},
         {"MEND_USER", "sam"}};
  for (const char* keep : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(keep)) env[keep] = v;
  }
  if (const char* admin = pg_admin()) {
    // mend-test-AbC123 -> sandbox_abc123 (names fold to lower case).
    pg_name = "sandbox_";
    for (char c : dir.substr(dir.rfind('-') + 1))
      pg_name += static_cast<char>(std::isalnum(static_cast<unsigned char>(c))
                                       ? std::tolower(static_cast<unsigned char>(c))
                                       : '_');
    int status = 0;
    const auto out = psql(
        admin,
        "DROP DATABASE IF EXISTS " + pg_name + " WITH (FORCE); CREATE DATABASE " + pg_name + ";",
        &status);
    if (status != 0) throw std::runtime_error("cannot create the test database: " + out);
    db = with_database(admin, pg_name);
    env["MEND_DB"] = db;
  }
}

Sandbox::~Sandbox() {
  if (const char* admin = pg_admin(); admin && !pg_name.empty())
    psql(admin, "DROP DATABASE IF EXISTS " + pg_name + " WITH (FORCE);");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

Result Sandbox::run(const std::vector<std::string>& args, const std::string& input) const {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env)
    env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {MEND_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings)
    argv.push_back(s.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  Result r;
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0], POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0], POLLIN, 0});
    if (in_fd >= 0) fds.push_back({in_fd, POLLOUT, 0});
    if (::poll(fds.data(), fds.size(), 60000) <= 0) break;
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in_fd) {
        const auto n = ::write(in_fd, input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        if (n < 0 || written == input.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      const auto n = ::read(p.fd, buf, sizeof buf);
      if (n <= 0) {
        if (p.fd == out_pipe[0])
          out_open = false;
        else
          err_open = false;
        continue;
      }
      (p.fd == out_pipe[0] ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string Sandbox::ok(const std::vector<std::string>& args, const std::string& input) const {
  const auto r = run(args, input);
  INFO("stderr: " << r.err);
  REQUIRE(r.code == 0);
  return r.out;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string shell_output(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

std::string db_dump(const std::string& db_path) {
  if (is_pg(db_path)) {
    // Every row of every table of mend's schema, in a fixed order; "" before
    // the first command made the schema.
    return psql(db_path,
                "SELECT format('%s: %s', c.relname, "
                "  (xpath('/row', query_to_xml(format('SELECT * FROM mend.%I ORDER BY 1', "
                "  c.relname), true, false, '')))::text) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'mend' AND c.relkind = 'r' ORDER BY c.relname;");
  }
  if (!std::filesystem::exists(db_path)) return "";
  return shell_output("sqlite3 '" + db_path + "' .dump 2>&1");
}

void run_sql(const std::string& db_path, const std::string& sql) {
  if (is_pg(db_path)) {
    int status = 0;
    const auto out = psql(db_path, sql, &status);
    INFO("sql: " << sql << "\npsql said: " << out);
    REQUIRE(status == 0);
    return;
  }
  const std::string cmd = "sqlite3 -bail '" + db_path + "' >/dev/null 2>&1";
  FILE* p = ::popen(cmd.c_str(), "w");
  REQUIRE(p != nullptr);
  std::fwrite(sql.data(), 1, sql.size(), p);
  const int status = ::pclose(p);
  INFO("sql: " << sql);
  REQUIRE(status == 0);
}

std::string sql(const std::string& db_path, const std::string& statements) {
  if (is_pg(db_path)) {
    int status = 0;
    const auto out = psql(db_path, statements, &status);
    INFO("psql said: " << out);
    REQUIRE(status == 0);
    return out;
  }
  // The statements go through a file, so no shell quoting is involved.
  const std::string script = db_path + ".sql";
  {
    std::ofstream f(script, std::ios::binary);
    f << ".bail on\n.timeout 5000\n" << statements << "\n";
  }
  const std::string cmd = "sqlite3 -batch '" + db_path + "' < '" + script + "' 2>&1";
  std::string out;
  int status = -1;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    status = ::pclose(p);
  }
  std::filesystem::remove(script);
  INFO("sqlite3 said: " << out);
  REQUIRE(status == 0);
  return out;
}

void seed_resolved(const std::string& db_path, int case_id, const std::string& resolved_at,
                   const std::string& followup_at) {
  auto seconds = [](const std::string& text) {
    const auto t = mend::parse_rfc3339(text);
    REQUIRE(t.has_value());
    return std::to_string(*t);
  };
  const std::string id = std::to_string(case_id);
  const std::string resolved = seconds(resolved_at);
  const std::string followup = followup_at.empty() ? "NULL" : seconds(followup_at);
  if (is_pg(db_path)) {
    std::string statements =
        "BEGIN;\nWITH up AS (UPDATE cases SET status = 'resolved', resolved_at = " + resolved +
        ", followup_at = " + followup +
        ", outcome = 'replacement', currency = 'USD', fault = 'unknown' WHERE id = " + id +
        " AND status = 'open' RETURNING 1) SELECT CASE count(*) WHEN 1 THEN 'ok' ELSE 'not open' "
        "END FROM up;\nINSERT INTO events (case_id, at, kind, text) VALUES (" +
        id + ", " + resolved + ", 'resolved', 'replacement');\n";
    if (!followup_at.empty())
      statements += "INSERT INTO events (case_id, at, kind, text) VALUES (" + id + ", " + resolved +
                    ", 'followup-scheduled', 'seeded');\n";
    statements += "COMMIT;";
    const auto out = sql(db_path, statements);
    INFO("case #" << case_id);
    REQUIRE(out == "ok\n");
    return;
  }
  // The search index must see the change as mend's own writes make it
  // (search_index.hpp): the case's words out before, back in after.
  const std::string columns = "summary, customer, details, events, keys";
  std::string statements =
      "BEGIN IMMEDIATE;\n"
      "INSERT INTO cases_fts(cases_fts, rowid, " +
      columns + ") SELECT 'delete', id, " + columns + " FROM search_docs WHERE id = " + id +
      ";\n"
      "UPDATE cases SET status = 'resolved', resolved_at = " +
      resolved + ", followup_at = " + followup +
      ", outcome = 'replacement', currency = 'USD', fault = 'unknown' WHERE id = " + id +
      " AND status = 'open';\n"
      "SELECT CASE changes() WHEN 1 THEN 'ok' ELSE 'not open' END;\n"
      "INSERT INTO events (case_id, at, kind, text) VALUES (" +
      id + ", " + resolved + ", 'resolved', 'replacement');\n";
  if (!followup_at.empty()) {
    statements += "INSERT INTO events (case_id, at, kind, text) VALUES (" + id + ", " + resolved +
                  ", 'followup-scheduled', 'seeded');\n";
  }
  statements += "INSERT INTO cases_fts(rowid, " + columns + ") SELECT id, " + columns +
                " FROM search_docs WHERE id = " + id + ";\nCOMMIT;";
  const auto out = sql(db_path, statements);
  INFO("case #" << case_id);
  REQUIRE(out == "ok\n");
}

}  // namespace mend::test
