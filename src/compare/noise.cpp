// Per-second values and the two-run noise band.
#include "compare/noise.h"

#include <cmath>

namespace surge::compare {
namespace {

// The sample variance over n (Bessel's n - 1), divided by n: the squared standard error of the mean.
double squared_standard_error(const std::vector<double>& values) {
  const double n = static_cast<double>(values.size());
  double mean = 0;
  for (double v : values) mean += v;
  mean /= n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return squares / (n - 1) / n;
}

}  // namespace

std::vector<double> per_second_values(const ScopeFigures& scope, Metric metric) {
  std::vector<double> values;
  for (const SecondFigures& second : scope.seconds) {
    if (metric == Metric::kThroughput) {
      if (second.length_s >= 1) values.push_back(static_cast<double>(second.requests));
    } else if (metric == Metric::kErrorRate) {
      if (second.requests > 0)
        values.push_back(100.0 * static_cast<double>(second.errors) / static_cast<double>(second.requests));
    } else if (const auto& value = second.latency_ms[percentile_index(metric)]) {
      values.push_back(*value);
    }
  }
  return values;
}

std::optional<double> noise_band(const std::vector<double>& base, const std::vector<double>& candidate) {
  if (base.size() < 2 || candidate.size() < 2) return std::nullopt;
  return 2 * std::sqrt(squared_standard_error(base) + squared_standard_error(candidate));
}

}  // namespace surge::compare
