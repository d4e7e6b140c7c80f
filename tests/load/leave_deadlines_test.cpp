// LeaveDeadlines: a slot's deadline fires once, after the ones before it; disarming and re-arming behave,
// and an armed slot keeps its earlier deadline. Deadlines are placed relative to the loop's own clock: one in
// the past fires at the next run_once, one an hour away never does during the test.
#include "load/leave_deadlines.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/clock.h"

namespace surge::load {
namespace {

constexpr int64_t kHourNs = 3600 * core::kNsPerSec;

struct Recorder final : LeaveDeadlines::Handler {
  void on_deadline_passed(uint32_t slot) override { fired.push_back(slot); }
  std::vector<uint32_t> fired;
};

class LeaveDeadlinesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = core::EventLoop::create();
    ASSERT_TRUE(created.has_value());
    loop = std::move(created).value();
    deadlines = std::make_unique<LeaveDeadlines>(*loop, recorder, 8);
  }
  void run() { ASSERT_TRUE(loop->run_once(0).has_value()); }
  int64_t past(int64_t ns_ago) { return loop->now_ns() - ns_ago; }

  std::unique_ptr<core::EventLoop> loop;
  Recorder recorder;
  std::unique_ptr<LeaveDeadlines> deadlines;
};

TEST_F(LeaveDeadlinesTest, PassedDeadlinesFireOnceInDeadlineOrder) {
  deadlines->arm(5, past(100));
  deadlines->arm(2, past(300));
  deadlines->arm(7, past(200));
  deadlines->arm(1, loop->now_ns() + kHourNs);
  run();
  EXPECT_EQ(recorder.fired, (std::vector<uint32_t>{2, 7, 5}));
  EXPECT_EQ(deadlines->armed(), 1u);
  EXPECT_FALSE(deadlines->is_armed(5));
  EXPECT_TRUE(deadlines->is_armed(1));
  run();
  EXPECT_EQ(recorder.fired.size(), 3u);
}

TEST_F(LeaveDeadlinesTest, ADisarmedSlotNeverFires) {
  deadlines->arm(3, past(100));
  deadlines->arm(4, past(100));
  deadlines->disarm(3);
  run();
  EXPECT_EQ(recorder.fired, (std::vector<uint32_t>{4}));
}

TEST_F(LeaveDeadlinesTest, AnArmedSlotKeepsItsEarlierDeadline) {
  deadlines->arm(6, past(100));
  deadlines->arm(6, loop->now_ns() + kHourNs);
  EXPECT_EQ(deadlines->armed(), 1u);
  run();
  EXPECT_EQ(recorder.fired, (std::vector<uint32_t>{6}));
}

TEST_F(LeaveDeadlinesTest, DisarmOneTakesTheLatestArmed) {
  deadlines->arm(0, loop->now_ns() + kHourNs);
  deadlines->arm(4, loop->now_ns() + kHourNs);
  deadlines->arm(2, loop->now_ns() + kHourNs);
  EXPECT_EQ(deadlines->disarm_one(), 2u);
  EXPECT_EQ(deadlines->disarm_one(), 4u);
  EXPECT_EQ(deadlines->armed(), 1u);
  EXPECT_TRUE(deadlines->is_armed(0));
}

TEST_F(LeaveDeadlinesTest, DisarmingTheMiddleKeepsTheOthersArmed) {
  for (uint32_t slot : {1u, 2u, 3u}) deadlines->arm(slot, past(10));
  deadlines->disarm(2);
  EXPECT_TRUE(deadlines->is_armed(1));
  EXPECT_TRUE(deadlines->is_armed(3));
  run();
  EXPECT_EQ(recorder.fired, (std::vector<uint32_t>{1, 3}));
}

}  // namespace
}  // namespace surge::load
