// Running the reference HTTP/2 clients (curl, nghttp, h2load; scripts/install-deps.sh installs them) from
// tests/serve: each runs to its end in a child process of the shared launcher, and its output is kept.
#pragma once

#include <string>
#include <vector>

#include "support/child_process.h"

namespace surge::serve::testing {

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv to its end (20 s at most, then SIGKILL) and returns what it printed.
inline Ran run(const std::vector<std::string>& argv) {
  test_support::ChildProcess child(argv);
  Ran ran;
  ran.exit_code = child.wait(20);
  ran.out = child.stdout_text();
  ran.err = child.stderr_text();
  return ran;
}

}  // namespace surge::serve::testing
