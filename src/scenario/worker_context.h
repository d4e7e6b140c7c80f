// What every virtual user of one worker shares: the loop, the compiled plan, the stats grid it records into,
// and the one read buffer of the worker (responses are parsed as they stream in, so no connection keeps bytes).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "core/event_loop.h"
#include "metrics/request_stats.h"
#include "scenario/compiled_plan.h"

namespace surge::scenario {

struct WorkerContext {
  WorkerContext(core::EventLoop& event_loop, const CompiledPlan& compiled, metrics::StatsGrid& grid, uint64_t seed)
      : loop(event_loop), plan(compiled), stats(grid), read_buffer(64 * 1024), rng(seed) {}

  core::EventLoop& loop;
  const CompiledPlan& plan;
  metrics::StatsGrid& stats;
  std::vector<char> read_buffer;
  std::mt19937_64 rng;
  uint32_t phase = 0;  // requests are attributed to the phase running when they start
  uint64_t open_connections = 0;
  uint64_t max_open_connections = 0;  // peak since the last snapshot (reset to open_connections then)
  uint64_t iterations = 0;            // completed since the last snapshot

  // A connect that started at started_ns succeeded after connect_ns.
  void on_connection_opened(int64_t started_ns, int64_t connect_ns) {
    stats.connections(phase).record_open(started_ns, connect_ns);
    if (++open_connections > max_open_connections) max_open_connections = open_connections;
  }
  void on_connection_closed() {
    ++stats.connections(phase).closed;
    --open_connections;
  }
};

}  // namespace surge::scenario
