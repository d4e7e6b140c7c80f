// The comparison's math on figures built in memory: exact percentiles from histograms, deltas in % and in
// percentage points, limits in each metric's worse direction, and the noise band turning a delta beyond its
// limit into "within noise".
#include "compare/comparison.h"

#include <gtest/gtest.h>

#include <cmath>

#include "compare/noise.h"

namespace surge::compare {
namespace {

constexpr int64_t kMs = 1'000'000;

// A scope whose every response took latency_ms, `count` of them over `seconds` whole seconds, each second's
// p50 taken in turn from second_p50s (the noise estimate's data).
ScopeFigures scope_at(double latency_ms, uint64_t count, std::vector<double> second_p50s,
                      uint64_t errors = 0) {
  ScopeFigures scope;
  scope.requests = count;
  scope.errors = errors;
  scope.throughput_rps = static_cast<double>(count) / static_cast<double>(second_p50s.size());
  scope.latency.record_n(static_cast<int64_t>(latency_ms * kMs), count);
  scope.latency_min_ms = scope.latency_max_ms = latency_ms;
  scope.has_latency_histogram = true;
  for (size_t i = 0; i < second_p50s.size(); ++i) {
    SecondFigures second;
    second.t_s = i + 1;
    second.requests = count / second_p50s.size();
    second.errors = errors / second_p50s.size();
    second.latency_ms[percentile_index(Metric::kP50)] = second_p50s[i];
    add_second(scope, second);
  }
  return scope;
}

TEST(CompareMetric, AP50RiseBeyondItsLimitAndTheNoiseRegresses) {
  const MetricDelta d = compare_metric(scope_at(10, 1000, {10, 10, 10}), scope_at(15, 1000, {15, 15, 15}),
                                       Metric::kP50, default_limits());
  EXPECT_EQ(d.base, 10.0);
  EXPECT_EQ(d.candidate, 15.0);
  EXPECT_EQ(d.delta, 50.0);
  EXPECT_EQ(d.limit, 10.0);
  EXPECT_EQ(d.noise, 0.0);
  EXPECT_EQ(d.verdict, Verdict::kRegressed);
}

TEST(CompareMetric, ARiseOfExactlyTheLimitPasses) {
  const MetricDelta d = compare_metric(scope_at(10, 1000, {10, 10}), scope_at(11, 1000, {11, 11}),
                                       Metric::kP50, default_limits());
  EXPECT_EQ(d.delta, 10.0);
  EXPECT_EQ(d.verdict, Verdict::kPass);
}

TEST(CompareMetric, AFallInLatencyPassesHoweverLarge) {
  const MetricDelta d =
      compare_metric(scope_at(10, 1000, {10, 10}), scope_at(2, 1000, {2, 2}), Metric::kP95, default_limits());
  EXPECT_EQ(d.delta, -80.0);
  EXPECT_EQ(d.verdict, Verdict::kPass);
}

TEST(CompareMetric, ARiseBeyondTheLimitButWithinTheSecondsOwnVariationIsWithinNoise) {
  // base seconds 8, 12, 8, 12: median 10, every deviation 2, spread 1.4826 × 2 over 4 seconds; the
  // candidate's the same shifted by 1.5 ms. Band = 2·sqrt(2 · 2.9652² / 4) ms = 4.19 ms, 41.9 % of the
  // base's 10 ms; the delta is 15 %.
  const MetricDelta d =
      compare_metric(scope_at(10, 1000, {8, 12, 8, 12}), scope_at(11.5, 1000, {9.5, 13.5, 9.5, 13.5}),
                     Metric::kP50, default_limits());
  EXPECT_DOUBLE_EQ(*d.delta, 15.0);
  EXPECT_DOUBLE_EQ(*d.noise, 2 * std::sqrt(2 * (1.4826 * 2) * (1.4826 * 2) / 4) / 10 * 100);
  EXPECT_EQ(d.verdict, Verdict::kWithinNoise);
}

TEST(CompareMetric, OneStalledSecondDoesNotHideARegression) {
  // A 50 % rise; one second of each run stalled at 400 ms. The robust spread ignores it: the band is 0.
  const MetricDelta d = compare_metric(scope_at(10, 1000, {10, 10, 10, 400}),
                                       scope_at(15, 1000, {15, 15, 400, 15}), Metric::kP50, default_limits());
  EXPECT_EQ(d.noise, 0.0);
  EXPECT_EQ(d.verdict, Verdict::kRegressed);
}

TEST(CompareMetric, WithoutANoiseEstimateTheLimitAloneDecides) {
  const MetricDelta d =
      compare_metric(scope_at(10, 1000, {10}), scope_at(11.5, 1000, {11.5}), Metric::kP50, default_limits());
  EXPECT_FALSE(d.noise);
  EXPECT_EQ(d.verdict, Verdict::kRegressed);
}

TEST(CompareMetric, AThroughputFallBeyondItsLimitRegressesAndARisePasses) {
  const ScopeFigures base = scope_at(10, 400, {10, 10});  // 200/s, 200 each second
  const MetricDelta fall =
      compare_metric(base, scope_at(10, 360, {10, 10}), Metric::kThroughput, default_limits());
  EXPECT_EQ(fall.base, 200.0);
  EXPECT_EQ(fall.candidate, 180.0);
  EXPECT_EQ(fall.delta, -10.0);
  EXPECT_EQ(fall.limit, 5.0);
  EXPECT_EQ(fall.verdict, Verdict::kRegressed);
  const MetricDelta rise =
      compare_metric(base, scope_at(10, 600, {10, 10}), Metric::kThroughput, default_limits());
  EXPECT_EQ(rise.delta, 50.0);
  EXPECT_EQ(rise.verdict, Verdict::kPass);
}

TEST(CompareMetric, TheErrorRateMovesInPercentagePoints) {
  // 0.2 % (2 of 1000) to 1 % (10 of 1000): +0.8 pp, beyond +0.5 pp; each second had a third of them
  // (rounded down), the same in every second: no noise.
  const MetricDelta d =
      compare_metric(scope_at(10, 1000, {10, 10, 10}, 2), scope_at(10, 1000, {10, 10, 10}, 10),
                     Metric::kErrorRate, default_limits());
  EXPECT_EQ(d.base, 0.2);
  EXPECT_EQ(d.candidate, 1.0);
  EXPECT_DOUBLE_EQ(*d.delta, 0.8);
  EXPECT_EQ(d.noise, 0.0);
  EXPECT_EQ(d.verdict, Verdict::kRegressed);
}

TEST(CompareMetric, AMetricWithoutALimitIsShownButNotJudged) {
  const MetricDelta d = compare_metric(scope_at(10, 1000, {10, 10}), scope_at(30, 1000, {30, 30}),
                                       Metric::kP90, default_limits());
  EXPECT_EQ(d.delta, 200.0);
  EXPECT_EQ(d.verdict, Verdict::kNotJudged);
}

TEST(CompareMetric, AScopeWithoutResponsesHasNoData) {
  ScopeFigures empty;
  const MetricDelta d = compare_metric(scope_at(10, 1000, {10, 10}), empty, Metric::kP99, default_limits());
  EXPECT_EQ(d.base, 10.0);
  EXPECT_FALSE(d.candidate);
  EXPECT_FALSE(d.delta);
  EXPECT_EQ(d.verdict, Verdict::kNoData);
  EXPECT_EQ(compare_metric(empty, empty, Metric::kErrorRate, default_limits()).verdict, Verdict::kNoData);
}

TEST(MetricValue, PercentilesComeFromTheWholeHistogram) {
  ScopeFigures scope;
  for (int64_t ms = 1; ms <= 1000; ++ms) scope.latency.record(ms * kMs);
  scope.latency_min_ms = 1;
  scope.latency_max_ms = 1000;
  // Rank 500 of 1..1000 ms is 500 ms, reported as its bucket's highest equivalent value: at most 1/1024
  // above it (HdrHistogram's 3 significant digits).
  EXPECT_EQ(*metric_value(scope, Metric::kP50),
            static_cast<double>(scope.latency.value_at_percentile(50)) / kMs);
  EXPECT_NEAR(*metric_value(scope, Metric::kP50), 500.0, 500.0 / 1024);
  EXPECT_NEAR(*metric_value(scope, Metric::kP999), 999.0, 999.0 / 1024);
  // A percentile stays within the file's exact max (the bucket's top, 999.29 ms, lies above 999.1).
  scope.latency_max_ms = 999.1;
  EXPECT_EQ(*metric_value(scope, Metric::kP999), 999.1);
}

TEST(LatencyDistribution, HasFivePointsPerHalvingOfTheTailThenTheMax) {
  // 1000 samples resolve ticks while 2^(t/5) <= 1000: t = 0..49, then the 100 % point.
  const ScopeFigures scope = scope_at(10, 1000, {10});
  const std::vector<LatencyPoint> points = latency_distribution(scope);
  ASSERT_EQ(points.size(), 51u);
  EXPECT_EQ(points[0].percentile, 0.0);
  EXPECT_EQ(points[5].percentile, 50.0);
  EXPECT_EQ(points.back().percentile, 100.0);
  for (const LatencyPoint& point : points) EXPECT_EQ(point.latency_ms, 10.0);
}

TEST(CompareRuns, ComparesTheRunThenEachPhaseThenEachStep) {
  RunFigures base;
  base.run = scope_at(10, 1000, {10, 10});
  base.phases = {scope_at(10, 500, {10}), scope_at(10, 500, {10})};
  base.phases[0].kind = base.phases[1].kind = ScopeKind::kPhase;
  base.phases[0].name = "warm";
  base.phases[1].name = "steady";
  base.steps = {scope_at(10, 1000, {10, 10})};
  base.steps[0].kind = ScopeKind::kStep;
  base.steps[0].scenario = "browse";
  base.steps[0].group = "visit";
  base.steps[0].name = "home";
  RunFigures candidate = base;
  candidate.steps[0] = scope_at(20, 1000, {20, 20});
  const Comparison comparison = compare_runs(base, candidate, default_limits());
  ASSERT_EQ(comparison.scopes.size(), 4u);
  EXPECT_EQ(comparison.scopes[0].label, "run");
  EXPECT_EQ(comparison.scopes[1].label, "phase warm");
  EXPECT_EQ(comparison.scopes[2].label, "phase steady");
  EXPECT_EQ(comparison.scopes[3].label, "step browse / visit / home");
  EXPECT_EQ(comparison.scopes[3].metrics.size(), kMetricCount);
  // The step's p50, p95 and p99 doubled (p90 and p999 have no limit); nothing else moved.
  EXPECT_EQ(comparison.count(Verdict::kRegressed), 3u);
  EXPECT_TRUE(comparison.has_regression());
}

TEST(CompareRuns, NotesARunThatDidNotRunItsWholePlan) {
  RunFigures base;
  base.source = "base.json";
  base.run = scope_at(10, 1000, {10, 10});
  RunFigures candidate = base;
  candidate.source = "new.json";
  candidate.incomplete = "interrupted at 1.5 s";
  EXPECT_EQ(compare_runs(base, candidate, default_limits()).notes,
            std::vector<std::string>{"'new.json' did not run its whole plan (interrupted at 1.5 s)"});
}

TEST(CompareRuns, NotesAScopeWhoseFileHasPercentilesButNoHistogram) {
  RunFigures base;
  base.source = "old.json";
  base.run = scope_at(10, 1000, {10, 10});
  ScopeFigures phase;
  phase.kind = ScopeKind::kPhase;
  phase.name = "steady";
  phase.requests = 1000;
  phase.latency_max_ms = 12;
  base.phases = {phase};
  RunFigures candidate = base;
  candidate.source = "new.json";
  candidate.phases[0] = scope_at(10, 1000, {10, 10});
  candidate.phases[0].kind = ScopeKind::kPhase;
  candidate.phases[0].name = "steady";
  const Comparison comparison = compare_runs(base, candidate, default_limits());
  EXPECT_EQ(comparison.notes,
            std::vector<std::string>{"phase steady: 'old.json' has no latency_hdr for it (written by "
                                     "an older surge), so its percentiles are not compared"});
  EXPECT_EQ(comparison.scopes[1].metrics[static_cast<size_t>(Metric::kP50)].verdict, Verdict::kNoData);
}

}  // namespace
}  // namespace surge::compare
