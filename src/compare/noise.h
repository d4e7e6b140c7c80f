// The noise estimate: how much a figure moves from second to second, and so how large a difference between
// two runs could be by chance alone (docs/compare.md#noise).
#pragma once

#include <optional>
#include <vector>

#include "compare/metric.h"
#include "compare/run_figures.h"

namespace surge::compare {

// The metric's value in each second of the scope that can give one, in value_unit: throughput = requests /
// 1 s over whole seconds only (a cut-short last second is left out), error_rate = errors / requests (%) over
// seconds with requests, a latency percentile over seconds with a figure for it.
std::vector<double> per_second_values(const ScopeFigures& scope, Metric metric);

// The noise band of the difference between two runs' figures, in value_unit: twice the standard error of
// the difference between their mean per-second values, 2·sqrt(s_b²/n_b + s_n²/n_n) with s² each run's
// sample variance over its n seconds (Welch's). nullopt when either run has fewer than 2 seconds.
std::optional<double> noise_band(const std::vector<double>& base, const std::vector<double>& candidate);

}  // namespace surge::compare
