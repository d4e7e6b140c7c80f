// What a worker sends the coordinator once a second: the changes since the last snapshot (a delta grid) and
// gauges of the moment. Framed on the pipe as a 4-byte little-endian length and the encoded body.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "metrics/outcome_times.h"
#include "metrics/request_stats.h"

namespace surge::metrics {

struct Snapshot {
  uint32_t worker = 0;
  uint64_t sequence = 0;  // k: covers [start + (k-1) s, start + k s) of the worker's clock; the final one may be short
  bool is_final = false;
  uint32_t phase = 0;           // phase running when the snapshot was taken
  uint64_t active_users = 0;    // gauges at snapshot time
  uint64_t open_connections = 0;
  uint64_t max_open_connections = 0;  // peak within the interval
  uint64_t iterations = 0;            // scenario iterations completed within the interval
  OutcomeTimes outcomes;              // when requests ended well or badly within the interval
  StatsGrid grid;

  Snapshot(size_t phase_count, size_t step_count) : grid(phase_count, step_count) {}
};

// Appends one framed snapshot to out.
void encode_frame(const Snapshot& snapshot, std::string& out);
// Decodes one frame body (without the length prefix) into snapshot, whose grid has the plan's shape.
core::Result<void> decode_frame(std::string_view body, Snapshot& snapshot);

}  // namespace surge::metrics
