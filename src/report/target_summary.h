// What target monitoring says about the whole run, derived from the baseline and the per-second samples:
// CPU used, peak memory, memory per connection and memory growth (a leak shows as a steady slope).
#pragma once

#include <cstdint>
#include <optional>

#include "results/run_result.h"

namespace surge::report {

struct TargetSummary {
  int pid = 0;
  double cpu_s = 0;               // CPU the target tree used from the baseline to the last sample
  double mean_cpu_percent = 0;    // cpu_s over the sampled wall time, in % of one core
  uint64_t baseline_rss_bytes = 0;
  uint64_t peak_rss_bytes = 0;
  uint64_t peak_open_fds = 0;
  uint64_t peak_threads = 0;
  // (RSS − baseline RSS) / open connections, at the second with the most open connections; absent when no
  // connection was open during a sampled second.
  std::optional<double> bytes_per_connection;
  // Least-squares slope of RSS over time, per minute; absent with fewer than 3 samples.
  std::optional<double> rss_growth_bytes_per_min;
};

std::optional<TargetSummary> summarize_target(const results::RunResult& result);

}  // namespace surge::report
