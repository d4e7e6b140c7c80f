// The noise band: two standard errors of the difference of the runs' mean per-second values, and which
// seconds give a value for each metric.
#include "compare/noise.h"

#include <gtest/gtest.h>

#include <cmath>

namespace surge::compare {
namespace {

SecondFigures second(uint64_t t_s, uint64_t requests, uint64_t errors, std::optional<double> p50_ms,
                     double length_s = 1) {
  SecondFigures s;
  s.t_s = t_s;
  s.length_s = length_s;
  s.requests = requests;
  s.errors = errors;
  s.latency_ms[percentile_index(Metric::kP50)] = p50_ms;
  return s;
}

TEST(NoiseBand, IsTwoStandardErrorsOfTheDifferenceOfTheMeans) {
  // base: mean 11, sample variance 2, over 2 seconds: 1; candidate: variance 0.
  EXPECT_DOUBLE_EQ(*noise_band({10, 12}, {20, 20, 20, 20}), 2.0);
  // base: variance 1 over 3 seconds (1/3); candidate: variance 2 over 2 seconds (1): 2·sqrt(4/3).
  EXPECT_DOUBLE_EQ(*noise_band({1, 2, 3}, {4, 6}), 2 * std::sqrt(4.0 / 3.0));
}

TEST(NoiseBand, SteadySecondsHaveNone) { EXPECT_EQ(*noise_band({5, 5, 5}, {7, 7}), 0.0); }

TEST(NoiseBand, NeedsTwoSecondsInEachRun) {
  EXPECT_FALSE(noise_band({10}, {10, 12}));
  EXPECT_FALSE(noise_band({10, 12}, {}));
}

TEST(PerSecondValues, ThroughputCountsWholeSecondsOnly) {
  ScopeFigures scope;
  scope.seconds = {second(1, 180, 0, 10), second(2, 200, 0, 10), second(3, 7, 0, 10, 0.04)};
  EXPECT_EQ(per_second_values(scope, Metric::kThroughput), (std::vector<double>{180, 200}));
}

TEST(PerSecondValues, ErrorRateIsAPercentOfEachSecondWithRequests) {
  ScopeFigures scope;
  scope.seconds = {second(1, 200, 1, 10), second(2, 0, 0, std::nullopt), second(3, 50, 5, 10)};
  EXPECT_EQ(per_second_values(scope, Metric::kErrorRate), (std::vector<double>{0.5, 10}));
}

TEST(PerSecondValues, ALatencyPercentileComesFromSecondsWithAFigureForIt) {
  ScopeFigures scope;
  scope.seconds = {second(1, 200, 0, 10.5), second(2, 0, 0, std::nullopt), second(3, 50, 0, 11.25)};
  EXPECT_EQ(per_second_values(scope, Metric::kP50), (std::vector<double>{10.5, 11.25}));
  EXPECT_TRUE(per_second_values(scope, Metric::kP999).empty());
}

}  // namespace
}  // namespace surge::compare
