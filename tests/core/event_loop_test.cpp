// EventLoop over real fds (a pipe) and real time: readiness dispatch and timer deadlines.
#include "core/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

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

// A loop with a 50 ms quiet window, a timer due in timer_ms, and one byte ready in a pipe it watches: run once.
struct QuietWaitRun {
  QuietWaitRun(int timer_ms, bool hold) {
    auto created = EventLoop::create();
    EXPECT_TRUE(created);
    loop = std::move(created).value();
    EXPECT_EQ(pipe(fds), 0);
    reader = std::make_unique<StampedReader>(*loop, fds[0]);
    EXPECT_TRUE(loop->add(fds[0], EPOLLIN, reader.get()));
    loop->refresh_now();
    deadline = monotonic_ns() + timer_ms * kNsPerMs;
    loop->schedule(timer, deadline);
    loop->set_quiet_window(50 * kNsPerMs);
    if (hold) loop->hold_awake();
    EXPECT_EQ(write(fds[1], "x", 1), 1);
    EXPECT_TRUE(loop->run_once(kNsPerSec));
  }
  ~QuietWaitRun() {
    loop->cancel(timer);
    close(fds[0]);
    close(fds[1]);
  }
  std::unique_ptr<EventLoop> loop;
  int fds[2] = {-1, -1};
  std::unique_ptr<StampedReader> reader;
  NoteTimer timer;
  int64_t deadline = 0;
};

// A quiet wait: with a timer due within the window, bytes that are ready wait for it (one wake-up for both),
// handled before the timer fires.
TEST(EventLoop, AQuietWaitLeavesReadySocketsUntilTheTimerDueWithinTheWindow) {
  QuietWaitRun run(30, false);
  EXPECT_GE(run.reader->read_at, run.deadline);
  EXPECT_TRUE(run.timer.fired);
  EXPECT_EQ(run.loop->quiet_sleeps(), 1u);
}

// Held awake (a connect pending), or with the timer beyond the window, a ready socket wakes the loop at once.
TEST(EventLoop, AHoldOrATimerBeyondTheWindowKeepsTheLoopWakingForSockets) {
  for (bool hold : {true, false}) {
    QuietWaitRun run(hold ? 30 : 80, hold);
    EXPECT_GT(run.reader->read_at, 0) << "hold " << hold;
    EXPECT_LT(run.reader->read_at, run.deadline) << "hold " << hold;
    EXPECT_FALSE(run.timer.fired) << "hold " << hold;
    EXPECT_EQ(run.loop->quiet_sleeps(), 0u) << "hold " << hold;
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
