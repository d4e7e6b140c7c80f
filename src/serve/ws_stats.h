// The WebSocket counters of `surge serve` (/ws and /ws/room/{name}): plain integers inside each worker's
// slot of the shared stats region (stats.cpp), written only by that worker, summed into the "ws" object of
// /__surge/stats. Rooms are counted by name in a fixed table per slot, so counting never allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

namespace surge::serve {

// Room names: [A-Za-z0-9_-]{1,64} (ws_routes.h checks them).
inline constexpr size_t kMaxRoomNameBytes = 64;

struct WsRoomCounters {
  char name[kMaxRoomNameBytes + 1];  // NUL-terminated; written once, before rooms_used counts the entry
  uint64_t messages_in;
  uint64_t messages_out;
};

// Zero-initialised by the mapping. Counters are defined with render_ws_stats (ws_stats.cpp).
struct WsCounters {
  static constexpr size_t kTrackedRooms = 256;

  uint64_t upgrades;
  uint64_t closed;
  uint64_t messages_in;
  uint64_t messages_out;
  uint64_t rooms_used;  // entries of rooms[] in use; stored with release after the entry is complete
  WsRoomCounters rooms[kTrackedRooms];
  uint64_t other_rooms_in;  // rooms that found the table full
  uint64_t other_rooms_out;
};

// A worker's handle on its own WsCounters (null: counting is off, as in unit tests without stats).
class WsStats {
 public:
  static constexpr uint32_t kNoRoom = UINT32_MAX;             // plain /ws
  static constexpr uint32_t kUntrackedRoom = UINT32_MAX - 1;  // the table was full

  WsStats() = default;
  explicit WsStats(WsCounters* counters) : counters_(counters) {}

  void on_upgrade();
  void on_closed();
  // The room's entry in this worker's table, added on first use: once per room join, never per message.
  uint32_t room_index(std::string_view room);
  // One text or binary message read from a client (room: a room_index, or kNoRoom).
  void count_in(uint32_t room);
  // `messages` text or binary messages queued to clients: echoes, or one per room member reached.
  void count_out(uint32_t room, uint64_t messages);

 private:
  WsCounters* counters_ = nullptr;
};

// The "ws" object of /__surge/stats, summed over the workers' counters.
nlohmann::ordered_json render_ws_stats(std::span<const WsCounters* const> workers);

}  // namespace surge::serve
