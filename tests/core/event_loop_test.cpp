// EventLoop over real fds (a pipe) and real time: readiness dispatch and timer deadlines.
#include "core/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/clock.h"

namespace surge::core {
namespace {

struct PipeReader final : EventHandler {
  explicit PipeReader(int fd) : fd(fd) {}
  void on_event(uint32_t events) override {
    char buffer[16];
    if (events & EPOLLIN) got += static_cast<int>(read(fd, buffer, sizeof buffer));
  }
  int fd;
  int got = 0;
};

struct StopTimer final : Timer {
  explicit StopTimer(EventLoop& loop) : loop(loop) {}
  void on_timer() override {
    fired_at = loop.now_ns();
    loop.stop();
  }
  EventLoop& loop;
  int64_t fired_at = 0;
};

TEST(EventLoop, DispatchesReadableFdToItsHandler) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  PipeReader reader(fds[0]);
  ASSERT_TRUE((*loop)->add(fds[0], EPOLLIN, &reader));
  ASSERT_EQ(write(fds[1], "hello", 5), 5);
  ASSERT_TRUE((*loop)->run_once(kNsPerSec));
  EXPECT_EQ(reader.got, 5);
  close(fds[0]);
  close(fds[1]);
}

TEST(EventLoop, TimerFiresNoEarlierThanItsDeadline) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  StopTimer timer(**loop);
  int64_t deadline = monotonic_ns() + 20 * kNsPerMs;
  (*loop)->schedule(timer, deadline);
  ASSERT_TRUE((*loop)->run());
  EXPECT_GE(timer.fired_at, deadline);
  EXPECT_LT(timer.fired_at, deadline + 200 * kNsPerMs);
}

struct StampedReader final : EventHandler {
  explicit StampedReader(EventLoop& loop, int fd) : loop(loop), fd(fd) {}
  void on_event(uint32_t) override {
    char buffer[16];
    if (read(fd, buffer, sizeof buffer) > 0) read_at = loop.now_ns();
  }
  EventLoop& loop;
  int fd;
  int64_t read_at = 0;
};

struct NoteTimer final : Timer {
  void on_timer() override { fired = true; }
  bool fired = false;
};

// A quiet wait: with a timer due within the window, bytes that are ready wait for it (one wake-up for both),
// handled before the timer fires.
TEST(EventLoop, AQuietWaitLeavesReadySocketsUntilTheTimerDueWithinTheWindow) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  StampedReader reader(**loop, fds[0]);
  ASSERT_TRUE((*loop)->add(fds[0], EPOLLIN, &reader));
  NoteTimer timer;
  (*loop)->refresh_now();
  int64_t deadline = monotonic_ns() + 30 * kNsPerMs;
  (*loop)->schedule(timer, deadline);
  (*loop)->set_quiet_window(50 * kNsPerMs);
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  ASSERT_TRUE((*loop)->run_once(kNsPerSec));
  EXPECT_GE(reader.read_at, deadline);
  EXPECT_TRUE(timer.fired);
  EXPECT_EQ((*loop)->quiet_sleeps(), 1u);
  close(fds[0]);
  close(fds[1]);
}

// Held awake (a connect pending), or with the timer beyond the window, a ready socket wakes the loop at once.
TEST(EventLoop, AHoldOrATimerBeyondTheWindowKeepsTheLoopWakingForSockets) {
  for (bool hold : {true, false}) {
    auto loop = EventLoop::create();
    ASSERT_TRUE(loop);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    StampedReader reader(**loop, fds[0]);
    ASSERT_TRUE((*loop)->add(fds[0], EPOLLIN, &reader));
    NoteTimer timer;
    (*loop)->refresh_now();
    int64_t deadline = monotonic_ns() + (hold ? 30 : 80) * kNsPerMs;
    (*loop)->schedule(timer, deadline);
    (*loop)->set_quiet_window(50 * kNsPerMs);
    if (hold) (*loop)->hold_awake();
    ASSERT_EQ(write(fds[1], "x", 1), 1);
    ASSERT_TRUE((*loop)->run_once(kNsPerSec));
    EXPECT_GT(reader.read_at, 0) << "hold " << hold;
    EXPECT_LT(reader.read_at, deadline) << "hold " << hold;
    EXPECT_FALSE(timer.fired) << "hold " << hold;
    EXPECT_EQ((*loop)->quiet_sleeps(), 0u) << "hold " << hold;
    (*loop)->cancel(timer);
    close(fds[0]);
    close(fds[1]);
  }
}

TEST(EventLoop, AddOfABadFdReportsTheErrno) {
  auto loop = EventLoop::create();
  ASSERT_TRUE(loop);
  PipeReader reader(-1);
  auto added = (*loop)->add(-1, EPOLLIN, &reader);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().message, "epoll_ctl(ADD, fd -1) failed: EBADF (Bad file descriptor)");
}

}  // namespace
}  // namespace surge::core
