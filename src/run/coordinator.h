// The coordinator: starts the built-in target if asked, forks the workers, merges their snapshots, shows
// progress, relays Ctrl-C, and turns the merged totals into a RunResult and the requested outputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "report/outputs.h"

namespace surge::run {

struct RunOptions {
  std::vector<report::OutputRequest> outputs;
  uint32_t workers = 1;
  uint64_t max_requests = 0;  // quick mode -n; 0 = the phases decide
  uint64_t seed = 1;
  bool quiet = false;
};

// Runs the plan and returns the process exit code (DESIGN.md): 0 done, 1 the run failed (no request succeeded,
// a worker crashed, the target could not be started or reached).
int run_plan(const plan::Plan& plan, const RunOptions& options);

}  // namespace surge::run
