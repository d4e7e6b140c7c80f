// Everything a finished (or interrupted) run produced, in one value: the coordinator (or surge merge) fills
// it, and every output (terminal summary, results.json, CSV, HTML, ...) is a pure function of it. What the
// run is of (plan, phases, steps, ...) is its RunShape (run_shape.h); the rest is what happened.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/request_stats.h"
#include "results/run_shape.h"
#include "results/time_series.h"

namespace surge::results {

struct WorkerOutcome {
  int pid = 0;
  int exit_code = 0;    // when it exited
  int term_signal = 0;  // when a signal killed it
};

// Target monitoring: which process tree was sampled, and its state just before the load began.
struct TargetMonitoring {
  int pid = 0;
  TargetSample baseline;
};

// One SLA's verdict (src/sla/ judges it; the summary, results.json `sla[]` and the JUnit report show it).
struct SlaOutcome {
  std::string expr;        // as written
  std::string comparison;  // "<", "<=", ">", ">=", "==", "!="
  double threshold = 0;    // in `unit`
  std::string unit;  // of threshold and actual: "ms" (ns us ms s), "%", "/s", or "" (a fraction or a count)
  std::optional<double> actual;  // in `unit`; absent when the metric saw no samples ("no data", a failure)
  bool pass = false;
  std::optional<uint32_t> window_s;           // windowed SLAs: the window's length
  std::optional<uint64_t> worst_window_at_s;  // windowed SLAs: the end second of the window `actual` is from
  std::optional<uint64_t> breached_at_s;  // end second of the first window (or run-so-far check) that failed
  bool abort_on_fail = false;
  bool stopped_run = false;  // this SLA's breach stopped the run (abort_on_fail)
};

// One fault of the plan's timeline as it happened (docs/faults.md; results.json faults[]).
struct FaultOutcome {
  std::string kind;
  double at_s = 0;   // planned start, seconds after the start of the run
  double for_s = 0;  // planned length; 0 when it has none
  // Seconds after the start when recovery is counted from: the end of the fault (the restart's start for a
  // kill with restart; the signal or command for kill without restart, stop without for, cont and exec).
  double end_s = 0;
  std::optional<double> recovery_s;  // to the first success of the healthy period; absent: not recovered
  double stable_s = 5;
  uint64_t errors = 0;  // failed requests from the second the fault began to the second recovery came
  std::array<uint64_t, metrics::kErrorKindCount> errors_by_kind{};
  std::string failure;         // why it could not be applied; "" when it was
  std::string command_status;  // exec and restart: "exit 0", "signal 9 (Killed)", "running" at the end
};

struct RunResult : RunShape {
  RunShape& shape() { return *this; }
  const RunShape& shape() const { return *this; }

  metrics::StatsGrid grid{0, 0};
  uint64_t max_concurrent = 0;  // highest sum over workers of per-second peaks of open connections
  double duration_s = 0;
  int64_t started_at_unix_ms = 0;  // wall-clock time of the start of phase 0
  bool interrupted = false;
  std::optional<double> interrupted_at_s;  // seconds after the start when the first stop signal came
  std::string stop_reason;                 // why the run ended early ("" when it ran to its end)
  std::vector<WorkerOutcome> workers;
  double generator_cpu_s = 0;
  uint64_t generator_peak_rss_bytes = 0;
  TimeSeries timeseries;  // on disk: a row per second for as long as the run lasts
  std::vector<SlaOutcome> slas;
  std::vector<FaultOutcome> faults;                   // the plan's faults, in plan order
  std::optional<TargetMonitoring> target_monitoring;  // absent when no target was monitored
  int exit_code = 0;
  // Values no output may show (plan::Plan::secrets): every file, and the results.json printed to stdout when
  // a file cannot be written, has them replaced by "***".
  std::vector<std::string> secrets;
  // A --segment run: a JSON object holding results.json's `segment` and `partial` keys, which `surge merge`
  // reads (merge/partial.h builds it; docs/results.md). Empty for a whole run.
  std::string segment_keys;
};

}  // namespace surge::results
