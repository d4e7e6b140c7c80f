// Target summary arithmetic on hand-built runs: baseline subtraction, peaks, memory per connection at the
// busiest second, and the least-squares RSS slope.
#include "report/target_summary.h"

#include <gtest/gtest.h>

namespace surge::report {
namespace {

results::SecondRow row(uint64_t second, uint64_t open_connections, double cpu_s, uint64_t rss_bytes,
                       uint64_t fds = 10) {
  results::SecondRow out;
  out.second = second;
  out.open_connections = open_connections;
  out.target = results::TargetSample{cpu_s, 0, rss_bytes, fds, 2};
  return out;
}

results::RunResult monitored(uint64_t baseline_rss, double baseline_cpu_s) {
  results::RunResult result;
  result.target_monitoring =
      results::TargetMonitoring{4242, results::TargetSample{baseline_cpu_s, 0, baseline_rss, 5, 1}};
  return result;
}

TEST(TargetSummary, IsAbsentWhenNoTargetWasMonitored) {
  results::RunResult result;
  result.timeseries.push_back(row(1, 10, 1.0, 1000));
  EXPECT_FALSE(summarize_target(result).has_value());
}

TEST(TargetSummary, CpuIsTheLastSampleMinusTheBaseline) {
  results::RunResult result = monitored(1000, 2.5);
  result.timeseries = {row(1, 1, 3.0, 1000), row(2, 1, 3.5, 1000), row(4, 1, 4.5, 1000)};
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->pid, 4242);
  EXPECT_DOUBLE_EQ(summary->cpu_s, 2.0);
  EXPECT_DOUBLE_EQ(summary->mean_cpu_percent, 50.0);  // 2 s of CPU over 4 s
}

TEST(TargetSummary, BytesPerConnectionIsTakenAtTheSecondWithTheMostConnections) {
  results::RunResult result = monitored(1'000'000, 0);
  result.timeseries = {row(1, 100, 0, 1'100'000), row(2, 400, 0, 1'200'000), row(3, 200, 0, 1'500'000)};
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary && summary->bytes_per_connection);
  EXPECT_DOUBLE_EQ(*summary->bytes_per_connection, 500.0);  // (1.2 MB − 1 MB) / 400
  EXPECT_EQ(summary->peak_rss_bytes, 1'500'000u);
  EXPECT_EQ(summary->baseline_rss_bytes, 1'000'000u);
}

TEST(TargetSummary, BytesPerConnectionIsAbsentWithoutOpenConnections) {
  results::RunResult result = monitored(1000, 0);
  result.timeseries = {row(1, 0, 0, 2000), row(2, 0, 0, 3000), row(3, 0, 0, 4000)};
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->bytes_per_connection.has_value());
}

TEST(TargetSummary, RssGrowthIsTheLeastSquaresSlopePerMinute) {
  results::RunResult result = monitored(0, 0);
  // About 1,000 bytes more every second: the fitted slope is 980 B/s (Σdx·dy = 2450, Σdx² = 5).
  result.timeseries = {row(1, 1, 0, 1000), row(2, 1, 0, 2100), row(3, 1, 0, 2900), row(4, 1, 0, 4000)};
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary && summary->rss_growth_bytes_per_min);
  EXPECT_NEAR(*summary->rss_growth_bytes_per_min, 58'800.0, 1e-6);
}

TEST(TargetSummary, RssGrowthNeedsThreeSamples) {
  results::RunResult result = monitored(0, 0);
  result.timeseries = {row(1, 1, 0, 1000), row(2, 1, 0, 2000)};
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary);
  EXPECT_FALSE(summary->rss_growth_bytes_per_min.has_value());
}

TEST(TargetSummary, SecondsWithoutASampleAreSkippedForPeaks) {
  results::RunResult result = monitored(1000, 0);
  result.timeseries = {row(1, 1, 0, 2000, 30)};
  results::SecondRow gone;
  gone.second = 2;
  gone.open_connections = 50;  // no sample: the target exited
  result.timeseries.push_back(gone);
  auto summary = summarize_target(result);
  ASSERT_TRUE(summary && summary->bytes_per_connection);
  EXPECT_EQ(summary->peak_open_fds, 30u);
  EXPECT_DOUBLE_EQ(*summary->bytes_per_connection, 1000.0);  // from second 1, the only sampled one
}

}  // namespace
}  // namespace surge::report
