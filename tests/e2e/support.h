// Test support for whole-program tests: start real processes (surge serve, surge run, nginx), read their
// output, fetch JSON over real loopback HTTP, and stop every process we started by its PID.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace surge::e2e {

// A child process whose stdout (and stderr) go to files in a temp dir; killed by PID when destroyed.
class Process {
 public:
  explicit Process(const std::vector<std::string>& argv);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // Waits until stdout has a first full line (or the process exits / 10 s pass) and returns it.
  std::string first_line();
  // Waits for exit (at most timeout_s, then SIGKILL) and returns the exit code (128+signal when killed).
  int wait(double timeout_s = 120);
  void terminate();
  std::string stdout_text() const;
  std::string stderr_text() const;
  double elapsed_s() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string out_path_, err_path_;
  double started_s_ = 0;
};

std::string temp_dir();
// Starts `surge serve --port 0 ARGS...` and returns "127.0.0.1:PORT" from its first line.
std::string listen_address(Process& server);
// GET http://address/path over a fresh connection; returns the body (fails the test on any error).
std::string http_get(const std::string& address, const std::string& path);
nlohmann::json serve_stats(const std::string& address);

struct RunOutcome {
  int exit_code = -1;
  nlohmann::json results;  // parsed --out json file (null when none was written)
  std::string stdout_text, stderr_text;
  double elapsed_s = 0;
};
// Runs the surge binary with args plus `--out json=<temp>` and `--quiet`.
RunOutcome run_surge(std::vector<std::string> args);

// The whole file ("" when it cannot be read).
std::string read_file(const std::string& path);

std::string surge_binary();
std::string source_dir();
// Writes content to a fresh file in temp_dir() and returns its path.
std::string write_temp_file(const std::string& name, const std::string& content);
// A free TCP port on 127.0.0.1 (bound and released; good enough for a test's own servers).
int free_port();

// Runs a script from tests/e2e/node with the project's node_modules (hdr-histogram-js, puppeteer-core); fails
// the test when node or the packages are missing. Returns the script's one-line JSON verdict (null on failure).
nlohmann::json run_node_check(const std::string& script, const std::vector<std::string>& args);

}  // namespace surge::e2e
