// A worker process: one event loop running its segment of every phase, sending a snapshot of what changed
// to the coordinator every second over a pipe, and a final one when its users have stopped.
#pragma once

#include <cstdint>

#include "load/segment.h"
#include "plan/plan.h"
#include "scenario/compiled_plan.h"

namespace surge::run {

struct WorkerSetup {
  const plan::Plan* plan = nullptr;
  const scenario::CompiledPlan* compiled = nullptr;
  load::Segment segment;
  uint64_t max_requests = 0;  // the whole run's request budget; 0 = none
  int64_t start_ns = 0;       // monotonic time at which phase 0 starts on every worker
  int snapshot_fd = -1;       // write end of the pipe to the coordinator
  uint64_t seed = 0;
  uint64_t log_requests = 0;  // --log-requests: the whole run's budget of logged failures (each worker a share)
  int log_fd = 2;             // where they go: stderr, or the --log-requests-file opened for appending
};

// Runs in the forked child and never returns: exits 0 after the final snapshot, 1 if the loop failed.
// SIGTERM (sent by the coordinator) stops the load; requests in flight finish within their timeout. A second
// SIGTERM leaves at once, still sending the final snapshot.
[[noreturn]] void run_worker(const WorkerSetup& setup);

}  // namespace surge::run
