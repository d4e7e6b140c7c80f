// SLAs followed second by second: sliding windows (complete ones only, worst one reported), phase-scoped time
// bases, windows without samples, and abort_on_fail with and without a window, before and after its delay.
#include "sla/watch.h"

#include <gtest/gtest.h>

#include "results/run_result.h"
#include "sla_test_util.h"

namespace surge::sla {
namespace {

// One second's grid: `ok` responses of latency_ms (and `timeouts` errors) on step home of `phase`.
metrics::StatsGrid second_of(size_t phase, uint64_t ok, int64_t latency_ms, uint64_t timeouts = 0) {
  metrics::StatsGrid grid(2, 2);
  record(grid, phase, 0, ok, latency_ms * kMs, timeouts);
  return grid;
}

// Feeds seconds 1, 2, ... of phase a with ten responses each of these latencies; returns the stop reasons.
std::vector<std::string> feed_latencies(SlaWatch& watch, std::initializer_list<int64_t> latencies_ms) {
  std::vector<std::string> stops;
  uint64_t second = 0;
  for (int64_t latency : latencies_ms) {
    if (auto stop = watch.on_second(++second, 0, second_of(0, 10, latency))) stops.push_back(*stop);
  }
  return stops;
}

// A RunResult of the test plan's shape that lasted duration_s (which settles whether the last second was
// whole).
results::RunResult run_lasting(double duration_s, metrics::StatsGrid grid = metrics::StatsGrid(2, 2)) {
  results::RunResult result;
  result.grid = std::move(grid);
  result.duration_s = duration_s;
  return result;
}

results::SlaOutcome only_outcome(const SlaWatch& watch, const results::RunResult& result) {
  std::vector<results::SlaOutcome> outcomes = watch.outcomes(result);
  EXPECT_EQ(outcomes.size(), 1u);
  return outcomes.empty() ? results::SlaOutcome{} : outcomes[0];
}

TEST(SlaWindow, ReportsTheWorstCompleteWindowAndTheFirstBreach) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 2)});
  EXPECT_TRUE(feed_latencies(watch, {50, 50, 200, 50, 50}).empty());  // no abort_on_fail: never stops
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_EQ(outcome.expr, "p95(latency) < 100ms");
  EXPECT_EQ(outcome.actual, 200.0);  // windows ending at 2..5 s: 50, 200, 200, 50
  EXPECT_EQ(outcome.worst_window_at_s, 3u);
  EXPECT_EQ(outcome.breached_at_s, 3u);
  EXPECT_EQ(outcome.window_s, 2u);
  EXPECT_FALSE(outcome.pass);
  EXPECT_FALSE(outcome.stopped_run);
}

TEST(SlaWindow, PassesWhenNoWindowBreached) {
  SlaWatch watch({make_sla("p95(latency) <= 50ms", 2)});
  feed_latencies(watch, {50, 50, 50});
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_EQ(outcome.actual, 50.0);
  EXPECT_EQ(outcome.worst_window_at_s, 2u);
  EXPECT_EQ(outcome.breached_at_s, std::nullopt);
  EXPECT_TRUE(outcome.pass);
}

TEST(SlaWindow, ThroughputIsTheWindowsRequestsOverItsSeconds) {
  SlaWatch watch({make_sla("throughput > 150/s", 2)});
  watch.on_second(1, 0, second_of(0, 100, 1));
  watch.on_second(2, 0, second_of(0, 300, 1));
  watch.on_second(3, 0, second_of(0, 100, 1));
  EXPECT_EQ(only_outcome(watch, run_lasting(60)).actual, 200.0);
  EXPECT_TRUE(only_outcome(watch, run_lasting(60)).pass);
  watch.on_second(4, 0, metrics::StatsGrid(2, 2));  // the target stalled: nothing ended, 0/s is data
  EXPECT_EQ(only_outcome(watch, run_lasting(60)).actual, 50.0);
  EXPECT_EQ(only_outcome(watch, run_lasting(60)).worst_window_at_s, 4u);
  EXPECT_FALSE(only_outcome(watch, run_lasting(60)).pass);
}

TEST(SlaWindow, APhaseScopedWindowCountsOnlyThatPhasesSeconds) {
  SlaWatch watch({make_sla("throughput{phase=b} > 80/s", 2)});
  watch.on_second(1, 0, second_of(0, 100, 1));
  watch.on_second(2, 1, second_of(1, 100, 1));  // window ending at 2: 100 requests in 1 second of b
  watch.on_second(3, 1, second_of(1, 40, 1));   // window ending at 3: 140 requests in 2 seconds of b
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_EQ(outcome.actual, 70.0);
  EXPECT_EQ(outcome.worst_window_at_s, 3u);
  EXPECT_FALSE(outcome.pass);
}

TEST(SlaWindow, SkipsWindowsWithoutSamples) {
  SlaWatch watch({make_sla("error_rate < 1%", 1)});
  watch.on_second(1, 0, second_of(0, 100, 1));
  watch.on_second(2, 0, metrics::StatsGrid(2, 2));
  watch.on_second(3, 0, second_of(0, 99, 1, 1));
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_EQ(outcome.actual, 1.0);
  EXPECT_EQ(outcome.worst_window_at_s, 3u);
  EXPECT_FALSE(outcome.pass);
}

TEST(SlaWindow, FailsWithNoDataWhenNoWindowHadSamples) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 1)});
  watch.on_second(1, 0, second_of(0, 0, 1, 10));  // only timeouts: no latency
  watch.on_second(2, 0, second_of(0, 0, 1, 10));
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_EQ(outcome.actual, std::nullopt);
  EXPECT_EQ(outcome.worst_window_at_s, std::nullopt);
  EXPECT_FALSE(outcome.pass);
}

