// FeederCursor: the three orders, the split of one file across workers, recycle, and seeded randomness.
#include "templating/feeder_cursor.h"

#include <gtest/gtest.h>

#include <map>

namespace surge::templating {
namespace {

std::vector<Row> numbered_rows(int count) {
  std::vector<Row> rows;
  for (int i = 0; i < count; ++i) rows.push_back({std::to_string(i)});
  return rows;
}

std::string take(FeederCursor& cursor) {
  const Row* row = cursor.next();
  return row ? (*row)[0] : "null";
}

TEST(FeederCursor, SequentialWalksTheFileInOrderAndWraps) {
  const auto rows = numbered_rows(3);
  FeederCursor cursor(rows, Order::kSequential, false, 0, 1, 1);
  std::vector<std::string> got;
  for (int i = 0; i < 7; ++i) got.push_back(take(cursor));
  EXPECT_EQ(got, (std::vector<std::string>{"0", "1", "2", "0", "1", "2", "0"}));
}

TEST(FeederCursor, SequentialWorkersTakingTurnsGoThroughTheFileInOrderOncePerPass) {
  const auto rows = numbered_rows(10);
  std::vector<FeederCursor> workers;
  for (uint32_t w = 0; w < 3; ++w) workers.emplace_back(rows, Order::kSequential, false, w, 3, 1);
  std::vector<std::string> got;
  for (int turn = 0; turn < 30; ++turn) got.push_back(take(workers[turn % 3]));
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < 10; ++i) EXPECT_EQ(got[pass * 10 + i], std::to_string(i)) << "pass " << pass;
  }
}

TEST(FeederCursor, SequentialWorkerStartsAtItsIndexAndStepsByTheWorkerCount) {
  const auto rows = numbered_rows(10);
  FeederCursor cursor(rows, Order::kSequential, false, 2, 3, 1);
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) got.push_back(take(cursor));
  EXPECT_EQ(got, (std::vector<std::string>{"2", "5", "8", "1", "4"}));
}

TEST(FeederCursor, UniqueGivesEachRowOnceAcrossWorkersThenNothing) {
  const auto rows = numbered_rows(10);
  std::map<std::string, int> seen;
  for (uint32_t w = 0; w < 3; ++w) {
    FeederCursor cursor(rows, Order::kUnique, false, w, 3, 1);
    const int expected_rows = w == 0 ? 4 : 3;  // rows 0,3,6,9 / 1,4,7 / 2,5,8
    for (int i = 0; i < expected_rows; ++i) ++seen[take(cursor)];
    EXPECT_EQ(take(cursor), "null") << "worker " << w;
    EXPECT_EQ(take(cursor), "null") << "worker " << w;
  }
  ASSERT_EQ(seen.size(), 10u);
  for (const auto& [row, count] : seen) EXPECT_EQ(count, 1) << row;
}

TEST(FeederCursor, UniqueWithRecycleStartsOverWithTheSameRows) {
  const auto rows = numbered_rows(5);
  FeederCursor cursor(rows, Order::kUnique, true, 1, 2, 1);
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i) got.push_back(take(cursor));
  EXPECT_EQ(got, (std::vector<std::string>{"1", "3", "1", "3", "1"}));
}

TEST(FeederCursor, UniqueWorkerBeyondTheLastRowGetsNothingEvenWithRecycle) {
  const auto rows = numbered_rows(2);
  FeederCursor cursor(rows, Order::kUnique, true, 2, 3, 1);
  EXPECT_EQ(take(cursor), "null");
  EXPECT_EQ(take(cursor), "null");
}

TEST(FeederCursor, NoRowsGivesNothingInEveryOrder) {
  const std::vector<Row> rows;
  for (Order order : {Order::kSequential, Order::kRandom, Order::kUnique}) {
    FeederCursor cursor(rows, order, true, 0, 1, 1);
    EXPECT_EQ(cursor.next(), nullptr);
  }
}

TEST(FeederCursor, RandomIsReproducibleWithASeedAndDiffersPerWorker) {
  const auto rows = numbered_rows(100);
  auto draws = [&](uint32_t worker, uint64_t seed) {
    FeederCursor cursor(rows, Order::kRandom, false, worker, 4, seed);
    std::vector<std::string> got;
    for (int i = 0; i < 50; ++i) got.push_back(take(cursor));
    return got;
  };
  EXPECT_EQ(draws(1, 42), draws(1, 42));
  EXPECT_NE(draws(1, 42), draws(2, 42));
  EXPECT_NE(draws(1, 42), draws(1, 43));
}

TEST(FeederCursor, RandomPicksRowsRoughlyUniformlyAndNeverRunsOut) {
  const auto rows = numbered_rows(4);
  FeederCursor cursor(rows, Order::kRandom, false, 0, 1, 9);
  std::map<std::string, int> counts;
  for (int i = 0; i < 40000; ++i) ++counts[take(cursor)];
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [row, count] : counts) EXPECT_NEAR(count, 10000, 433) << row;  // 5 standard deviations
}

}  // namespace
}  // namespace surge::templating
