// Simulated time for an EventLoop under test (EventLoop::create's clock), after nighthawk's injected
// TimeSource: it stands still until the test moves it, or until the loop, finding no socket ready, moves it
// to its next timer deadline, so a sleep takes no time. Only the time is simulated: epoll, the timer heap and
// the sockets are real ("fake the clock, never the loop").
#pragma once

#include <cstdint>

#include "core/clock.h"

namespace surge::core {

class SimulatedClock {
 public:
  explicit SimulatedClock(int64_t start_ns = kNsPerSec) : now_ns_(start_ns) {}
  int64_t now_ns() const { return now_ns_; }
  // The wall clock it stands for: a fixed offset from its monotonic time. Kernel receive stamps are real time
  // and mean nothing against it, so a loop in simulated time leaves them off.
  int64_t wall_clock_ns() const { return now_ns_ + kWallMinusMonotonicNs; }
  // Never backwards: a moment already passed leaves it where it is.
  void advance_to(int64_t ns) { now_ns_ = ns > now_ns_ ? ns : now_ns_; }
  void advance_by(int64_t ns) { advance_to(now_ns_ + ns); }

 private:
  static constexpr int64_t kWallMinusMonotonicNs = 1'800'000'000 * kNsPerSec;  // January 2027
  int64_t now_ns_;
};

}  // namespace surge::core
