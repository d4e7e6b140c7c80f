// Whole-run SLA values from hand-built RunResults: each metric, scoped to exactly its cells, in the unit of
// its threshold, and "no data" where the metric saw no samples. Expected values are exact: every latency set
// is chosen so the percentile falls on a recorded extreme, which the histogram keeps exactly.
#include <gtest/gtest.h>

#include "results/run_result.h"
#include "sla/watch.h"
#include "sla_test_util.h"

namespace surge::sla {
namespace {

results::RunResult run_of(metrics::StatsGrid grid, double duration_s = 4, double phase_b_s = 2) {
  results::RunResult result;
  result.grid = std::move(grid);
  result.duration_s = duration_s;
  result.phases = {{"a", "closed", 2, 2, 0}, {"b", "closed", 2, phase_b_s, 0}};
  return result;
}

// Phase a: 100 responses of 20 ms on home; phase b: 100 of 300 ms on order.
results::RunResult two_speed_run() {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 100, 20 * kMs);
  record(grid, 1, 1, 100, 300 * kMs);
  return run_of(std::move(grid));
}

TEST(SlaMeasure, AnUnscopedPercentileReadsEveryCell) {
  // rank ceil(0.95 * 200) = 190 falls among the 300 ms responses.
  EXPECT_EQ(measure_run(make_sla("p95(latency) < 250ms"), two_speed_run()), 300.0);
}

TEST(SlaMeasure, AScopedPercentileReadsOnlyItsCells) {
  results::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("p95(latency{phase=a}) < 250ms"), run), 20.0);
  EXPECT_EQ(measure_run(make_sla("p95(latency{step=order}) < 250ms"), run), 300.0);
  EXPECT_EQ(measure_run(make_sla("p95(home) < 250ms"), run), 20.0);
  EXPECT_EQ(measure_run(make_sla("p95(latency{phase=a,step=order}) < 250ms"), run), std::nullopt);
}

TEST(SlaMeasure, GivesTheValueInTheUnitOfTheThreshold) {
  results::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1s"), run), 0.3);
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1us"), run), 300'000.0);
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1ns"), run), 300'000'000.0);
}

TEST(SlaMeasure, ReadsMinMeanAndMaxExactly) {
  results::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("min(latency) < 1ms"), run), 20.0);
  EXPECT_EQ(measure_run(make_sla("mean(latency) < 1ms"), run), 160.0);
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1ms"), run), 300.0);
}

TEST(SlaMeasure, ServiceTimeReadsTheServiceTimeHistogram) {
  EXPECT_EQ(measure_run(make_sla("p99(service_time) < 1ms"), two_speed_run()), 30.0);
}

TEST(SlaMeasure, ErrorRateIsErrorsOverRequestsInPercentOrAsAFraction) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 990, kMs, 10);
  record(grid, 1, 0, 50, kMs, 50);
  results::RunResult run = run_of(std::move(grid));
  EXPECT_DOUBLE_EQ(*measure_run(make_sla("error_rate < 1%"), run), 60.0 / 1100.0 * 100);
  EXPECT_EQ(measure_run(make_sla("error_rate{phase=a} < 1%"), run), 1.0);
  EXPECT_EQ(measure_run(make_sla("error_rate{phase=b} < 0.1"), run), 0.5);
}

TEST(SlaMeasure, ThroughputDividesByTheRunOrByTheScopedPhasesDuration) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 400, kMs);
  record(grid, 1, 0, 500, kMs, 100);
  results::RunResult run = run_of(std::move(grid), 4, 1.5);
  EXPECT_EQ(measure_run(make_sla("throughput > 1/s"), run), 250.0);
  EXPECT_EQ(measure_run(make_sla("throughput{phase=b} > 1/s"), run), 400.0);
  EXPECT_EQ(measure_run(make_sla("throughput{step=home} > 1"), run), 250.0);
}

TEST(SlaMeasure, CountsRequestsOfTheScope) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 7, kMs, 3);
  record(grid, 1, 1, 5, kMs);
  results::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(make_sla("requests > 1"), run), 15.0);
  EXPECT_EQ(measure_run(make_sla("requests{step=home} > 1"), run), 10.0);
}

TEST(SlaMeasure, ErrorRecoveryRateIsRecoveredOverRetriedOfTheScopeAndNoDataWithoutRetries) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 10, kMs);
  grid.cell(0, 0).retried = 8;
  grid.cell(0, 0).recovered = 6;
  grid.cell(1, 1).retried = 2;
  grid.cell(1, 1).recovered = 2;
  results::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(make_sla("error_recovery_rate > 95%"), run), 80.0);
  EXPECT_EQ(measure_run(make_sla("error_recovery_rate{phase=a} > 0.5"), run), 0.75);
  EXPECT_EQ(measure_run(make_sla("error_recovery_rate{step=home} > 95%"), run), 75.0);
  metrics::StatsGrid none(2, 2);
  record(none, 0, 0, 10, kMs);
  EXPECT_EQ(measure_run(make_sla("error_recovery_rate > 95%"), run_of(std::move(none))), std::nullopt);
}

