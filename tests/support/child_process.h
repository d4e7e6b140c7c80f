// The one child-process launcher of the tests: a program (argv, with extra environment) or a function run in
// a forked child, its stdout and stderr captured to files of its own, waited on with a timeout through a
// pidfd (no polling), and stopped by its PID when the test is done with it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace surge::test_support {

using Environment = std::vector<std::pair<std::string, std::string>>;

// A folder of this test process's own under TMPDIR (or /tmp), made on first use: tests running side by side
// (ctest -j) never share a file.
const std::string& test_temp_dir();

class ChildProcess {
 public:
  // execvp(argv[0], argv) with `environment` added to (or replacing names in) this process's environment.
  explicit ChildProcess(const std::vector<std::string>& argv, const Environment& environment = {});
  // Runs `body` in a forked child, which exits with the code it returns.
  explicit ChildProcess(const std::function<int()>& body);
  ~ChildProcess();  // SIGKILL by PID if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Readable (poll POLLIN) once the child has exited: for callers that wait on something else as well.
  int exit_fd() const { return pidfd_; }
  // The first `count` full lines of stdout (each with its '\n'), waiting for them (on inotify) at most
  // timeout_s; "" when the child exits or the time passes first.
  std::string first_lines(size_t count, double timeout_s = 10);
  // The first full line of stdout without its '\n', as first_lines.
  std::string first_line(double timeout_s = 10);
  // Waits for exit (at most timeout_s, then SIGKILL) and returns the exit code (128+signal when killed).
  int wait(double timeout_s = 120);
  // True once the child has exited (reaps it); never blocks.
  bool exited();
  // SIGTERM, then wait (SIGKILL after timeout_s); returns the exit code.
  int terminate(double timeout_s = 10);
  std::string stdout_text() const;
  std::string stderr_text() const;
  const std::string& stdout_path() const { return out_path_; }
  double elapsed_s() const;

 private:
  void start(const std::function<void()>& in_child);
  int exit_code() const;

  pid_t pid_ = -1;
  int pidfd_ = -1;
  int status_ = -1;
  bool reaped_ = false;
  std::string out_path_, err_path_;
  double started_s_ = 0;
};

// The whole file ("" when it cannot be read).
std::string read_file(const std::string& path);

}  // namespace surge::test_support