TEST(SlaWindow, ARunShorterThanTheWindowIsJudgedWhole) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 5)});
  feed_latencies(watch, {200, 200});
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(2, second_of(0, 10, 40)));
  EXPECT_EQ(outcome.actual, 40.0);
  EXPECT_EQ(outcome.worst_window_at_s, std::nullopt);
  EXPECT_TRUE(outcome.pass);
}

TEST(SlaWindow, ALastSecondCutShortCountsOnlyWhenTheRunCoversIt) {
  SlaWatch watch({make_sla("throughput > 50/s", 1)});
  watch.on_second(1, 0, second_of(0, 100, 1));
  watch.on_second(2, 0, second_of(0, 100, 1));
  watch.on_second(3, 0, second_of(0, 20, 1), false);  // the run ended 0.2 s into second 3
  results::SlaOutcome cut = only_outcome(watch, run_lasting(2.2));
  EXPECT_EQ(cut.actual, 100.0);
  EXPECT_TRUE(cut.pass);
  results::SlaOutcome whole = only_outcome(watch, run_lasting(3));
  EXPECT_EQ(whole.actual, 20.0);
  EXPECT_EQ(whole.worst_window_at_s, 3u);
  EXPECT_FALSE(whole.pass);
}

TEST(SlaAbort, StopsAtTheFirstBreachingWindowOnce) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 2, true)});
  std::vector<std::string> stops = feed_latencies(watch, {50, 50, 200, 200});
  EXPECT_EQ(
      stops,
      std::vector<std::string>{
          "SLA 'p95(latency) < 100ms' failed (abort_on_fail): 200ms over the 2 s window ending at 3 s"});
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(60));
  EXPECT_TRUE(outcome.stopped_run);
  EXPECT_TRUE(outcome.abort_on_fail);
  EXPECT_EQ(outcome.breached_at_s, 3u);
  EXPECT_FALSE(outcome.pass);
}

TEST(SlaAbort, WaitsForTheDelayButCountsEarlierBreaches) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 1, true, 3'000'000'000)});
  EXPECT_EQ(watch.on_second(1, 0, second_of(0, 10, 200)), std::nullopt);
  EXPECT_EQ(watch.on_second(2, 0, second_of(0, 10, 200)), std::nullopt);
  EXPECT_EQ(watch.on_second(3, 0, second_of(0, 10, 200)),
            "SLA 'p95(latency) < 100ms' failed (abort_on_fail): 200ms over the 1 s window ending at 3 s");
  EXPECT_EQ(only_outcome(watch, run_lasting(60)).breached_at_s, 1u);
}

TEST(SlaAbort, ASecondCutShortNeverStopsTheRun) {
  SlaWatch watch({make_sla("throughput > 50/s", 1, true)});
  EXPECT_EQ(watch.on_second(1, 0, second_of(0, 100, 1)), std::nullopt);
  EXPECT_EQ(watch.on_second(2, 0, second_of(0, 20, 1), false), std::nullopt);
  EXPECT_FALSE(only_outcome(watch, run_lasting(1.2)).stopped_run);
}

TEST(SlaAbort, WithoutAWindowJudgesTheRunSoFar) {
  SlaWatch watch({make_sla("error_rate < 10%", std::nullopt, true)});
  EXPECT_EQ(watch.on_second(1, 0, second_of(0, 100, 1)), std::nullopt);
  EXPECT_EQ(watch.on_second(2, 0, second_of(0, 70, 1, 30)),
            "SLA 'error_rate < 10%' failed (abort_on_fail): 15% over the first 2 s of the run");
  EXPECT_EQ(only_outcome(watch, run_lasting(60)).breached_at_s, 2u);
}

TEST(SlaAbort, OnlyTheFirstBreachStopsTheRun) {
  SlaWatch watch({make_sla("p95(latency) < 100ms", 1, true), make_sla("max(latency) < 100ms", 1, true)});
  EXPECT_EQ(watch.on_second(1, 0, second_of(0, 10, 200)),
            "SLA 'p95(latency) < 100ms' failed (abort_on_fail): 200ms over the 1 s window ending at 1 s");
  EXPECT_EQ(watch.on_second(2, 0, second_of(0, 10, 200)), std::nullopt);
  std::vector<results::SlaOutcome> outcomes = watch.outcomes(run_lasting(2));
  EXPECT_TRUE(outcomes[0].stopped_run);
  EXPECT_FALSE(outcomes[1].stopped_run);
  EXPECT_EQ(outcomes[1].breached_at_s, 1u);
}

TEST(SlaOutcome, AnSlaWithoutAWindowIsJudgedOnTheWholeRun) {
  SlaWatch watch({make_sla("p95(latency) < 250ms")});
  feed_latencies(watch, {900, 900});  // seconds do not matter to it
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(2, second_of(0, 10, 40)));
  EXPECT_EQ(outcome.comparison, "<");
  EXPECT_EQ(outcome.threshold, 250);
  EXPECT_EQ(outcome.unit, "ms");
  EXPECT_EQ(outcome.actual, 40.0);
  EXPECT_EQ(outcome.window_s, std::nullopt);
  EXPECT_EQ(outcome.breached_at_s, std::nullopt);
  EXPECT_TRUE(outcome.pass);
}

TEST(SlaOutcome, NoDataFails) {
  SlaWatch watch({make_sla("error_rate < 1%")});
  results::SlaOutcome outcome = only_outcome(watch, run_lasting(2));
  EXPECT_EQ(outcome.actual, std::nullopt);
  EXPECT_FALSE(outcome.pass);
}

}  // namespace
}  // namespace surge::sla
