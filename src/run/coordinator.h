// What `surge run` asks of the coordinator (RunOptions) and its entry point. The coordinator starts the
// built-in target if asked, forks the workers, merges their snapshots, shows progress, relays Ctrl-C, and
// turns the merged totals into a RunResult and the requested outputs; run.h has its stages.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "merge/partial.h"
#include "net/address.h"
#include "plan/plan.h"
#include "report/outputs.h"
#include "sla/sla.h"

namespace surge::run {

struct RunOptions {
  std::vector<report::OutputRequest> outputs;
  uint32_t workers = 1;
  uint64_t max_requests = 0;  // quick mode -n; 0 = the phases decide
  uint64_t seed = 1;
  bool quiet = false;
  int target_pid = 0;  // --target-pid: monitor this process tree (overrides the plan's target_pid)
  std::vector<sla::Sla> slas;  // the plan's and --sla's, compiled (sla::compile_slas)
  std::optional<net::SocketAddress> prometheus;  // --prometheus: serve /metrics there while the run lasts
  std::chrono::nanoseconds linger{0};            // --linger: and this long after it (the final figures)
  std::string prometheus_token;                  // --prometheus-token: /metrics wants "Bearer <token>" ("" = none)
  // --grace: after Ctrl-C/SIGTERM, how long requests in flight may finish before the workers leave anyway
  std::chrono::nanoseconds grace = std::chrono::seconds(2);
  uint64_t log_requests = 0;       // --log-requests N: log at most N failed requests (0 = none)
  std::string log_requests_file;   // --log-requests-file: where (appended to); "" = stderr
  std::optional<merge::SegmentRun>
      segment;  // --segment I/N: run that segment and write a partial results.json
  std::optional<int64_t> start_at_unix_ns;  // --start-at: phase 0 starts at this wall-clock time
};

// --start-at may lie this far in the past when the run starts (a slow start, clocks a little apart): it then
// starts at once. Further in the past is an error (exit 2), since the segments could not have started together.
constexpr int64_t kStartAtToleranceNs = 1'000'000'000;

// Runs the plan and returns the process exit code, as results/exit_code.h defines it: 0 the SLAs passed, 99
// one failed, 2 bad usage found before any load (--start-at in the past, source addresses of the wrong
// family,
// --prometheus or the plan's proxy.listen cannot listen, --log-requests-file cannot be opened), 1 the run
// itself failed (1 wins over 99).
int run_plan(const plan::Plan& plan, const RunOptions& options);

}  // namespace surge::run
