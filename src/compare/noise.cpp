// Per-second values of each metric, their robust spread, and the two-run noise band.
#include "compare/noise.h"

#include <algorithm>
#include <cmath>

namespace surge::compare {

void add_second(ScopeFigures& scope, const SecondFigures& second) {
  const auto add = [&](Metric metric, double value) {
    scope.per_second[static_cast<size_t>(metric)].push_back(value);
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

std::optional<double> robust_spread(std::vector<double> values) {
  if (values.size() < kNoiseMinSeconds) return std::nullopt;
  const auto median = [](std::vector<double>& v) {
    const size_t half = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(half), v.end());
    const double upper = v[half];
    if (v.size() % 2 == 1) return upper;
    return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(half)) + upper) / 2;
  };
  const double middle = median(values);
  for (double& v : values) v = std::fabs(v - middle);
  return 1.4826 * median(values);
}

std::optional<double> noise_band(const std::vector<double>& base, const std::vector<double>& candidate) {
  const auto base_spread = robust_spread(base), candidate_spread = robust_spread(candidate);
  if (!base_spread || !candidate_spread) return std::nullopt;
  return 2 * std::sqrt(*base_spread * *base_spread / static_cast<double>(base.size()) +
                       *candidate_spread * *candidate_spread / static_cast<double>(candidate.size()));
}

}  // namespace surge::compare
