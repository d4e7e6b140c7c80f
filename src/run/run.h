// One `surge run`, in named stages: prepare (everything before the fork, where bad usage and an invalid plan
// are found), start (fork the workers, start the faults), load (each completed second, until every worker is
// gone, then the seconds still pending), finish (figures, verdicts, summary and outputs). A stage that cannot
// go on returns a RunError carrying the exit code and the message (results/exit_code.h); run_plan
// (coordinator.h) prints it and exits with it, in one place.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/event_loop.h"
#include "core/redaction.h"
#include "core/result.h"
#include "fault/fault_run.h"
#include "machine/target_monitor.h"
#include "merge/collector.h"
#include "merge/partial.h"
#include "observe/exporter.h"
#include "plan/plan.h"
#include "results/run_result.h"
#include "run/builtin_target.h"
#include "run/coordinator.h"
#include "run/progress.h"
#include "run/signal_relay.h"
#include "run/worker_pool.h"
#include "scenario/compiled_plan.h"
#include "sla/watch.h"

namespace surge::run {

// Why a stage stopped the run: the exit code (results::kExitUsage or kExitRunFailed) and the one-line message
// for stderr, prefix included ("surge: ...", "surge run: --flag ...").
struct RunError {
  int exit_code = 0;
  std::string message;
};
using Stage = core::Result<void, RunError>;

class Run {
 public:
  Run(const plan::Plan& plan, const RunOptions& options);
  ~Run();
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  // Before any process is forked: --start-at, the built-in target, the compiled plan, the source families,
  // the event loop, the faults' processes and proxy, the collector, the signals, /metrics and the target
  // monitor's baseline.
  Stage prepare();
  // --log-requests-file, then the workers forked to start together, then the faults scheduled from there.
  Stage start();
  // Runs the loop until every worker is gone, handing each completed second to on_second; then the seconds
  // the last workers completed as they left.
  void load();
  // Ends the faults and the target, fills the result, judges the SLAs, prints the summary and writes the
  // outputs. Returns the exit code: results::decide_exit_code's, or 1 when an output could not be written.
  int finish();

 private:
  enum class SecondKind { kLive, kAfterLastWorker };
  // One completed second, the same for the loop and the drain: the target's sample, the SLA windows, the
  // segment's record and the time series. A live second also goes to /metrics and the progress line, and may
  // stop the run (an abort_on_fail SLA, a target never reached); one after the last worker may not.
  void on_second(merge::CompletedSecond& second, SecondKind kind);
  void stop_early(const std::string& reason);

  Stage check_start_at() const;
  Stage start_builtin_target();
  Stage compile();
  Stage prepare_faults();
  Stage start_exporter();
  void start_monitor();
  Stage open_request_log(WorkerSetup& setup) const;
  int64_t start_delay_ns() const;
  void fill_generator_figures();

  const plan::Plan& plan_;
  const RunOptions& options_;
  const core::Redactor redactor_;
  std::optional<BuiltinTarget> builtin_;
  std::string target_url_;
  std::optional<scenario::CompiledPlan> compiled_;
  std::unique_ptr<core::EventLoop> loop_;
  std::unique_ptr<fault::FaultRun> fault_run_;  // `proxy:` and `faults:` (docs/faults.md); before the fork
  std::optional<merge::Collector> collector_;
  std::optional<WorkerPool> pool_;
  results::RunResult result_;
  std::optional<SignalRelay> relay_;
  std::unique_ptr<observe::Exporter> exporter_;  // after the loop: it must go first
  std::optional<machine::TargetMonitor> monitor_;
  int64_t start_ns_ = 0;  // phase 0's start, on the monotonic clock
  std::optional<Progress> progress_;
  std::optional<sla::SlaWatch> sla_watch_;
  std::optional<merge::PartialRecorder> partial_;
};

}  // namespace surge::run
