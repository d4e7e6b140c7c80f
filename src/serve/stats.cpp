// Shared counters of `surge serve`. The region is plain integers in a MAP_SHARED anonymous mapping (zero
// pages from the kernel, touched only when used), accessed through std::atomic_ref: each worker slot has a
// single writer, so an increment is a relaxed load and store, with no locked instruction on the hot path.
//
// The /__surge/stats document, summed over every worker:
//   requests_total   requests answered, /__surge/* excluded; a request counts once its whole response has
//                    been handed to the kernel (counted just before the write, taken back if it falls short)
//   requests_received  request heads read and routed, /__surge/* excluded, counted before any answer is sent:
//                    requests_received - requests_total are being answered now (a /delay/20000 in flight) or
//                    were left by their client before the answer. A request refused as malformed is answered
//                    without being routed: requests_total only.
//   by_path          requests_total split by route: "/", "/delay", "/status", "/bytes", "/echo", "/json",
//                    the API's "/v1/login", "/v1/whoami", "/v1/complete", "/v1/agents/handoff",
//                    "/v1/optimize", "/v1/repos" (every /v1/repos/{id}/... route), "/mcp" (WebSocket upgrades
//                    there included), "/ws" (WebSocket upgrades answered 101, and refusals there), "/rpc"
//                    (the same), and "other" (unknown paths and requests refused as malformed); all keys
//                    always present
//   by_status        requests_total split by response status, only statuses seen; interim 100s not counted
//   by_protocol      requests_total split by protocol: "h2" and "http/1.1" (h2_stats.cpp)
//   body_bytes_sent  response body bytes of the counted requests, without chunk framing (HEAD counts 0)
//   per_second       requests_total split by whole second since the server started, up to the current
//                    second (the first 24 h only)
//   connections      open: connections open now, including the one asking; max: the most open at once;
//                    accepted: connections accepted since the start
//   workers          worker processes;  uptime_s: seconds since the start (millisecond resolution)
//   started_at_unix_ms  wall-clock time of the start (Unix epoch, integer ms), to place server times on
//                    another clock
//   mcp              the /mcp server's sessions and calls (mcp_stats.cpp defines each field)
//   rpc              /rpc, JSON-RPC over WebSocket: requests, notifications, batches, by method
//   (rpc_stats.cpp) ws               WebSocket upgrades, open connections, messages in and out, by room
//   (ws_stats.cpp) h2               HTTP/2 connections, streams, responses, RST_STREAM and GOAWAY sent
//   (h2_stats.cpp) cache            hit, miss: the counted responses sent with "X-Cache: HIT" / "X-Cache:
//   MISS" (the API's
//                    content routes, api_responder.h); hit + miss <= requests_total
//   stalls           the stalls that happened (--stall-every/--stall-for), in order: at_s, when the freeze
//                    really began, and for_s, how long it lasted, in seconds since the start with
//                    microsecond resolution (at_s + for_s is the end). Worker 0's record: every worker
//                    stalls at the same scheduled moments, and a stall ends on schedule however late it
//                    begins. The first 10,000 only; [] without stall mode.
// Slots are read without a lock, so a document taken during traffic may be a few requests apart between
// fields; once the traffic stops every field is exact.
#include "serve/stats.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/errno_text.h"
#include "serve/h2_stats.h"
#include "serve/mcp_stats.h"
#include "serve/rpc_stats.h"
#include "serve/ws_stats.h"

namespace surge::serve {
namespace detail {

inline constexpr int kMinStatus = 100;
inline constexpr int kStatusSlots = 500;  // 100..599

struct WorkerSlot {
  uint64_t by_path[kCountedRoutes];
  uint64_t by_status[kStatusSlots];
  uint64_t body_bytes_sent;
  uint64_t received;
  uint64_t accepted;
  uint64_t cache_hit;
  uint64_t cache_miss;
  McpCounters mcp;
  WsCounters ws;
  RpcCounters rpc;
  H2Counters h2;
  uint64_t per_second[SharedStats::kPerSecondCapacity];
};

struct StallRecord {
  int64_t begin_ns;  // monotonic
  int64_t end_ns;
};

struct StatsRegion {
  int64_t open_connections;  // shared by all workers: atomic read-modify-write
  int64_t max_connections;
  int64_t start_ns;
  int64_t started_at_unix_ms;
  int64_t workers;
  // Written by worker 0 only: a record is complete before stall_count (a release store) counts it.
  int64_t stall_count;
  StallRecord stalls[SharedStats::kMaxStalls];
  // `workers` WorkerSlots follow the header in the same mapping.
  WorkerSlot* slots() { return reinterpret_cast<WorkerSlot*>(this + 1); }
  const WorkerSlot* slots() const { return reinterpret_cast<const WorkerSlot*>(this + 1); }
};

}  // namespace detail

namespace {

using detail::StallRecord;
using detail::StatsRegion;
using detail::WorkerSlot;

// Single-writer increment: no other process writes this word, readers only load it.
void add_relaxed(uint64_t& counter, int64_t delta) {
  std::atomic_ref<uint64_t> ref(counter);
  ref.store(ref.load(std::memory_order_relaxed) + static_cast<uint64_t>(delta), std::memory_order_relaxed);
}

uint64_t load(const uint64_t& counter) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counter)).load(std::memory_order_relaxed);
}

