#include "cli/input.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <charconv>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/errors.hpp"
#include "core/store.hpp"

namespace mend::cli {
namespace {

// The draft's path for the signal handler, which can only reach static
// storage. One draft is open at a time (mend edits one text per run).
char g_draft_path[4096];

extern "C" void remove_draft_and_die(int sig) {
  ::unlink(g_draft_path);  // async-signal-safe
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// The temporary file the editor works on: removed when the edit ends, and
// also when mend is interrupted, hung up on or terminated meanwhile, so the
// draft (a customer's words) never stays behind in the temporary folder.
class Draft {
 public:
  explicit Draft(const std::string& initial) {
    const char* tmpdir = std::getenv("TMPDIR");
    path_ = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/mend-XXXXXX.txt";
    if (path_.size() >= sizeof g_draft_path)
      fail(ErrorKind::cant_create, "the temporary folder's path is too long: " + path_);
    const int fd = ::mkstemps(path_.data(), 4);  // 0600, O_EXCL: never follows a planted link
    if (fd < 0)
      fail(ErrorKind::cant_create,
           "cannot create a temporary file: " + std::string(std::strerror(errno)));
    std::memcpy(g_draft_path, path_.c_str(), path_.size() + 1);
    struct sigaction action {};
    action.sa_handler = remove_draft_and_die;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &action, &saved_[i]);
    const bool wrote =
        ::write(fd, initial.data(), initial.size()) == static_cast<ssize_t>(initial.size());
    ::close(fd);
    if (!wrote) {
      remove();
      fail(ErrorKind::io, "cannot write the temporary file " + path_);
    }
  }
  ~Draft() { remove(); }
  Draft(const Draft&) = delete;
  Draft& operator=(const Draft&) = delete;

  const std::string& path() const { return path_; }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  void remove() {
    if (removed_) return;
    removed_ = true;
    ::unlink(path_.c_str());
    for (std::size_t i = 0; i < kSignals.size(); ++i)
      ::sigaction(kSignals[i], &saved_[i], nullptr);
    g_draft_path[0] = '\0';
  }
  static constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  std::string path_;
  std::array<struct sigaction, kSignals.size()> saved_{};
  bool removed_ = false;
};

}  // namespace

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
  Draft draft(initial);
  // Through the shell, so that EDITOR="code --wait" works, as git does it.
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string script = std::string(editor) + " \"$1\"";
    ::execl("/bin/sh", "sh", "-c", script.c_str(), "sh", draft.path().c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const bool edited = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  const std::string text = edited ? draft.read() : std::string();
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
                                bool allow_never, const WorkCalendar& calendar) {
  const auto at = parse_when(text, now, DateRole::deadline, allow_never, calendar).at;
  if (at) check_time(*at, std::string(option) + " " + trimmed(text), ErrorKind::usage);
  return at;
}

namespace {

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};

// "Saturday 28 November 2026"
std::string day_name(const LocalTime& t) {
  return std::string(kWeekdays[t.weekday]) + " " + std::to_string(t.day) + " " +
         kMonths[t.month - 1] + " " + std::to_string(t.year);
}

}  // namespace

std::string day_off_warning(std::string_view option, const std::string& text,
                            std::optional<Time> at, const WorkCalendar& calendar) {
  if (!at) return {};
  const auto t = to_local(*at);
  const auto day = civil_day(t.year, t.month, t.day);
  if (calendar.is_working_day(day)) return {};
  const char* why = calendar.is_holiday(day) ? "a holiday" : "not a working day";
  return std::string(option) + " " + trimmed(text) + " falls on " + day_name(t) + ", " + why +
         " (kept as given)";
}

SinceUntil since_until(const std::string& since, const std::string& until, Time now,
                       const WorkCalendar& calendar, const std::string& prefix) {
  SinceUntil r;
  if (!since.empty()) r.since = parse_when(since, now, DateRole::since, false, calendar).at;
  if (!until.empty()) r.until = parse_when(until, now, DateRole::until, false, calendar).at;
  if (r.since && r.until && *r.since > *r.until)
    fail(ErrorKind::usage, "--" + prefix + "since " + trimmed(since) + " (" +
                               local_minute(*r.since) + ") is later than --" + prefix + "until " +
                               trimmed(until) + " (" + local_minute(*r.until) + "); swap them?");
  if (r.since && *r.since > now)
    r.future_warning = "--" + prefix + "since " + trimmed(since) + " (" + local_minute(*r.since) +
                       ") lies in the future, so nothing can match yet";
  return r;
}

std::optional<std::string> optional_text(const std::string& value) {
  auto t = trimmed(value);
  if (t.empty()) return std::nullopt;
  return t;
}

std::optional<std::int64_t> parse_limit(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 1)
    fail(ErrorKind::usage, "--limit takes a whole number of at least 1, not '" + text + "'");
  return n;
}

}  // namespace mend::cli
