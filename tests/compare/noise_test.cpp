// The noise band: two standard errors of the difference of the runs' per-second levels, with the spread
// estimated robustly (MAD), and which seconds give a value for each metric.
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

TEST(RobustSpread, Is1Point4826TimesTheMedianAbsoluteDeviation) {
  // median 4.5 (of an even count, the mean of the middle two); deviations 2.5, 0.5 five times, 2.5, 4.5:
  // their median is 0.5.
  EXPECT_DOUBLE_EQ(*robust_spread({2, 4, 4, 4, 5, 5, 7, 9}), 1.4826 * 0.5);
  // median 11; deviations 1, 1, 0: their median is 1.
  EXPECT_DOUBLE_EQ(*robust_spread({10, 12, 11}), 1.4826);
}

TEST(RobustSpread, OneStalledSecondBarelyMovesIt) {
  EXPECT_EQ(*robust_spread({10, 10, 10, 10, 400}), 0.0);
  EXPECT_DOUBLE_EQ(*robust_spread({10, 11, 10, 11, 400}), 1.4826);
}

TEST(RobustSpread, NeedsThreeSeconds) { EXPECT_FALSE(robust_spread({10, 40})); }

TEST(NoiseBand, IsTwoStandardErrorsOfTheDifferenceOfTheLevels) {
  // base: spread 1.4826 over 3 seconds; candidate: 0 over 4: 2·sqrt(1.4826² / 3).
  EXPECT_DOUBLE_EQ(*noise_band({10, 12, 11}, {20, 20, 20, 20}), 2 * std::sqrt(1.4826 * 1.4826 / 3));
  // spreads 1.4826 over 3 seconds and 0.7413 over 8.
  EXPECT_DOUBLE_EQ(*noise_band({1, 2, 3}, {2, 4, 4, 4, 5, 5, 7, 9}),
                   2 * std::sqrt(1.4826 * 1.4826 / 3 + 0.7413 * 0.7413 / 8));
}

TEST(NoiseBand, SteadySecondsHaveNone) { EXPECT_EQ(*noise_band({5, 5, 5}, {7, 7, 7}), 0.0); }

TEST(NoiseBand, NeedsThreeSecondsInEachRun) {
  EXPECT_FALSE(noise_band({10, 12}, {10, 12, 11}));
  EXPECT_FALSE(noise_band({10, 12, 11}, {}));
}

TEST(AddSecond, ThroughputCountsWholeSecondsOnly) {
  ScopeFigures scope;
  for (const SecondFigures& s : {second(1, 180, 0, 10), second(2, 200, 0, 10), second(3, 7, 0, 10, 0.04)})
    add_second(scope, s);
  EXPECT_EQ(scope.values(Metric::kThroughput), (std::vector<double>{180, 200}));
}

TEST(AddSecond, ErrorRateIsAPercentOfEachSecondWithRequests) {
  ScopeFigures scope;
  for (const SecondFigures& s : {second(1, 200, 1, 10), second(2, 0, 0, std::nullopt), second(3, 50, 5, 10)})
    add_second(scope, s);
  EXPECT_EQ(scope.values(Metric::kErrorRate), (std::vector<double>{0.5, 10}));
}

TEST(AddSecond, ALatencyPercentileComesFromSecondsWithAFigureForIt) {
  ScopeFigures scope;
  for (const SecondFigures& s :
       {second(1, 200, 0, 10.5), second(2, 0, 0, std::nullopt), second(3, 50, 0, 11.25)})
    add_second(scope, s);
  EXPECT_EQ(scope.values(Metric::kP50), (std::vector<double>{10.5, 11.25}));
  EXPECT_TRUE(scope.values(Metric::kP999).empty());
}

}  // namespace
}  // namespace surge::compare
