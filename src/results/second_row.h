// One second of a run, summed over workers: a row of results.json `timeseries[]` and of the csv, the hlog's
// interval, and what recovery and settle times are measured from.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/error_kind.h"
#include "metrics/outcome_times.h"

namespace surge::results {

// Percentiles of one second's latency histogram, in ms; absent when no response completed that second.
struct SecondLatency {
  double p50_ms = 0, p90_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

// One step's share of one second (only steps that ended a request that second have one).
struct StepSecond {
  size_t step = 0;  // index into RunResult::steps
  uint64_t requests = 0;
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::array<uint64_t, metrics::kErrorKindCount> by_error{};
  std::optional<SecondLatency> latency;
};

// The target's resources sampled from /proc at the end of one second (target monitoring).
struct TargetSample {
  double cpu_s = 0;        // user + system CPU time since the target started
  double cpu_percent = 0;  // of one core, over this second
  uint64_t rss_bytes = 0;  // resident memory
  uint64_t open_fds = 0;   // open file descriptors (sockets included)
  uint64_t threads = 0;
};

// One second of the run (second k covers [k-1, k) seconds after the start), summed over workers.
struct SecondRow {
  uint64_t second = 0;
  std::string phase;
  uint64_t requests = 0;
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::array<uint64_t, metrics::kErrorKindCount> by_error{};
  uint64_t active_users = 0;
  uint64_t open_connections = 0;
  std::optional<SecondLatency> latency;
  std::string latency_encoded;  // the second's latency histogram, metrics::Histogram::encode format
  std::vector<StepSecond> steps;
  std::optional<TargetSample> target;
  metrics::OutcomeTimes outcomes;  // monotonic times of the second's first success, last error, ... (faults)
};

}  // namespace surge::results
