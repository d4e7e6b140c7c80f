// What surge compare reads of one results.json: for the run, each phase and each step, the counts, the whole
// latency histogram and the per-second figures the noise estimate needs. Comparison works on
// these alone, so its math is tested on figures built in memory.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compare/metric.h"
#include "metrics/histogram.h"

namespace surge::compare {

enum class ScopeKind { kRun, kPhase, kStep };

// One second of the time series, as far as it concerns one scope (read, its values added to the scope's
// per_second, and dropped).
struct SecondFigures {
  uint64_t t_s = 0;
  double length_s = 1;  // 1, or less for the run's last second when the run ended inside it
  uint64_t requests = 0;
  uint64_t errors = 0;
  // The latency percentiles (ms) of the responses completed in that second, in kPercentileCount order; a
  // percentile the row does not carry (a step row's p999) or a second without responses is nullopt.
  std::array<std::optional<double>, kPercentileCount> latency_ms;
};

struct ScopeFigures {
  ScopeKind kind = ScopeKind::kRun;
  std::string scenario;  // steps only
  std::string group;     // steps inside a group only: "outer::inner"
  std::string name;      // the phase's or step's name; "run" for the run
  uint64_t requests = 0;
  uint64_t errors = 0;
  double throughput_rps = 0;  // results.json's: requests / the scope's duration
  // The scope's whole latency histogram (ns); empty when no response completed or the file has none.
  metrics::Histogram latency;
  // results.json's exact latency_ms min and max, which bound the percentiles read from the histogram's
  // buckets exactly as the run bounded its own (so compare's p50 is the file's latency_ms.p50).
  std::optional<double> latency_min_ms, latency_max_ms;
  bool has_latency_histogram = false;  // false when latency_ms is there but latency_hdr is not (older files)
  // Each metric's values over the seconds of the time series that belong to the scope, in order (add_second
  // in noise.h), indexed by Metric: 8 bytes a second, so a day-long run's scope holds 86,400 × 7 of them.
  std::array<std::vector<double>, kMetricCount> per_second;

  const std::vector<double>& values(Metric metric) const { return per_second[static_cast<size_t>(metric)]; }
};

struct RunFigures {
  std::string source;  // the file it was read from, as named on the command line
  std::string plan;
  std::string surge_version;
  int64_t started_at_unix_ms = 0;
  double duration_s = 0;
  // Why the figures cover less than the whole plan ("interrupted at 3.2 s", the stop_reason); empty for a
  // run that ran its plan.
  std::string incomplete;
  ScopeFigures run;
  std::vector<ScopeFigures> phases;
  std::vector<ScopeFigures> steps;
};

// "run", "phase steady", "step browse / home" ("step browse / checkout / pay" inside a group).
std::string scope_label(const ScopeFigures& scope);

}  // namespace surge::compare
