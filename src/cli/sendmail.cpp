#include "cli/sendmail.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cli/context.hpp"
#include "core/errors.hpp"
#include "core/reply.hpp"

extern char** environ;

namespace mend::cli {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// What the command printed, as one line for an error message.
std::string one_line(const std::string& text) {
  std::string out = header_text(text);
  if (out.size() > 1000) out = out.substr(0, 1000) + "…";
  return out;
}

// Starts the command in a process group of its own with `in` as its stdin and
// `out` as its stdout and stderr; fails with busy when it cannot be started.
pid_t spawn_command(std::vector<char*>& argv, const std::string& name, int in, int out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  // Its stdout and stderr both go to the capture: mend's stdout is the case.
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // A process group of its own, so a timeout kills its children too; SIGPIPE
  // back to its default (mend ignores it).
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, name.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) {
    fail(ErrorKind::busy, "cannot run the mail command " + name + ": " + std::strerror(spawned) +
                              " (the config key sendmail); nothing was sent or recorded");
  }
  return pid;
}

// What the command did: its wait status, whether it ran past the limit, and
// what it printed (at most 64 KiB).
struct Finished {
  int status = 0;
  bool timed_out = false;
  std::string output;
};

// Writes `message` to the command's stdin and reads what it prints until it
// exits or the limit passes, never blocking on either pipe.
Finished collect(pid_t pid, Fd& in_write, Fd& out_read, const std::string& message) {
  std::string output;
  int status = 0;
  bool timed_out = false;
  ::fcntl(in_write.fd, F_SETFL, O_NONBLOCK);
  ::fcntl(out_read.fd, F_SETFL, O_NONBLOCK);

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(sendmail_timeout_seconds());
  std::size_t written = 0;
  bool exited = false;
  if (message.empty()) in_write.close();
  // Readable the moment the command exits, so its end is seen at once; -1 on
  // a kernel without pidfds, where the exit is polled every millisecond.
  Fd exit_fd{static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))};
  while (true) {
    if (!exited) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) {
        exited = true;
        exit_fd.close();
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (exited && in_write.fd < 0 && out_read.fd < 0) break;
    if (now >= deadline) {
      timed_out = !exited;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (in_write.fd >= 0) fds[n++] = {in_write.fd, POLLOUT, 0};
    if (out_read.fd >= 0) fds[n++] = {out_read.fd, POLLIN, 0};
    if (exit_fd.fd >= 0) fds[n++] = {exit_fd.fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    // With both pipes closed and no pidfd, the command is usually exiting: its
    // exit is polled every millisecond (a blocking wait could outlast the limit).
    if (n == 0) {
      ::poll(nullptr, 0, 1);
      continue;
    }
    const int wait_ms = exited ? 10 : static_cast<int>(std::min<long long>(left, 50));
    if (::poll(fds, n, wait_ms) < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].fd == in_write.fd && (fds[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
        const ssize_t k = ::write(in_write.fd, message.data() + written, message.size() - written);
        if (k > 0) written += static_cast<std::size_t>(k);
        if ((k < 0 && errno != EAGAIN && errno != EINTR) || written == message.size())
          in_write.close();
      } else if (fds[i].fd == out_read.fd && (fds[i].revents & (POLLIN | POLLERR | POLLHUP))) {
        char buf[4096];
        const ssize_t k = ::read(out_read.fd, buf, sizeof buf);
        if (k > 0) {
          if (output.size() < 65536) output.append(buf, static_cast<std::size_t>(k));
        } else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
          out_read.close();
        }
      }
    }
    // Exited, with a child of its own still holding the pipe: what was said is enough.
    if (exited && out_read.fd >= 0 && in_write.fd < 0) {
      char buf[4096];
      ssize_t k;
      while ((k = ::read(out_read.fd, buf, sizeof buf)) > 0)
        if (output.size() < 65536) output.append(buf, static_cast<std::size_t>(k));
      if (k == 0 || errno != EAGAIN) out_read.close();
      if (out_read.fd >= 0) break;
    }
    if (exited && in_write.fd >= 0) in_write.close();  // it will read no more
  }
  if (!exited && !timed_out) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  return Finished{status, timed_out, std::move(output)};
}

}  // namespace

int sendmail_timeout_seconds() {
  if (const char* env = std::getenv("MEND_SENDMAIL_TIMEOUT"); env && *env) {
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    if (end != nullptr && *end == '\0' && v > 0 && v <= 3600) return static_cast<int>(v);
  }
  return 60;
}

std::string config_file_for_messages(const Config& config) {
  if (!config.source.empty()) return config.source;
  const std::string path = config_path();
  return path.empty() ? std::string("the config file") : path;
}

std::string reply_templates_dir() {
  const std::string path = config_path();
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash) + "/templates";
}

void run_sendmail(const std::string& command, const std::string& message) {
  const auto words = split_command(command, "the config key sendmail");
  std::vector<char*> argv;
  for (const auto& w : words)
    argv.push_back(const_cast<char*>(w.c_str()));
  argv.push_back(nullptr);
  const std::string name = words.front();

  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) fail(ErrorKind::busy, "cannot start " + name + ": no pipe");
  Fd in_read{in_pipe[0]}, in_write{in_pipe[1]};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    fail(ErrorKind::busy, "cannot start " + name + ": no pipe");
  Fd out_read{out_pipe[0]}, out_write{out_pipe[1]};

  const pid_t pid = spawn_command(argv, name, in_read.fd, out_write.fd);
  in_read.close();
  out_write.close();
  auto [status, timed_out, output] = collect(pid, in_write, out_read, message);
  if (timed_out) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    fail(ErrorKind::busy, "the mail command " + name + " ran past " +
                              std::to_string(sendmail_timeout_seconds()) +
                              " s and was stopped; nothing was recorded" +
                              (output.empty() ? "" : " (it said: " + one_line(output) + ")"));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  std::string how = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                      : "was killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && output.empty()) how += " (not found?)";
  fail(ErrorKind::busy, "the mail command " + name + " " + how +
                            (output.empty() ? "" : ": " + one_line(output)) +
                            "; nothing was recorded");
}

Reply build_reply(Context& ctx, const MailReader& writer, const Case& c, const std::string& body,
                  bool ack, std::string& bytes) {
  Reply r =
      make_reply(c, ctx.config.from, config_file_for_messages(ctx.config), body, ctx.now, ack);
  auto built = writer.build(r.mail);
  if (!built)
    fail(ErrorKind::data, "case #" + std::to_string(c.id) +
                              ": the addresses cannot be written into a message (from " +
                              r.mail.from_address + ", to " + r.mail.to_address + ")");
  bytes = std::move(*built);
  return r;
}

Case send_and_record(Context& ctx, std::int64_t case_id, const Reply& reply,
                     const std::string& bytes) {
  run_sendmail(ctx.config.sendmail, bytes);
  std::string text = reply.mail.body;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  try {
    return ctx.store().add_reply(case_id, text, reply.message, ctx.now);
  } catch (const Error& e) {
    fail(ErrorKind::io,
         std::string("the mail was sent but could not be recorded: ") + e.what() +
             " (the customer has the mail: do not send it again; record it with mend note " +
             std::to_string(case_id) + " --kind reply)");
  }
}

}  // namespace mend::cli
