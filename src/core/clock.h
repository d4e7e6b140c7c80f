// Monotonic time in int64 nanoseconds. CLOCK_MONOTONIC goes through the vDSO (no syscall), and it is
// system-wide, so forked workers and the coordinator share one time base for phase starts. A test may give an
// EventLoop a SimulatedClock instead (simulated_clock.h): whatever runs on that loop reads its time.
#pragma once

#include <cstdint>
#include <ctime>

namespace surge::core {

constexpr int64_t kNsPerUs = 1'000;
constexpr int64_t kNsPerMs = 1'000'000;
constexpr int64_t kNsPerSec = 1'000'000'000;

inline int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * kNsPerSec + ts.tv_nsec;
}

inline int64_t wall_clock_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * kNsPerSec + ts.tv_nsec;
}

}  // namespace surge::core
