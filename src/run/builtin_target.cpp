// The built-in target runs as a separate process (not in a worker) so its CPU and memory stay apart from the
// generator's, exactly as a user's own service would be.
#include "run/builtin_target.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string_view>

#include "core/errno_text.h"

namespace surge::run {
namespace {

constexpr int kStartTimeoutMs = 5000;

[[noreturn]] void exec_server(int stdout_fd) {
  // Ctrl-C must not stop the target under the draining workers: the coordinator stops it last. If the
  // coordinator dies, the kernel stops it (PDEATHSIG).
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  dup2(stdout_fd, STDOUT_FILENO);
  close(stdout_fd);
  execl("/proc/self/exe", "surge", "serve", "--port", "0", "--addr", "127.0.0.1", static_cast<char*>(nullptr));
  _exit(127);
}

core::Result<std::string> read_first_line(int fd) {
  std::string line;
  char c;
  while (line.size() < 256) {
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, kStartTimeoutMs);
    if (ready <= 0) return core::fail("built-in target did not start within 5 s");
    ssize_t n = read(fd, &c, 1);
    if (n <= 0) return core::fail("built-in target exited before it listened");
    if (c == '\n') return line;
    line.push_back(c);
  }
  return core::fail("built-in target printed an unexpected first line");
}

}  // namespace

core::Result<BuiltinTarget> BuiltinTarget::start() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return core::fail("pipe failed: " + core::errno_text(errno));
  pid_t pid = fork();
  if (pid < 0) return core::fail("fork failed: " + core::errno_text(errno));
  if (pid == 0) {
    close(fds[0]);
    exec_server(fds[1]);
  }
  close(fds[1]);
  auto line = read_first_line(fds[0]);
  // The read end stays open while the server runs: a later line on its stdout must not kill it with SIGPIPE.
  BuiltinTarget target(pid, "", fds[0]);
  if (!line) return core::fail(line.error().message);
  constexpr std::string_view kPrefix = "listening on ";
  if (line->rfind(kPrefix, 0) != 0) return core::fail("built-in target said '" + *line + "'");
  target.url_ = "http://" + line->substr(kPrefix.size());
  return target;
}

BuiltinTarget::BuiltinTarget(BuiltinTarget&& other) noexcept
    : pid_(other.pid_), url_(std::move(other.url_)), stdout_fd_(other.stdout_fd_) {
  other.pid_ = -1;
  other.stdout_fd_ = -1;
}

BuiltinTarget::~BuiltinTarget() { stop(); }

void BuiltinTarget::stop() {
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace surge::run
