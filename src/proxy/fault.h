// What a fault is: its kind and parameters (FaultSpec), checked once when it is added, and the seeded choice of
// which connections it affects. Built by the control API (fault_json.h) or, later, by a plan's fault timeline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/result.h"

namespace surge::proxy {

using FaultId = uint64_t;

enum class FaultKind : uint8_t {
  kLatency,    // hold each chunk relayed for latency + a uniform share of jitter, keeping byte order
  kBandwidth,  // limit each connection to bytes_per_s per direction (token bucket)
  kPartition,  // nothing flows, connections stay open; at the end release the held bytes or drop and reset
  kReset,      // RST every current connection, once (no duration)
  kCloseNew,   // accept new connections and close them at once
  kRefuse,     // stop listening, so connects are refused; listen again at the end
  kSlowClose,  // when a side closes, pass the close on close_delay later
};

// Which bytes a fault touches: upstream = client to upstream (requests), downstream = the answers.
enum class Direction : uint8_t { kBoth, kUpstream, kDownstream };

enum class OnEnd : uint8_t { kRelease, kDrop };  // what a partition does with the held bytes when it ends

struct FaultSpec {
  FaultKind kind = FaultKind::kLatency;
  Direction direction = Direction::kBoth;
  double fraction = 1.0;                 // share of connections affected, 0..1, chosen per connection
  std::chrono::nanoseconds duration{0};  // removes itself this long after it is added; 0 = until removed
  std::chrono::nanoseconds latency{0};   // latency: fixed part
  std::chrono::nanoseconds jitter{0};    // latency: each chunk adds uniform [0, jitter]
  uint64_t bytes_per_s = 0;              // bandwidth: the limit, > 0
  OnEnd on_end = OnEnd::kRelease;        // partition
  std::chrono::nanoseconds close_delay{0};  // slow_close: > 0
};

std::string_view to_string(FaultKind kind);  // "latency", "bandwidth", "partition", "reset", "close_new", ...
std::string_view to_string(Direction direction);  // "both", "upstream", "downstream"
std::string_view to_string(OnEnd on_end);         // "release", "drop"

// Rejects a spec the proxy cannot apply, with a one-line message naming the field: fraction outside 0..1,
// a duration on `reset` (it happens once), a direction on a kind that has none (reset, close_new, refuse),
// a fraction on `refuse` (it affects the listener, not connections), latency without latency or jitter,
// bandwidth without bytes_per_s, slow_close without close_delay.
core::Result<void> validate(const FaultSpec& spec);

// True when the fault with this id affects this connection: a hash of (seed, fault, connection) compared
// with fraction. The same seed gives the same choice on every run, and a fault added while connections are
// open picks among them exactly as it would pick among new ones.
bool is_selected(uint64_t seed, FaultId fault, uint64_t connection, double fraction);

// True when the fault touches bytes going the given way (upstream = true: client to upstream).
inline bool applies_to(Direction direction, bool upstream) {
  return direction == Direction::kBoth || (direction == Direction::kUpstream) == upstream;
}

}  // namespace surge::proxy
