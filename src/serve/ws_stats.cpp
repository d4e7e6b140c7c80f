// WebSocket counters in the shared stats region. One writer per slot (its worker), so an increment is a
// relaxed load and store; readers in other processes load each word relaxed, and a room's name is complete
// before the release store of rooms_used makes the entry visible.
//
// The "ws" object of /__surge/stats, summed over every worker:
//   upgrades      requests switched to WebSocket (the 101 queued; /ws and /ws/room/{name})
//   open          WebSocket connections open now: upgrades minus those closed since
//   messages_in   text and binary messages read from clients (fragments joined; control frames not counted)
//   messages_out  text and binary messages queued to clients: an echo on /ws, one per member reached by a
//                 room broadcast (the sender included)
//   by_room       {name: {messages_in, messages_out}} for each room that has had a member, the first 256
//                 room names per worker; rooms past that are summed in other_rooms
#include "serve/ws_stats.h"

#include <atomic>
#include <cstring>
#include <map>
#include <string>

namespace surge::serve {
namespace {

void add_relaxed(uint64_t& counter, uint64_t delta) {
  std::atomic_ref<uint64_t> ref(counter);
  ref.store(ref.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
}

uint64_t load(const uint64_t& counter) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counter)).load(std::memory_order_relaxed);
}

struct RoomTotals {
  uint64_t in = 0;
  uint64_t out = 0;
};

}  // namespace

void WsStats::on_upgrade() {
  if (counters_ != nullptr) add_relaxed(counters_->upgrades, 1);
}

void WsStats::on_closed() {
  if (counters_ != nullptr) add_relaxed(counters_->closed, 1);
}

uint32_t WsStats::room_index(std::string_view room) {
  if (counters_ == nullptr) return kUntrackedRoom;
  const uint64_t used = load(counters_->rooms_used);
  for (uint64_t i = 0; i < used; ++i) {
    if (room == counters_->rooms[i].name) return static_cast<uint32_t>(i);
  }
  if (used == WsCounters::kTrackedRooms || room.size() > kMaxRoomNameBytes) return kUntrackedRoom;
  WsRoomCounters& entry = counters_->rooms[used];
  room.copy(entry.name, room.size());
  entry.name[room.size()] = '\0';
  std::atomic_ref<uint64_t>(counters_->rooms_used).store(used + 1, std::memory_order_release);
  return static_cast<uint32_t>(used);
}

void WsStats::count_in(uint32_t room) {
  if (counters_ == nullptr) return;
  add_relaxed(counters_->messages_in, 1);
  if (room == kUntrackedRoom) add_relaxed(counters_->other_rooms_in, 1);
  if (room < WsCounters::kTrackedRooms) add_relaxed(counters_->rooms[room].messages_in, 1);
}

void WsStats::count_out(uint32_t room, uint64_t messages) {
  if (counters_ == nullptr) return;
  add_relaxed(counters_->messages_out, messages);
  if (room == kUntrackedRoom) add_relaxed(counters_->other_rooms_out, messages);
  if (room < WsCounters::kTrackedRooms) add_relaxed(counters_->rooms[room].messages_out, messages);
}

nlohmann::ordered_json render_ws_stats(std::span<const WsCounters* const> workers) {
  uint64_t upgrades = 0, closed = 0, in = 0, out = 0, other_in = 0, other_out = 0;
  std::map<std::string, RoomTotals> rooms;  // sorted by name: a stable document
  for (const WsCounters* counters : workers) {
    upgrades += load(counters->upgrades);
    closed += load(counters->closed);
    in += load(counters->messages_in);
    out += load(counters->messages_out);
    other_in += load(counters->other_rooms_in);
    other_out += load(counters->other_rooms_out);
    const uint64_t used = std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counters->rooms_used))
                              .load(std::memory_order_acquire);
    for (uint64_t i = 0; i < used && i < WsCounters::kTrackedRooms; ++i) {
      const WsRoomCounters& entry = counters->rooms[i];
      RoomTotals& totals = rooms[std::string(entry.name, strnlen(entry.name, kMaxRoomNameBytes))];
      totals.in += load(entry.messages_in);
      totals.out += load(entry.messages_out);
    }
  }
  nlohmann::ordered_json by_room = nlohmann::ordered_json::object();
  for (const auto& [name, totals] : rooms)
    by_room[name] = {{"messages_in", totals.in}, {"messages_out", totals.out}};
  nlohmann::ordered_json doc;
  doc["upgrades"] = upgrades;
  doc["open"] = upgrades >= closed ? upgrades - closed : 0;  // a document read mid-update may lag a field
  doc["messages_in"] = in;
  doc["messages_out"] = out;
  doc["by_room"] = by_room;
  doc["other_rooms"] = {{"messages_in", other_in}, {"messages_out", other_out}};
  return doc;
}

}  // namespace surge::serve
