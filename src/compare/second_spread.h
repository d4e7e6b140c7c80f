// The running mean and variance of one metric's per-second values (Welford's method), so the noise estimate
// of a day-long run's 86,400 seconds costs three numbers per scope and metric, not a row per second.
#pragma once

#include <cstdint>
#include <optional>

namespace surge::compare {

struct SecondSpread {
  uint64_t count = 0;
  double mean = 0;
  double squares = 0;  // the sum of squared deviations from the mean (Welford's M2)

  void add(double value) {
    ++count;
    const double before = mean;
    mean += (value - before) / static_cast<double>(count);
    squares += (value - before) * (value - mean);
  }
  // The sample variance (Bessel's n - 1); nullopt with fewer than 2 values.
  std::optional<double> sample_variance() const {
    if (count < 2) return std::nullopt;
    return squares / static_cast<double>(count - 1);
  }
};

}  // namespace surge::compare
