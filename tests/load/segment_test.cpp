// Segment shares: every count splits over n workers without remainder drift.
#include "load/segment.h"

#include <gtest/gtest.h>

namespace surge::load {
namespace {

TEST(Segment, SharesOfAllWorkersAddUpToTheTotal) {
  for (uint32_t workers = 1; workers <= 9; ++workers) {
    for (uint64_t total : {0ull, 1ull, 2ull, 7ull, 10ull, 99ull, 100000ull, 123456789ull}) {
      uint64_t sum = 0;
      for (uint32_t i = 0; i < workers; ++i) sum += Segment{i, workers}.share(total);
      EXPECT_EQ(sum, total) << total << " over " << workers;
    }
  }
}

TEST(Segment, SharesDifferByAtMostOne) {
  for (uint64_t total = 0; total < 50; ++total) {
    uint64_t low = UINT64_MAX, high = 0;
    for (uint32_t i = 0; i < 6; ++i) {
      uint64_t share = Segment{i, 6}.share(total);
      low = std::min(low, share);
      high = std::max(high, share);
    }
    EXPECT_LE(high - low, 1u);
  }
}

TEST(Segment, ThreeUsersOverTwoWorkersGiveOneAndTwo) {
  EXPECT_EQ((Segment{0, 2}.share(3)), 1u);
  EXPECT_EQ((Segment{1, 2}.share(3)), 2u);
}

TEST(Segment, HugeTotalsDoNotOverflow) {
  uint64_t total = UINT64_MAX / 2;
  EXPECT_EQ((Segment{0, 3}.share(total) + Segment{1, 3}.share(total) + Segment{2, 3}.share(total)), total);
}

TEST(Segment, DealtShareCountsTheItemsDealtRoundRobin) {
  for (uint32_t workers = 1; workers <= 7; ++workers) {
    for (uint64_t total = 0; total < 30; ++total) {
      uint64_t sum = 0;
      for (uint32_t i = 0; i < workers; ++i) {
        uint64_t dealt = 0;
        for (uint64_t k = 0; k < total; ++k) dealt += k % workers == i;
        EXPECT_EQ((Segment{i, workers}.dealt_share(total)), dealt)
            << total << " over " << workers << ", worker " << i;
        sum += Segment{i, workers}.dealt_share(total);
      }
      EXPECT_EQ(sum, total);
    }
  }
}

TEST(Segment, DealtSharesGiveTheRemainderToTheFirstWorkers) {
  EXPECT_EQ((Segment{0, 2}.dealt_share(41)), 21u);
  EXPECT_EQ((Segment{1, 2}.dealt_share(41)), 20u);
  EXPECT_EQ((Segment{0, 2}.share(41)), 20u) << "unlike share(), which gives it to the last";
}

}  // namespace
}  // namespace surge::load
