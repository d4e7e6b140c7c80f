// The counters of one `group` of steps in one phase (docs/plan.md): how often it ran, how many runs failed, and
// how long each run took. Kept apart from the request cells so run, phase and step totals stay request counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "metrics/histogram.h"

namespace surge::metrics {

// runs = passed + failed. A run is counted when the group's last step ends (an iteration cut by graceful_stop
// or a stopping user counts none); it failed when any request, WebSocket step or check inside it failed.
// duration holds ns from the group's start to its end, think times inside included.
struct GroupStats {
  uint64_t runs = 0;
  uint64_t failed = 0;
  Histogram duration;

  bool empty() const { return runs == 0; }
  void record(int64_t duration_ns, bool passed) {
    ++runs;
    failed += passed ? 0 : 1;
    duration.record(duration_ns);
  }
  void add(const GroupStats& other);
  void reset();
  void encode(std::string& out) const;
  core::Result<void> decode_into(std::string_view& in);
};

}  // namespace surge::metrics