int64_t load(const int64_t& gauge) {
  return std::atomic_ref<int64_t>(const_cast<int64_t&>(gauge)).load(std::memory_order_relaxed);
}

size_t region_bytes(int workers) {
  return sizeof(StatsRegion) + sizeof(WorkerSlot) * static_cast<size_t>(workers);
}

int64_t second_index(const StatsRegion& region, int64_t now_ns) {
  return (now_ns - region.start_ns) / core::kNsPerSec;
}

// Both ends are truncated to whole microseconds since the start, and for_s is their difference, so that
// at_s + for_s is the end as exactly as the resolution allows.
nlohmann::ordered_json render_stalls(const StatsRegion& region) {
  nlohmann::ordered_json stalls = nlohmann::ordered_json::array();
  int64_t count =
      std::atomic_ref<int64_t>(const_cast<int64_t&>(region.stall_count)).load(std::memory_order_acquire);
  for (int64_t i = 0; i < count; ++i) {
    int64_t begin_us = (region.stalls[i].begin_ns - region.start_ns) / core::kNsPerUs;
    int64_t end_us = (region.stalls[i].end_ns - region.start_ns) / core::kNsPerUs;
    stalls.push_back({{"at_s", static_cast<double>(begin_us) / 1e6},
                      {"for_s", static_cast<double>(end_us - begin_us) / 1e6}});
  }
  return stalls;
}

}  // namespace

void WorkerStats::count_response(Route route, int status, uint64_t body_bytes, int64_t now_ns,
                                 CacheOutcome cache) {
  add_response(route, status, body_bytes, now_ns, cache, 1);
}

void WorkerStats::uncount_response(Route route, int status, uint64_t body_bytes, int64_t now_ns,
                                   CacheOutcome cache) {
  add_response(route, status, body_bytes, now_ns, cache, -1);
}

void WorkerStats::add_response(Route route, int status, uint64_t body_bytes, int64_t now_ns,
                               CacheOutcome cache, int64_t sign) {
  if (route == Route::kControl || slot_ == nullptr) return;
  if (cache == CacheOutcome::kHit) add_relaxed(slot_->cache_hit, sign);
  if (cache == CacheOutcome::kMiss) add_relaxed(slot_->cache_miss, sign);
  add_relaxed(slot_->by_path[static_cast<size_t>(route)], sign);
  if (status >= detail::kMinStatus && status < detail::kMinStatus + detail::kStatusSlots) {
    add_relaxed(slot_->by_status[status - detail::kMinStatus], sign);
  }
  add_relaxed(slot_->body_bytes_sent, sign * static_cast<int64_t>(body_bytes));
  int64_t second = second_index(*region_, now_ns);
  if (second >= 0 && second < SharedStats::kPerSecondCapacity) add_relaxed(slot_->per_second[second], sign);
}

void WorkerStats::count_received(Route route) {
  if (route == Route::kControl || slot_ == nullptr) return;
  add_relaxed(slot_->received, 1);
}

void WorkerStats::on_connection_opened() {
  if (slot_ == nullptr) return;
  add_relaxed(slot_->accepted, 1);
  std::atomic_ref<int64_t> open(region_->open_connections);
  std::atomic_ref<int64_t> max(region_->max_connections);
  int64_t now_open = open.fetch_add(1, std::memory_order_relaxed) + 1;
  int64_t seen = max.load(std::memory_order_relaxed);
  while (seen < now_open && !max.compare_exchange_weak(seen, now_open, std::memory_order_relaxed)) {
  }
}

McpCounters* WorkerStats::mcp_counters() { return slot_ == nullptr ? nullptr : &slot_->mcp; }

WsCounters* WorkerStats::ws_counters() { return slot_ == nullptr ? nullptr : &slot_->ws; }

RpcCounters* WorkerStats::rpc_counters() { return slot_ == nullptr ? nullptr : &slot_->rpc; }

H2Counters* WorkerStats::h2_counters() { return slot_ == nullptr ? nullptr : &slot_->h2; }

void WorkerStats::on_connection_closed() {
  if (slot_ == nullptr) return;
  std::atomic_ref<int64_t>(region_->open_connections).fetch_sub(1, std::memory_order_relaxed);
}

