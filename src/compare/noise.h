// The noise estimate: how much a figure moves from second to second, and so how large a difference between
// two runs could be by chance alone (docs/compare.md#noise).
#pragma once

#include <optional>
#include <vector>

#include "compare/metric.h"
#include "compare/run_figures.h"

namespace surge::compare {

// Adds the value one second gives each metric of the scope, in value_unit: throughput = requests / 1 s for a
// whole second only (a last second cut short is left out), error_rate = errors / requests (%) for a second
// with requests, a latency percentile for a second with a figure for it.
void add_second(ScopeFigures& scope, const SecondFigures& second);

// Fewer seconds give no estimate: with two, the MAD is half their difference, and one slow second would make
// the band wider than any regression.
inline constexpr size_t kNoiseMinSeconds = 3;

// A robust estimate of the second-to-second standard deviation: 1.4826 × the median absolute deviation from
// the median (MAD; 1.4826 makes it the standard deviation for normally spread values). One stalled second
// among many moves it little, where it would swell the sample variance. nullopt below kNoiseMinSeconds.
std::optional<double> robust_spread(std::vector<double> values);

// The noise band of the difference between two runs' figures, in value_unit: twice the standard error of the
// difference between their per-second levels, 2·sqrt(s_b²/n_b + s_n²/n_n), with s each run's robust_spread
// over its n seconds. nullopt when either run has fewer than kNoiseMinSeconds seconds.
std::optional<double> noise_band(const std::vector<double>& base, const std::vector<double>& candidate);

}  // namespace surge::compare
