// Segment shares: every count splits over n workers without remainder drift.
#include "load/segment.h"

#include <gtest/gtest.h>

#include <vector>

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

TEST(Segment, ABudgetSplitAsTheUsersGivesNoneToAWorkerWithoutUsers) {
  // -c 1 -n 10 over two segments: segment 0 has no user, so all ten requests are segment 1's.
  EXPECT_EQ((Segment{0, 2}.share_in_proportion(10, 1)), 0u);
  EXPECT_EQ((Segment{1, 2}.share_in_proportion(10, 1)), 10u);
  // 3 users over 2 workers are 1 and 2: 10 requests split 3 and 7 (floor(10·1/3) = 3, then the rest).
  EXPECT_EQ((Segment{0, 2}.share_in_proportion(10, 3)), 3u);
  EXPECT_EQ((Segment{1, 2}.share_in_proportion(10, 3)), 7u);
}

TEST(Segment, BudgetSharesInProportionAddUpToTheTotalInsideMachineSegments) {
  for (uint64_t users : {1ull, 2ull, 5ull, 17ull}) {
    for (uint64_t budget : {0ull, 1ull, 10ull, 1001ull}) {
      uint64_t sum = 0;
      for (uint32_t machine = 0; machine < 3; ++machine) {
        for (uint32_t worker = 0; worker < 2; ++worker) {
          Segment piece = Segment::within({machine, 3}, worker, 2);
          uint64_t share = piece.share_in_proportion(budget, users);
          if (piece.share(users) == 0) {
            EXPECT_EQ(share, 0u) << users << " users, budget " << budget;
          }
          sum += share;
        }
      }
      EXPECT_EQ(sum, budget) << users << " users";
    }
  }
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

// --segment I/N with --workers W: the pieces of every machine, each machine with its own worker count.
std::vector<Segment> pieces(uint32_t machines, const std::vector<uint32_t>& workers_of) {
  std::vector<Segment> all;
  for (uint32_t machine = 0; machine < machines; ++machine) {
    const uint32_t workers = workers_of[machine % workers_of.size()];
    for (uint32_t worker = 0; worker < workers; ++worker) all.push_back(Segment::within({machine, machines}, worker, workers));
  }
  return all;
}

TEST(Segment, NestedSharesTileTheTotalInOrder) {
  for (uint32_t machines = 1; machines <= 5; ++machines) {
    for (uint32_t workers = 1; workers <= 4; ++workers) {
      for (uint64_t total : {0ull, 1ull, 2ull, 7ull, 10ull, 99ull, 100000ull, 123456789ull}) {
        uint64_t next = 0;
        for (const Segment& piece : pieces(machines, {workers})) {
          EXPECT_EQ(piece.first(total), next) << total << " over " << machines << "x" << workers;
          next += piece.share(total);
        }
        EXPECT_EQ(next, total) << total << " over " << machines << "x" << workers;
      }
    }
  }
}

TEST(Segment, AMachinesWorkersTogetherTakeExactlyItsSegmentsShare) {
  for (uint32_t machines = 1; machines <= 5; ++machines) {
    for (uint32_t workers = 1; workers <= 4; ++workers) {
      for (uint64_t total = 0; total < 60; ++total) {
        for (uint32_t machine = 0; machine < machines; ++machine) {
          uint64_t shared = 0, dealt = 0;
          for (uint32_t worker = 0; worker < workers; ++worker) {
            shared += Segment::within({machine, machines}, worker, workers).share(total);
            dealt += Segment::within({machine, machines}, worker, workers).dealt_share(total);
          }
          EXPECT_EQ(shared, (Segment{machine, machines}.share(total)));
          EXPECT_EQ(dealt, (Segment{machine, machines}.dealt_share(total)));
        }
      }
    }
  }
}

TEST(Segment, EveryItemOfAScheduleIsDealtToExactlyOnePieceEvenWithUnequalWorkerCounts) {
  const std::vector<Segment> all = pieces(3, {2, 1, 4});  // machines 0, 1, 2 run 2, 1 and 4 workers
  ASSERT_EQ(all.size(), 7u);
  std::vector<uint64_t> counted(all.size(), 0);
  for (uint64_t k = 0; k < 1000; ++k) {
    int owners = 0;
    for (size_t p = 0; p < all.size(); ++p) {
      if (k % all[p].count == all[p].index) {
        ++owners;
        ++counted[p];
      }
    }
    EXPECT_EQ(owners, 1) << "item " << k;
  }
  uint64_t shares = 0;
  for (size_t p = 0; p < all.size(); ++p) {
    EXPECT_EQ(all[p].dealt_share(1000), counted[p]) << "piece " << p;
    shares += all[p].share(1000);
  }
  EXPECT_EQ(shares, 1000u);
}

TEST(Segment, OneWorkerPerMachineIsTheSameAsOneProcessWithThatManyWorkers) {
  for (uint32_t i = 0; i < 4; ++i) {
    const Segment machine = Segment::within({i, 4}, 0, 1);
    const Segment local = Segment::within({0, 1}, i, 4);
    EXPECT_EQ(machine.index, local.index);
    EXPECT_EQ(machine.count, local.count);
    for (uint64_t total : {0ull, 3ull, 10ull, 1001ull}) {
      EXPECT_EQ(machine.share(total), local.share(total));
      EXPECT_EQ(machine.first(total), local.first(total));
    }
  }
}

TEST(Segment, SegmentTwoOfFourWithThreeWorkersDealsEveryFourthItemRoundRobin) {
  // Machine segment 2/4 owns items 2, 6, 10, 14, ...; its worker 1 of 3 gets the second of every three.
  const Segment piece = Segment::within({2, 4}, 1, 3);
  EXPECT_EQ(piece.index, 6u);
  EXPECT_EQ(piece.count, 12u);
  EXPECT_EQ(piece.inner_index(), 1u);
  EXPECT_EQ(piece.outer_index(), 2u);
  // 100 users: segment 2/4 has users 50..74; worker 1 of 3 of them has 58..65.
  EXPECT_EQ(piece.first(100), 58u);
  EXPECT_EQ(piece.share(100), 8u);
}

}  // namespace
}  // namespace surge::load