// settle_s: the slowest of the scope's phases; a phase that never settled counts its whole length.
TEST(SlaMeasure, SettleIsTheSlowestPhaseOfTheScopeInTheThresholdsUnit) {
  results::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("settle_s < 1s"), run), std::nullopt) << "not measured (surge merge)";
  run.phases[0].settle_measured = run.phases[1].settle_measured = true;
  run.phases[0].settle_s = 0.4;
  EXPECT_EQ(measure_run(make_sla("settle_s{phase=a} < 500ms"), run), 400.0);
  EXPECT_EQ(measure_run(make_sla("settle_s < 1s"), run), 2.0) << "b never settled: its 2 s";
  run.phases[1].settle_s = 1.25;
  EXPECT_EQ(measure_run(make_sla("settle_s < 1s"), run), 1.25);
}

// recovery_s: the slowest applied fault; one never recovered counts from its end to the end of the run.
TEST(SlaMeasure, RecoveryIsTheSlowestAppliedFault) {
  auto parsed = parse_expression("recovery_s < 5s");
  ASSERT_TRUE(parsed.has_value());
  Sla sla;
  sla.expression = *parsed;
  sla.metric = Metric::kRecovery;
  results::RunResult run = two_speed_run();  // 4 s long
  EXPECT_EQ(measure_run(sla, run), std::nullopt) << "no fault";
  results::FaultOutcome fast, never, failed;
  fast.end_s = 1;
  fast.recovery_s = 0.5;
  never.end_s = 3;
  failed.end_s = 0;
  failed.failure = "no such process";
  run.faults = {fast, failed};
  EXPECT_EQ(measure_run(sla, run), 0.5);
  run.faults = {fast, never, failed};
  EXPECT_EQ(measure_run(sla, run), 1.0) << "never recovered: 4 s - 3 s";
  auto in_ms = parse_expression("recovery_s < 2500ms");
  sla.expression = *in_ms;
  EXPECT_EQ(measure_run(sla, run), 1000.0);
}

TEST(SlaMeasure, ReadsConnectionFailuresAndDropsOfThePhase) {
  metrics::StatsGrid grid(2, 2);
  grid.connections(0).opened = 3;
  grid.connections(0).failed = 1;
  grid.connections(1).opened = 6;
  grid.dropped_iterations(1) = 7;
  results::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate{phase=a} < 1%"), run), 25.0);
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate < 0.5"), run), 0.1);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=b} == 0"), run), 7.0);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=a} == 0"), run), 0.0);
}

TEST(SlaMeasure, AMetricWithoutSamplesHasNoData) {
  results::RunResult empty = run_of(metrics::StatsGrid(2, 2));
  EXPECT_EQ(measure_run(make_sla("p95(latency) < 1s"), empty), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("error_rate < 1%"), empty), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate < 1%"), empty), std::nullopt);
  // A count over real time is data, even when it is 0; a phase that never ran is not.
  EXPECT_EQ(measure_run(make_sla("requests < 10"), empty), 0.0);
  EXPECT_EQ(measure_run(make_sla("throughput < 10/s"), empty), 0.0);
  results::RunResult b_never_ran = run_of(metrics::StatsGrid(2, 2), 4, 0);
  EXPECT_EQ(measure_run(make_sla("requests{phase=b} < 10"), b_never_ran), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=b} == 0"), b_never_ran), std::nullopt);
}

}  // namespace
}  // namespace surge::sla

namespace surge::sla {
namespace {

// An SLA on custom metric 0 of a grid with one custom column, bound by hand (the shared plan has no metrics).
Sla custom_sla(std::string_view text, Metric metric) {
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  Sla sla;
  sla.expression = *parsed;
  sla.metric = metric;
  sla.custom_metric = 0;
  sla.scope.phases = {0, 1};
  return sla;
}

TEST(SlaMeasure, ATrendStatisticReadsTheMetricsValuesInTheirOwnUnit) {
  metrics::StatsGrid grid(2, 2, 0, 1);
  for (int i = 1; i <= 99; ++i) grid.custom(0, 0).record_trend(2.5);
  grid.custom(1, 0).record_trend(400);
  results::RunResult run = run_of(std::move(grid));
  auto p50 = measure_run(custom_sla("p50(trend(tokens)) < 10", Metric::kCustomTrend), run);
  ASSERT_TRUE(p50.has_value());
  EXPECT_NEAR(*p50, 2.5, 2.5 * 0.001);  // three significant digits
  auto max = measure_run(custom_sla("max(trend(tokens)) < 10", Metric::kCustomTrend), run);
  ASSERT_TRUE(max.has_value());
  EXPECT_NEAR(*max, 400, 400 * 0.001);
}

TEST(SlaMeasure, ACounterCountsOverItsPhasesAndATrendWithoutValuesHasNoData) {
  metrics::StatsGrid grid(2, 2, 0, 1);
  grid.custom(0, 0).hits = 7;
  grid.custom(1, 0).hits = 5;
  results::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(custom_sla("counter(misses) < 20", Metric::kCustomCounter), run), 12.0);
  EXPECT_EQ(measure_run(custom_sla("p95(trend(tokens)) < 1", Metric::kCustomTrend), run), std::nullopt);
}

}  // namespace
}  // namespace surge::sla
