// TimerHeap: order, cancel, re-arm, and handlers that schedule during expiry.
#include "core/timer_heap.h"

#include <gtest/gtest.h>

#include <vector>

namespace surge::core {
namespace {

struct RecordingTimer final : Timer {
  RecordingTimer(std::vector<int>& log, int id) : log(log), id(id) {}
  void on_timer() override { log.push_back(id); }
  std::vector<int>& log;
  int id;
};

TEST(TimerHeap, FiresDueTimersEarliestFirstAndLeavesLaterOnes) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer a(log, 1), b(log, 2), c(log, 3);
  heap.schedule(a, 30);
  heap.schedule(b, 10);
  heap.schedule(c, 20);
  EXPECT_EQ(heap.expire(25), 2u);
  EXPECT_EQ(log, (std::vector<int>{2, 3}));
  EXPECT_TRUE(a.is_armed());
  EXPECT_EQ(heap.next_deadline_ns(), 30);
}

TEST(TimerHeap, EqualDeadlinesFireInSchedulingOrder) {
  std::vector<int> log;
  TimerHeap heap;
  std::vector<std::unique_ptr<RecordingTimer>> timers;
  for (int i = 0; i < 50; ++i) {
    timers.push_back(std::make_unique<RecordingTimer>(log, i));
    heap.schedule(*timers.back(), 5);
  }
  heap.expire(5);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(log[i], i);
}

TEST(TimerHeap, CancelledTimerNeverFires) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer a(log, 1), b(log, 2);
  heap.schedule(a, 10);
  heap.schedule(b, 20);
  heap.cancel(a);
  EXPECT_FALSE(a.is_armed());
  heap.expire(100);
  EXPECT_EQ(log, (std::vector<int>{2}));
}

TEST(TimerHeap, RescheduleMovesTheDeadline) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer a(log, 1), b(log, 2);
  heap.schedule(a, 10);
  heap.schedule(b, 20);
  heap.schedule(a, 30);
  EXPECT_EQ(heap.size(), 2u);
  heap.expire(25);
  EXPECT_EQ(log, (std::vector<int>{2}));
}

struct RearmingTimer final : Timer {
  explicit RearmingTimer(TimerHeap& heap) : heap(heap) {}
  void on_timer() override {
    if (++fired < 3) heap.schedule(*this, deadline_ns() + 1);
  }
  TimerHeap& heap;
  int fired = 0;
};

TEST(TimerHeap, HandlerMayRearmItselfAndFiresAgainWhenStillDue) {
  TimerHeap heap;
  RearmingTimer timer(heap);
  heap.schedule(timer, 1);
  heap.expire(10);
  EXPECT_EQ(timer.fired, 3);
  EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, KeepsHeapOrderUnderRandomScheduleAndCancel) {
  std::vector<int> log;
  TimerHeap heap;
  std::vector<std::unique_ptr<RecordingTimer>> timers;
  uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int i = 0; i < 1000; ++i) {
    timers.push_back(std::make_unique<RecordingTimer>(log, i));
    heap.schedule(*timers.back(), static_cast<int64_t>(next() % 10000));
  }
  for (int i = 0; i < 300; ++i) heap.cancel(*timers[next() % timers.size()]);
  int64_t last = -1;
  size_t remaining = heap.size();
  for (size_t i = 0; i < remaining; ++i) {
    int64_t deadline = heap.next_deadline_ns();
    EXPECT_GE(deadline, last);
    last = deadline;
    heap.expire(deadline);
    if (heap.empty()) break;
  }
  EXPECT_TRUE(heap.empty());
}

}  // namespace
}  // namespace surge::core
