// The counters of `surge serve`, shared by all worker processes: one MAP_SHARED anonymous mapping made before
// fork, one slot per worker written only by its owner (relaxed atomics, no locks), summed when read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "serve/routes.h"

namespace surge::serve {

struct H2Counters;
struct McpCounters;
struct RpcCounters;
struct WsCounters;

namespace detail {
struct StatsRegion;
struct WorkerSlot;
}  // namespace detail

// A worker's handle on its own slot (and the shared connection gauges). Cheap to copy; valid while the
// SharedStats that made it lives (in a forked child: while the inherited mapping does).
class WorkerStats {
 public:
  WorkerStats() = default;

  // One answered request: its response was handed to the kernel. body_bytes excludes chunk framing.
  // Route::kControl (/__surge/*) is ignored. now_ns is monotonic and picks the per_second entry. cache is
  // the response's X-Cache (API routes), counted under cache.hit / cache.miss.
  void count_response(Route route, int status, uint64_t body_bytes, int64_t now_ns,
                      CacheOutcome cache = CacheOutcome::kNone);
  // Takes back a count_response made with the same arguments (a write that did not complete after all).
  void uncount_response(Route route, int status, uint64_t body_bytes, int64_t now_ns,
                        CacheOutcome cache = CacheOutcome::kNone);
  // A request whose head was read and routed (requests_received), before any of its answer is sent.
  void count_received(Route route);
  void on_connection_opened();
  // This worker's MCP counters (mcp_stats.h), in its slot; nullptr for a default-made WorkerStats.
  McpCounters* mcp_counters();
  // This worker's WebSocket counters (ws_stats.h), in its slot; nullptr for a default-made WorkerStats.
  WsCounters* ws_counters();
  // This worker's /rpc counters (rpc_stats.h), in its slot; nullptr for a default-made WorkerStats.
  RpcCounters* rpc_counters();
  // This worker's HTTP/2 counters (h2_stats.h), in its slot; nullptr for a default-made WorkerStats.
  H2Counters* h2_counters();
  void on_connection_closed();
  // One stall that happened, monotonic ns (stall.h). Kept for worker 0 only, which is enough because every
  // worker stalls at the same scheduled moments; the first SharedStats::kMaxStalls are kept, later ones
  // and other workers' calls are ignored.
  void record_stall(int64_t begin_ns, int64_t end_ns);

 private:
  friend class SharedStats;
  WorkerStats(detail::StatsRegion* region, detail::WorkerSlot* slot) : region_(region), slot_(slot) {}
  void add_response(Route route, int status, uint64_t body_bytes, int64_t now_ns, CacheOutcome cache,
                    int64_t sign);

  detail::StatsRegion* region_ = nullptr;
  detail::WorkerSlot* slot_ = nullptr;
};

class SharedStats {
 public:
  // Seconds of per_second history kept (24 h); requests answered later are counted everywhere but there.
  static constexpr int64_t kPerSecondCapacity = 24 * 3600;
  // Stalls listed in the stats: a fixed array in the region, so recording one never allocates.
  static constexpr int64_t kMaxStalls = 10'000;

  // Maps the zeroed region for `workers` slots (pages are touched only as they are used). start_ns is the
  // monotonic time the server started: second 0 of per_second, the origin of uptime_s and of the stall
  // times, and (converted to the wall clock when called) started_at_unix_ms.
  static core::Result<SharedStats> create(int workers, int64_t start_ns);
  SharedStats(SharedStats&& other) noexcept;
  SharedStats& operator=(SharedStats&&) = delete;
  ~SharedStats();

  // index in [0, workers).
  WorkerStats worker(int index);
  // The start_ns given to create().
  int64_t start_ns() const;
  // The /__surge/stats JSON document (every field is defined in stats.cpp), summed over all slots.
  std::string render_json(int64_t now_ns) const;

 private:
  SharedStats(detail::StatsRegion* region, size_t bytes) : region_(region), bytes_(bytes) {}

  detail::StatsRegion* region_;
  size_t bytes_;
};

}  // namespace surge::serve
