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


// schedule_slack: one wake-up at the earliest deadline also fires the timers whose early window has opened.
TEST(TimerHeap, TimersWithAnEarlyWindowFireWithAnEarlierOne) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer due(log, 1), soon(log, 2), later(log, 3), beyond(log, 4);
  heap.schedule(due, 100);
  heap.schedule(soon, 150, 60);     // may fire from 90
  heap.schedule(later, 195, 100);   // may fire from 95
  heap.schedule(beyond, 250, 100);  // may fire from 150
  EXPECT_EQ(heap.expire(100), 3u);
  EXPECT_EQ(log, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(beyond.is_armed());
  EXPECT_EQ(heap.next_deadline_ns(), 250);  // the loop sleeps until a deadline, never an earliest moment
  EXPECT_EQ(beyond.earliest_ns(), 150);
}

TEST(TimerHeap, AnEarlyWindowNeverJumpsATimerThatMayNotFireYet) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer exact(log, 1), early(log, 2);
  heap.schedule(exact, 120);        // no early window: not before 120
  heap.schedule(early, 130, 100);   // open since 30, but behind `exact` in deadline order
  EXPECT_EQ(heap.expire(100), 0u);
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(heap.expire(120), 2u);
  EXPECT_EQ(log, (std::vector<int>{1, 2}));
}

TEST(TimerHeap, ReschedulingWithoutAWindowClosesIt) {
  std::vector<int> log;
  TimerHeap heap;
  RecordingTimer a(log, 1);
  heap.schedule(a, 200, 150);
  heap.schedule(a, 200);
  EXPECT_EQ(heap.expire(100), 0u);
  EXPECT_EQ(heap.expire(200), 1u);
}

}  // namespace
}  // namespace surge::core
