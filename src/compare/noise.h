// The noise estimate: how much a figure moves from second to second, and so how large a difference between
// two runs could be by chance alone (docs/compare.md#noise).
#pragma once

#include <optional>

#include "compare/metric.h"
#include "compare/run_figures.h"

namespace surge::compare {

// Adds the value one second gives each metric of the scope, in value_unit: throughput = requests / 1 s for a
// whole second only (a last second cut short is left out), error_rate = errors / requests (%) for a second
// with requests, a latency percentile for a second with a figure for it.
void add_second(ScopeFigures& scope, const SecondFigures& second);

// The noise band of the difference between two runs' figures, in value_unit: twice the standard error of
// the difference between their mean per-second values, 2·sqrt(s_b²/n_b + s_n²/n_n) with s² each run's
// sample variance over its n seconds (Welch's). nullopt when either run has fewer than 2 seconds.
std::optional<double> noise_band(const SecondSpread& base, const SecondSpread& candidate);

}  // namespace surge::compare
