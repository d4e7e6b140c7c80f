// Test support for whole-program tests: start real processes (surge serve, surge run, nginx), read their
// output, fetch JSON over real loopback HTTP, and stop every process we started by its PID.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/child_process.h"

namespace surge::e2e {

// The shared launcher (tests/support/child_process.h): stdout and stderr to files, killed by PID when
// destroyed.
using Process = test_support::ChildProcess;

// This test process's own folder (tests/support: test_temp_dir), so tests running side by side share no file.
std::string temp_dir();
// Starts `surge serve --port 0 ARGS...` and returns "127.0.0.1:PORT" from its first line.
std::string listen_address(Process& server);
// GET http://address/path over a fresh connection; returns the body (fails the test on any error).
std::string http_get(const std::string& address, const std::string& path);
nlohmann::json serve_stats(const std::string& address);
// Waits until `surge serve` at address has answered `count` requests in all (its stats, asked every 5 ms: the
// server has no way to tell us); fails the test after 10 s.
void wait_for_requests(const std::string& address, uint64_t count);
// The same for requests serve has read and not necessarily answered (requests_received: in flight included).
void wait_for_received(const std::string& address, uint64_t count);

struct RunOutcome {
  int exit_code = -1;
  nlohmann::json results;  // parsed --out json file (null when none was written)
  std::string stdout_text, stderr_text;
  double elapsed_s = 0;
};
// Runs the surge binary with args plus `--out json=<temp>` and `--quiet`.
RunOutcome run_surge(std::vector<std::string> args);

using test_support::read_file;

std::string surge_binary();
std::string source_dir();
// Writes content to a fresh file in temp_dir() and returns its path.
std::string write_temp_file(const std::string& name, const std::string& content);
// A free TCP port on 127.0.0.1 (bound and released; good enough for a test's own servers).
int free_port();

// Runs a script from tests/e2e/node with the project's node_modules (hdr-histogram-js, puppeteer-core); fails
// the test when node or the packages are missing. Returns the script's one-line JSON verdict (null on
// failure).
nlohmann::json run_node_check(const std::string& script, const std::vector<std::string>& args);

}  // namespace surge::e2e
