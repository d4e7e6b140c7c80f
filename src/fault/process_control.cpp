// ProcessControl: fork/exec, reap and stop of the processes process faults start.
#include "fault/process_control.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "core/clock.h"
#include "core/errno_text.h"

namespace surge::fault {

ProcessControl::~ProcessControl() { stop_all(); }

core::Result<pid_t> ProcessControl::start(const std::vector<std::string>& argv) {
  // `surge` as the command is this very binary (so [surge, serve, ...] works without surge on PATH); read
  // before the fork, where it is still surge's own image.
  std::string self;
  if (!argv.empty() && argv[0] == "surge") {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
    if (length > 0) self.assign(path, static_cast<size_t>(length));
  }
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  if (!self.empty()) args[0] = self.data();
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return core::fail("cannot start '" + argv[0] + "': fork: " + core::errno_text(errno));
  if (pid == 0) {
    // Its own process group: a Ctrl-C at the terminal reaches surge, which stops it in order.
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    execvp(args[0], args.data());
    const std::string message = "surge: cannot run '" + argv[0] + "': " + core::errno_text(errno) + "\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
  }
  children_.push_back({pid, std::nullopt});
  return pid;
}

bool ProcessControl::wait_until_listening(const net::SocketAddress& address,
                                          std::chrono::milliseconds timeout) {
  const int64_t deadline_ns = core::monotonic_ns() + timeout.count() * core::kNsPerMs;
  while (core::monotonic_ns() < deadline_ns) {
    const int fd = socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const bool connected = connect(fd, address.get(), address.length) == 0;
    close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // before the load: nothing is timed yet
  }
  return false;
}

void ProcessControl::reap() {
  for (Child& child : children_) {
    int status = 0;
    if (!child.wait_status && waitpid(child.pid, &status, WNOHANG) == child.pid) child.wait_status = status;
  }
}

std::optional<std::string> ProcessControl::status_of(pid_t pid) const {
  for (const Child& child : children_) {
    if (child.pid != pid || !child.wait_status) continue;
    const int status = *child.wait_status;
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return std::nullopt;
}

void ProcessControl::stop_all(std::chrono::milliseconds grace) {
  reap();
  bool any_running = false;
  for (const Child& child : children_) {
    if (child.wait_status) continue;
    kill(child.pid, SIGCONT);  // a stopped child cannot act on SIGTERM
    kill(child.pid, SIGTERM);
    any_running = true;
  }
  const int64_t deadline_ns = core::monotonic_ns() + grace.count() * core::kNsPerMs;
  while (any_running && core::monotonic_ns() < deadline_ns) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    reap();
    any_running = false;
    for (const Child& child : children_) any_running = any_running || !child.wait_status;
  }
  for (Child& child : children_) {
    if (child.wait_status) continue;
    kill(child.pid, SIGKILL);
    int status = 0;
    if (waitpid(child.pid, &status, 0) == child.pid) child.wait_status = status;
  }
}

}  // namespace surge::fault
