// Per-second values into each metric's spread, and the two-run noise band.
#include "compare/noise.h"

#include <cmath>

namespace surge::compare {

void add_second(ScopeFigures& scope, const SecondFigures& second) {
  const auto add = [&](Metric metric, double value) {
    scope.per_second[static_cast<size_t>(metric)].add(value);
  };
  if (second.length_s >= 1) add(Metric::kThroughput, static_cast<double>(second.requests));
  if (second.requests > 0)
    add(Metric::kErrorRate,
        100.0 * static_cast<double>(second.errors) / static_cast<double>(second.requests));
  for (Metric metric : kMetrics) {
    if (!is_latency(metric)) continue;
    if (const auto& value = second.latency_ms[percentile_index(metric)]) add(metric, *value);
  }
}

std::optional<double> noise_band(const SecondSpread& base, const SecondSpread& candidate) {
  const auto base_variance = base.sample_variance(), candidate_variance = candidate.sample_variance();
  if (!base_variance || !candidate_variance) return std::nullopt;
  // The squared standard error of each mean is its sample variance over its count.
  return 2 * std::sqrt(*base_variance / static_cast<double>(base.count) +
                       *candidate_variance / static_cast<double>(candidate.count));
}

}  // namespace surge::compare
