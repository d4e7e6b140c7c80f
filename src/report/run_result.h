// Everything a finished (or interrupted) run produced, in one value: the coordinator fills it, and every
// output (terminal summary, results.json, later CSV/HTML/...) is a pure function of it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/request_stats.h"
#include "report/time_series.h"

namespace surge::report {

struct StepName {
  std::string scenario;
  std::string name;
  bool is_request = true;  // think steps have a column in the grid but never count requests
  std::string group;       // the groups it is inside, outermost first: "outer::inner"; "" for none
  bool is_round_trip = false;  // a ws send that waits for its answer (results.json `websocket`, ws_rtt SLAs)
};

// One `group` of steps (the grid's group column of the same index holds its runs and durations).
struct GroupName {
  std::string scenario;
  std::string name;
  std::string path;  // its name after the groups it is inside: "outer::inner"
};

// One `expect` check or capture of a step (the grid's check column of the same index counts its verdicts).
struct CheckName {
  size_t step = 0;  // index into RunResult::steps
  std::string name;
};

// One custom metric of the plan (the grid's custom column of the same index holds its values).
struct CustomMetricName {
  std::string name;
  std::string kind;  // "rate", "counter" or "trend"
};

struct PhaseInfo {
  std::string name;
  std::string model;  // closed, open, constant, hold
  double planned_duration_s = 0;
  double duration_s = 0;  // how long it really ran (shorter when the run ended early)
  uint64_t max_concurrent = 0;
  // settle_s (docs/faults.md#settle_s): from the phase's start to the first success of its first healthy
  // period of stable_s, when that came within the phase. Not measured by surge merge (settle_measured false).
  double stable_s = 5;
  bool settle_measured = false;
  std::optional<double> settle_s;
};

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
  std::string unit;        // of threshold and actual: "ms" (ns us ms s), "%", "/s", or "" (a fraction or a count)
  std::optional<double> actual;  // in `unit`; absent when the metric saw no samples ("no data", a failure)
  bool pass = false;
  std::optional<uint32_t> window_s;           // windowed SLAs: the window's length
  std::optional<uint64_t> worst_window_at_s;  // windowed SLAs: the end second of the window `actual` is from
  std::optional<uint64_t> breached_at_s;      // end second of the first window (or run-so-far check) that failed
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
  std::string failure;        // why it could not be applied; "" when it was
  std::string command_status;  // exec and restart: "exit 0", "signal 9 (Killed)", "running" at the end
};

struct RunResult {
  std::string plan_name;
  std::string target;  // the URL (results.json target_url)
  std::string mode;  // the load models of the phases, e.g. "closed" or "closed+open"
  std::vector<PhaseInfo> phases;
  std::vector<StepName> steps;
  std::vector<CheckName> checks;
  std::vector<GroupName> groups;
  std::vector<CustomMetricName> custom_metrics;
  metrics::StatsGrid grid{0, 0};
  uint64_t max_concurrent = 0;  // highest sum over workers of per-second peaks of open connections
  double duration_s = 0;
  int64_t started_at_unix_ms = 0;  // wall-clock time of the start of phase 0
  bool interrupted = false;
  std::optional<double> interrupted_at_s;  // seconds after the start when the first stop signal came
  std::string stop_reason;  // why the run ended early ("" when it ran to its end)
  std::vector<WorkerOutcome> workers;
  double generator_cpu_s = 0;
  uint64_t generator_peak_rss_bytes = 0;
  TimeSeries timeseries;  // on disk: a row per second for as long as the run lasts
  std::vector<SlaOutcome> slas;
  std::vector<FaultOutcome> faults;  // the plan's faults, in plan order
  std::optional<TargetMonitoring> target_monitoring;  // absent when no target was monitored
  int exit_code = 0;
  // Values no output may show (plan::Plan::secrets): every file, and the results.json printed to stdout when
  // a file cannot be written, has them replaced by "***".
  std::vector<std::string> secrets;
  // A --segment run: a JSON object holding results.json's `segment` and `partial` keys, which `surge merge`
  // reads (run/partial.h builds it; docs/results.md). Empty for a whole run.
  std::string segment_keys;
};

}  // namespace surge::report
