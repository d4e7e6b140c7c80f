// Group cells in the stats grid: they travel in snapshots exactly, a receiving grid grows to the groups it is
// sent, they add across workers, and they never count as requests.
#include <gtest/gtest.h>

#include "metrics/snapshot.h"

namespace surge::metrics {
namespace {

TEST(GroupStats, RecordCountsRunsFailuresAndDurations) {
  GroupStats stats;
  stats.record(50'000'000, true);
  stats.record(70'000'000, false);
  EXPECT_EQ(stats.runs, 2u);
  EXPECT_EQ(stats.failed, 1u);
  EXPECT_EQ(stats.duration.count(), 2u);
  EXPECT_EQ(stats.duration.min(), 50'000'000);
}

TEST(GroupStats, TravelInASnapshotAndGrowTheReceivingGrid) {
  Snapshot sent(2, 3);
  sent.grid = StatsGrid(2, 3, 0, 0, 2);
  sent.grid.group(1, 1).record(60'000'000, true);
  sent.grid.group(1, 1).record(80'000'000, false);
  std::string frame;
  encode_frame(sent, frame);
  Snapshot received(2, 3);  // the coordinator's grid does not know the plan's groups
  ASSERT_TRUE(decode_frame(std::string_view(frame).substr(4), received));
  ASSERT_EQ(received.grid.group_count(), 2u);
  EXPECT_EQ(received.grid.group(1, 1).runs, 2u);
  EXPECT_EQ(received.grid.group(1, 1).failed, 1u);
  EXPECT_TRUE(received.grid.group(1, 1).duration == sent.grid.group(1, 1).duration);
  EXPECT_TRUE(received.grid.group(0, 1).empty());
  EXPECT_EQ(received.grid.total().total(), 0u) << "group runs are not requests";
}

TEST(GroupStats, AddAcrossWorkersAndPhases) {
  StatsGrid totals(2, 1);
  StatsGrid worker(2, 1, 0, 0, 1);
  worker.group(0, 0).record(10'000'000, true);
  worker.group(1, 0).record(20'000'000, false);
  totals.add(worker);
  totals.add(worker);
  EXPECT_EQ(totals.group(0, 0).runs, 2u);
  GroupStats sum = totals.group_total(0);
  EXPECT_EQ(sum.runs, 4u);
  EXPECT_EQ(sum.failed, 2u);
  EXPECT_EQ(sum.duration.max(), worker.group(1, 0).duration.max());
}

TEST(GroupStats, ACountOfFailedRunsAboveRunsIsRejected) {
  std::string encoded;
  encoded += static_cast<char>(1);  // runs
  encoded += static_cast<char>(2);  // failed
  std::string_view in = encoded;
  GroupStats stats;
  EXPECT_FALSE(stats.decode_into(in));
}

}  // namespace
}  // namespace surge::metrics
