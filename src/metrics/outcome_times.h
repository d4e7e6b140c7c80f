// When requests ended well or badly within one second, on CLOCK_MONOTONIC (system-wide, so workers' times
// merge): what recovery_s needs to be exact to the response rather than to the one-second snapshot
// (docs/faults.md). Three stores per request outcome, no allocation.
#pragma once

#include <algorithm>
#include <cstdint>

namespace surge::metrics {

struct OutcomeTimes {
  int64_t first_ok_ns = 0;     // the second's first successful request (0: none)
  int64_t last_error_ns = 0;   // its last failed request (0: none)
  // The first success after last_error_ns (after the second's start when it had no error); 0: none yet. Merged,
  // it is exact when the success came from the worker with the last error or after every worker's last
  // error, and otherwise later than the truth by at most one of the other worker's gaps between responses.
  int64_t first_ok_after_error_ns = 0;

  void record_ok(int64_t now_ns) {
    if (first_ok_ns == 0) first_ok_ns = now_ns;
    if (first_ok_after_error_ns == 0) first_ok_after_error_ns = now_ns;
  }
  void record_error(int64_t now_ns) {
    last_error_ns = now_ns;
    first_ok_after_error_ns = 0;
  }
  // Adds another worker's (or snapshot's) times of the same second.
  void merge(const OutcomeTimes& other) {
    first_ok_ns = earliest(first_ok_ns, other.first_ok_ns);
    const OutcomeTimes& later = other.last_error_ns > last_error_ns ? other : *this;
    const OutcomeTimes& earlier = &later == this ? other : *this;
    // The earlier-failing side's first success counts only when it came after the later side's last error.
    const int64_t candidate =
        earlier.first_ok_after_error_ns > later.last_error_ns ? earlier.first_ok_after_error_ns : 0;
    const int64_t merged = earliest(later.first_ok_after_error_ns, candidate);
    last_error_ns = later.last_error_ns;
    first_ok_after_error_ns = merged;
  }
  void reset() { *this = OutcomeTimes{}; }

 private:
  static int64_t earliest(int64_t a, int64_t b) { return a == 0 ? b : b == 0 ? a : std::min(a, b); }
};

}  // namespace surge::metrics
