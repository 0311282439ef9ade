#include "cli/input.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/errors.hpp"
#include "core/store.hpp"

namespace mend::cli {

std::string read_text_input(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::not_found, "cannot read " + path + ": " + std::strerror(errno));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string edit_text(const std::string& initial) {
  const char* editor = std::getenv("VISUAL");
  if (editor == nullptr || *editor == '\0') editor = std::getenv("EDITOR");
  if (editor == nullptr || *editor == '\0') {
    fail(ErrorKind::usage,
         "no text given and neither VISUAL nor EDITOR is set; "
         "give the text as an argument or set EDITOR");
  }
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/mend-XXXXXX.txt";
  const int fd = ::mkstemps(path.data(), 4);  // 0600, O_EXCL: never follows a planted link
  if (fd < 0)
    fail(ErrorKind::cant_create,
         "cannot create a temporary file: " + std::string(std::strerror(errno)));
  const bool wrote =
      ::write(fd, initial.data(), initial.size()) == static_cast<ssize_t>(initial.size());
  ::close(fd);
  if (!wrote) {
    ::unlink(path.c_str());
    fail(ErrorKind::io, "cannot write the temporary file " + path);
  }
  // Through the shell, so that EDITOR="code --wait" works, as git does it.
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string script = std::string(editor) + " \"$1\"";
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string text;
  if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::ifstream in(path, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  ::unlink(path.c_str());
  if (pid <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fail(ErrorKind::usage, std::string("the editor (") + editor + ") failed; nothing was changed");
  }
  std::string kept;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '#') continue;
    kept += line;
    kept += '\n';
  }
  return kept;
}

std::optional<Time> stored_when(std::string_view option, const std::string& text, Time now,
                                bool allow_never) {
  const auto at = parse_when(text, now, DateRole::deadline, allow_never).at;
  if (at) check_time(*at, std::string(option) + " " + trimmed(text), ErrorKind::usage);
  return at;
}

std::optional<std::string> optional_text(const std::string& value) {
  auto t = trimmed(value);
  if (t.empty()) return std::nullopt;
  return t;
}

}  // namespace mend::cli
