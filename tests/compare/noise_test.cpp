// The noise band: two standard errors of the difference of the runs' mean per-second values, and which
// seconds give a value for each metric.
#include "compare/noise.h"

#include <gtest/gtest.h>

#include <cmath>

namespace surge::compare {
namespace {

SecondSpread spread_of(std::vector<double> values) {
  SecondSpread spread;
  for (double v : values) spread.add(v);
  return spread;
}

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

TEST(SecondSpread, KeepsTheMeanAndTheSampleVariance) {
  const SecondSpread spread = spread_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(spread.count, 8u);
  EXPECT_DOUBLE_EQ(spread.mean, 5.0);
  EXPECT_DOUBLE_EQ(*spread.sample_variance(), 32.0 / 7.0);
  EXPECT_FALSE(spread_of({3}).sample_variance());
}

TEST(NoiseBand, IsTwoStandardErrorsOfTheDifferenceOfTheMeans) {
  // base: mean 11, sample variance 2, over 2 seconds: 1; candidate: variance 0.
  EXPECT_DOUBLE_EQ(*noise_band(spread_of({10, 12}), spread_of({20, 20, 20, 20})), 2.0);
  // base: variance 1 over 3 seconds (1/3); candidate: variance 2 over 2 seconds (1): 2·sqrt(4/3).
  EXPECT_DOUBLE_EQ(*noise_band(spread_of({1, 2, 3}), spread_of({4, 6})), 2 * std::sqrt(4.0 / 3.0));
}

TEST(NoiseBand, SteadySecondsHaveNone) {
  EXPECT_EQ(*noise_band(spread_of({5, 5, 5}), spread_of({7, 7})), 0.0);
}

TEST(NoiseBand, NeedsTwoSecondsInEachRun) {
  EXPECT_FALSE(noise_band(spread_of({10}), spread_of({10, 12})));
  EXPECT_FALSE(noise_band(spread_of({10, 12}), spread_of({})));
}

TEST(AddSecond, ThroughputCountsWholeSecondsOnly) {
  ScopeFigures scope;
  for (const SecondFigures& s : {second(1, 180, 0, 10), second(2, 200, 0, 10), second(3, 7, 0, 10, 0.04)})
    add_second(scope, s);
  EXPECT_EQ(scope.spread(Metric::kThroughput).count, 2u);
  EXPECT_EQ(scope.spread(Metric::kThroughput).mean, 190.0);
}

TEST(AddSecond, ErrorRateIsAPercentOfEachSecondWithRequests) {
  ScopeFigures scope;
  for (const SecondFigures& s : {second(1, 200, 1, 10), second(2, 0, 0, std::nullopt), second(3, 50, 5, 10)})
    add_second(scope, s);
  EXPECT_EQ(scope.spread(Metric::kErrorRate).count, 2u);
  EXPECT_EQ(scope.spread(Metric::kErrorRate).mean, 5.25);  // (0.5 % + 10 %) / 2
}

TEST(AddSecond, ALatencyPercentileComesFromSecondsWithAFigureForIt) {
  ScopeFigures scope;
  for (const SecondFigures& s :
       {second(1, 200, 0, 10.5), second(2, 0, 0, std::nullopt), second(3, 50, 0, 11.25)})
    add_second(scope, s);
  EXPECT_EQ(scope.spread(Metric::kP50).count, 2u);
  EXPECT_EQ(scope.spread(Metric::kP50).mean, 10.875);
  EXPECT_EQ(scope.spread(Metric::kP999).count, 0u);
}

}  // namespace
}  // namespace surge::compare
