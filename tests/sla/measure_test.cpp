// Whole-run SLA values from hand-built RunResults: each metric, scoped to exactly its cells, in the unit of
// its threshold, and "no data" where the metric saw no samples. Expected values are exact: every latency set
// is chosen so the percentile falls on a recorded extreme, which the histogram keeps exactly.
#include <gtest/gtest.h>

#include "report/run_result.h"
#include "sla/watch.h"
#include "sla_test_util.h"

namespace surge::sla {
namespace {

report::RunResult run_of(metrics::StatsGrid grid, double duration_s = 4, double phase_b_s = 2) {
  report::RunResult result;
  result.grid = std::move(grid);
  result.duration_s = duration_s;
  result.phases = {{"a", "closed", 2, 2, 0}, {"b", "closed", 2, phase_b_s, 0}};
  return result;
}

// Phase a: 100 responses of 20 ms on home; phase b: 100 of 300 ms on order.
report::RunResult two_speed_run() {
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
  report::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("p95(latency{phase=a}) < 250ms"), run), 20.0);
  EXPECT_EQ(measure_run(make_sla("p95(latency{step=order}) < 250ms"), run), 300.0);
  EXPECT_EQ(measure_run(make_sla("p95(home) < 250ms"), run), 20.0);
  EXPECT_EQ(measure_run(make_sla("p95(latency{phase=a,step=order}) < 250ms"), run), std::nullopt);
}

TEST(SlaMeasure, GivesTheValueInTheUnitOfTheThreshold) {
  report::RunResult run = two_speed_run();
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1s"), run), 0.3);
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1us"), run), 300'000.0);
  EXPECT_EQ(measure_run(make_sla("max(latency) < 1ns"), run), 300'000'000.0);
}

TEST(SlaMeasure, ReadsMinMeanAndMaxExactly) {
  report::RunResult run = two_speed_run();
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
  report::RunResult run = run_of(std::move(grid));
  EXPECT_DOUBLE_EQ(*measure_run(make_sla("error_rate < 1%"), run), 60.0 / 1100.0 * 100);
  EXPECT_EQ(measure_run(make_sla("error_rate{phase=a} < 1%"), run), 1.0);
  EXPECT_EQ(measure_run(make_sla("error_rate{phase=b} < 0.1"), run), 0.5);
}

TEST(SlaMeasure, ThroughputDividesByTheRunOrByTheScopedPhasesDuration) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 400, kMs);
  record(grid, 1, 0, 500, kMs, 100);
  report::RunResult run = run_of(std::move(grid), 4, 1.5);
  EXPECT_EQ(measure_run(make_sla("throughput > 1/s"), run), 250.0);
  EXPECT_EQ(measure_run(make_sla("throughput{phase=b} > 1/s"), run), 400.0);
  EXPECT_EQ(measure_run(make_sla("throughput{step=home} > 1"), run), 250.0);
}

TEST(SlaMeasure, CountsRequestsOfTheScope) {
  metrics::StatsGrid grid(2, 2);
  record(grid, 0, 0, 7, kMs, 3);
  record(grid, 1, 1, 5, kMs);
  report::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(make_sla("requests > 1"), run), 15.0);
  EXPECT_EQ(measure_run(make_sla("requests{step=home} > 1"), run), 10.0);
}

TEST(SlaMeasure, ReadsConnectionFailuresAndDropsOfThePhase) {
  metrics::StatsGrid grid(2, 2);
  grid.connections(0) = {3, 1, 0};
  grid.connections(1) = {6, 0, 0};
  grid.dropped_iterations(1) = 7;
  report::RunResult run = run_of(std::move(grid));
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate{phase=a} < 1%"), run), 25.0);
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate < 0.5"), run), 0.1);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=b} == 0"), run), 7.0);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=a} == 0"), run), 0.0);
}

TEST(SlaMeasure, AMetricWithoutSamplesHasNoData) {
  report::RunResult empty = run_of(metrics::StatsGrid(2, 2));
  EXPECT_EQ(measure_run(make_sla("p95(latency) < 1s"), empty), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("error_rate < 1%"), empty), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("connections.failed_rate < 1%"), empty), std::nullopt);
  // A count over real time is data, even when it is 0; a phase that never ran is not.
  EXPECT_EQ(measure_run(make_sla("requests < 10"), empty), 0.0);
  EXPECT_EQ(measure_run(make_sla("throughput < 10/s"), empty), 0.0);
  report::RunResult b_never_ran = run_of(metrics::StatsGrid(2, 2), 4, 0);
  EXPECT_EQ(measure_run(make_sla("requests{phase=b} < 10"), b_never_ran), std::nullopt);
  EXPECT_EQ(measure_run(make_sla("dropped_iterations{phase=b} == 0"), b_never_ran), std::nullopt);
}

}  // namespace
}  // namespace surge::sla
