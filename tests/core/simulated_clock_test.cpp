// EventLoop on a SimulatedClock: real epoll and a real pipe, only the time simulated. The loop takes no time
// while a socket is ready, and when none is it moves the clock to its next timer deadline (or by its wait).
#include "core/simulated_clock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"

namespace surge::core {
namespace {

struct Reader final : EventHandler {
  Reader(EventLoop& loop, int fd) : loop(loop), fd(fd) {}
  void on_event(uint32_t) override {
    char buffer[16];
    got += static_cast<int>(read(fd, buffer, sizeof buffer));
    read_at = loop.now_ns();
  }
  EventLoop& loop;
  int fd;
  int got = 0;
  int64_t read_at = 0;
};

struct Stamp final : Timer {
  explicit Stamp(EventLoop& loop) : loop(loop) {}
  void on_timer() override { fired_at.push_back(loop.now_ns()); }
  EventLoop& loop;
  std::vector<int64_t> fired_at;
};

std::unique_ptr<EventLoop> loop_on(SimulatedClock& clock) {
  auto loop = EventLoop::create(16, &clock);
  EXPECT_TRUE(loop);
  return std::move(loop).value();
}

TEST(SimulatedTime, TheLoopStartsAtTheClocksTimeAndReadsNothingElse) {
  SimulatedClock clock(7 * kNsPerSec);
  auto loop = loop_on(clock);
  EXPECT_EQ(loop->now_ns(), 7 * kNsPerSec);
  clock.advance_by(5);
  EXPECT_EQ(loop->now_ns(), 7 * kNsPerSec) << "read once per wake-up";
  EXPECT_EQ(loop->refresh_now(), 7 * kNsPerSec + 5);
  clock.advance_to(kNsPerSec);
  EXPECT_EQ(clock.now_ns(), 7 * kNsPerSec + 5) << "never backwards";
}

TEST(SimulatedTime, WithNothingReadyTheLoopMovesTheClockToEachDeadlineExactly) {
  SimulatedClock clock;
  auto loop = loop_on(clock);
  Stamp first(*loop), second(*loop);
  loop->schedule(second, clock.now_ns() + 250 * kNsPerMs);
  loop->schedule(first, clock.now_ns() + 3 * kNsPerMs + 1);
  ASSERT_TRUE(loop->run_once(10 * kNsPerSec));
  EXPECT_EQ(first.fired_at, (std::vector<int64_t>{kNsPerSec + 3 * kNsPerMs + 1}));
  EXPECT_TRUE(second.fired_at.empty());
  ASSERT_TRUE(loop->run_once(10 * kNsPerSec));
  EXPECT_EQ(second.fired_at, (std::vector<int64_t>{kNsPerSec + 250 * kNsPerMs}));
  ASSERT_TRUE(loop->run_once(2 * kNsPerSec));
  EXPECT_EQ(loop->now_ns(), kNsPerSec + 2250 * kNsPerMs) << "no timer left: the whole wait passes";
}

TEST(SimulatedTime, AReadySocketIsHandledWithoutTimePassing) {
  SimulatedClock clock;
  auto loop = loop_on(clock);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Reader reader(*loop, fds[0]);
  ASSERT_TRUE(loop->add(fds[0], EPOLLIN, &reader));
  Stamp timer(*loop);
  loop->schedule(timer, clock.now_ns() + kNsPerSec);
  ASSERT_EQ(write(fds[1], "hello", 5), 5);
  ASSERT_TRUE(loop->run_once(10 * kNsPerSec));
  EXPECT_EQ(reader.got, 5);
  EXPECT_EQ(reader.read_at, kNsPerSec);
  EXPECT_TRUE(timer.fired_at.empty()) << "the timer's second has not passed";
  ASSERT_TRUE(loop->run_once(10 * kNsPerSec));
  EXPECT_EQ(timer.fired_at, (std::vector<int64_t>{2 * kNsPerSec}));
  close(fds[0]);
  close(fds[1]);
}

TEST(SimulatedTime, AQuietWaitPassesWhateverIsReadyAndThenHandlesIt) {
  SimulatedClock clock;
  auto loop = loop_on(clock);
  loop->set_quiet_window(10 * kNsPerMs);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Reader reader(*loop, fds[0]);
  ASSERT_TRUE(loop->add(fds[0], EPOLLIN, &reader));
  Stamp timer(*loop);
  loop->schedule(timer, clock.now_ns() + 4 * kNsPerMs);
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  ASSERT_TRUE(loop->run_once(kNsPerSec));
  EXPECT_EQ(loop->quiet_sleeps(), 1u);
  EXPECT_EQ(reader.read_at, kNsPerSec + 4 * kNsPerMs) << "the ready pipe waited for the timer";
  EXPECT_EQ(timer.fired_at, (std::vector<int64_t>{kNsPerSec + 4 * kNsPerMs}));
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace surge::core
