// The child-process launcher (child_process.h): fork, point stdout and stderr at files, exec or run the body;
// the parent waits on a pidfd for the exit and on inotify for output, so no wait here is a sleep.
#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace surge::test_support {
namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int remaining_ms(double deadline_s) {
  return std::max(0, static_cast<int>((deadline_s - now_s()) * 1000) + 1);
}

}  // namespace

const std::string& test_temp_dir() {
  static const std::string dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/surge-test-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      std::abort();
    }
    return pattern;
  }();
  return dir;
}

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const Environment& environment) {
  start([&] {
    for (const auto& [name, value] : environment) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "cannot run %s\n", argv.empty() ? "(nothing)" : argv[0].c_str());
    _exit(127);
  });
}

ChildProcess::ChildProcess(const std::function<int()>& body) {
  start([&] {
    int code = body();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(code);
  });
}

void ChildProcess::start(const std::function<void()>& in_child) {
  static int counter = 0;
  out_path_ = test_temp_dir() + "/child-" + std::to_string(++counter) + ".out";
  err_path_ = out_path_ + ".err";
  started_s_ = now_s();
  // Made before the fork, so first_lines can watch the file from the start.
  int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out, STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the copy
    dup2(err, STDERR_FILENO);
    in_child();
    _exit(127);
  }
  close(out);
  close(err);
  pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  if (pidfd_ >= 0) close(pidfd_);
}

bool ChildProcess::exited() {
  if (!reaped_ && pid_ > 0 && waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

std::string ChildProcess::first_line(double timeout_s) {
  std::string line = first_lines(1, timeout_s);
  if (!line.empty()) line.pop_back();
  return line;
}

std::string ChildProcess::first_lines(size_t count, double timeout_s) {
  double deadline = now_s() + timeout_s;
  int watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  inotify_add_watch(watch, out_path_.c_str(), IN_MODIFY | IN_CLOSE_WRITE);
  std::string lines;
  while (true) {
    const bool gone = exited();  // asked before reading, so what it wrote before exiting is read
    const std::string text = read_file(out_path_);
    size_t end = std::string::npos, from = 0;
    for (size_t found = 0; found < count; ++found, from = end + 1) {
      if ((end = text.find('\n', from)) == std::string::npos) break;
    }
    if (end != std::string::npos) {
      lines = text.substr(0, end + 1);
      break;
    }
    if (gone || now_s() >= deadline) break;
    pollfd events[2] = {{watch, POLLIN, 0}, {pidfd_, POLLIN, 0}};
    poll(events, 2, remaining_ms(deadline));
    char drain[4096];
    while (read(watch, drain, sizeof drain) > 0) {
    }
  }
  close(watch);
  return lines;
}

int ChildProcess::wait(double timeout_s) {
  if (!exited()) {
    pollfd event{pidfd_, POLLIN, 0};
    poll(&event, 1, remaining_ms(now_s() + timeout_s));
    if (!exited()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
  }
  return exit_code();
}

int ChildProcess::terminate(double timeout_s) {
  if (!exited()) kill(pid_, SIGTERM);
  return wait(timeout_s);
}

int ChildProcess::exit_code() const {
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  return 128 + WTERMSIG(status_);
}

std::string ChildProcess::stdout_text() const { return read_file(out_path_); }
std::string ChildProcess::stderr_text() const { return read_file(err_path_); }
double ChildProcess::elapsed_s() const { return now_s() - started_s_; }

}  // namespace surge::test_support