void WorkerStats::record_stall(int64_t begin_ns, int64_t end_ns) {
  if (slot_ == nullptr || slot_ != region_->slots()) return;  // worker 0 only: one writer
  std::atomic_ref<int64_t> count(region_->stall_count);
  int64_t n = count.load(std::memory_order_relaxed);
  if (n >= SharedStats::kMaxStalls) return;
  region_->stalls[n] = {begin_ns, end_ns};
  count.store(n + 1, std::memory_order_release);
}

core::Result<SharedStats> SharedStats::create(int workers, int64_t start_ns) {
  if (workers < 1) return core::fail("stats need at least one worker, got " + std::to_string(workers));
  size_t bytes = region_bytes(workers);
  void* memory =
      mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) return core::fail("cannot map the stats region: " + core::errno_text(errno));
  // The mapping is zero-filled, which is every counter's start value; the integers need no constructor.
  auto* region = static_cast<StatsRegion*>(memory);
  region->start_ns = start_ns;
  region->started_at_unix_ms = (core::wall_clock_ns() - (core::monotonic_ns() - start_ns)) / core::kNsPerMs;
  region->workers = workers;
  return SharedStats(region, bytes);
}

SharedStats::SharedStats(SharedStats&& other) noexcept : region_(other.region_), bytes_(other.bytes_) {
  other.region_ = nullptr;
}

SharedStats::~SharedStats() {
  if (region_ != nullptr) munmap(region_, bytes_);
}

WorkerStats SharedStats::worker(int index) { return WorkerStats(region_, &region_->slots()[index]); }

int64_t SharedStats::start_ns() const { return region_->start_ns; }

std::string SharedStats::render_json(int64_t now_ns) const {
  const StatsRegion& region = *region_;
  uint64_t by_path[kCountedRoutes] = {};
  uint64_t by_status[detail::kStatusSlots] = {};
  uint64_t body_bytes = 0, received = 0, accepted = 0, cache_hit = 0, cache_miss = 0;
  McpCounters mcp{};
  RpcCounters rpc{};
  H2Counters h2{};
  std::vector<const WsCounters*> ws;
  int64_t seconds = std::min(second_index(region, now_ns) + 1, kPerSecondCapacity);
  std::vector<uint64_t> per_second(static_cast<size_t>(std::max<int64_t>(seconds, 0)), 0);
  for (int64_t w = 0; w < region.workers; ++w) {
    const WorkerSlot& slot = region.slots()[w];
    for (size_t r = 0; r < kCountedRoutes; ++r) by_path[r] += load(slot.by_path[r]);
    for (int s = 0; s < detail::kStatusSlots; ++s) by_status[s] += load(slot.by_status[s]);
    body_bytes += load(slot.body_bytes_sent);
    received += load(slot.received);
    accepted += load(slot.accepted);
    cache_hit += load(slot.cache_hit);
    cache_miss += load(slot.cache_miss);
    add_to(mcp, slot.mcp);
    add_to(rpc, slot.rpc);
    add_to(h2, slot.h2);
    ws.push_back(&slot.ws);
    for (size_t i = 0; i < per_second.size(); ++i) per_second[i] += load(slot.per_second[i]);
  }
  nlohmann::ordered_json doc;
  uint64_t total = 0;
  for (uint64_t n : by_path) total += n;
  doc["requests_total"] = total;
  doc["requests_received"] = received;
  nlohmann::ordered_json& paths = doc["by_path"] = nlohmann::ordered_json::object();
  for (size_t r = 0; r < kCountedRoutes; ++r)
    paths[std::string(route_name(static_cast<Route>(r)))] = by_path[r];
  nlohmann::ordered_json& statuses = doc["by_status"] = nlohmann::ordered_json::object();
  for (int s = 0; s < detail::kStatusSlots; ++s) {
    if (by_status[s] != 0) statuses[std::to_string(s + detail::kMinStatus)] = by_status[s];
  }
  doc["by_protocol"] = by_protocol_json(h2, total);
  doc["body_bytes_sent"] = body_bytes;
  doc["per_second"] = per_second;
  doc["connections"] = {
      {"open", load(region.open_connections)}, {"max", load(region.max_connections)}, {"accepted", accepted}};
  doc["workers"] = region.workers;
  doc["uptime_s"] = static_cast<double>((now_ns - region.start_ns) / core::kNsPerMs) / 1000.0;
  doc["started_at_unix_ms"] = region.started_at_unix_ms;
  doc["stalls"] = render_stalls(region);
  doc["cache"] = {{"hit", cache_hit}, {"miss", cache_miss}};
  doc["mcp"] = mcp_stats_json(mcp);
  doc["ws"] = render_ws_stats(ws);
  doc["rpc"] = rpc_stats_json(rpc);
  doc["h2"] = h2_stats_json(h2);
  return doc.dump();
}

}  // namespace surge::serve
