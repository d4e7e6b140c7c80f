// WsHub: adopting upgraded sockets, room membership, broadcast, and the end-of-event flush. A broadcast
// appends the same encoded frame to each member's output; the flush then writes each member once, however
// many messages reached it in that event.
#include "serve/ws_hub.h"

#include "serve/worker.h"
#include "serve/ws_connection.h"

namespace surge::serve {

WsHub::WsHub(Worker& worker)
    : worker_(worker),
      stats_(worker.stats().ws_counters()),
      rpc_(worker.stats().mcp_counters(), worker.stats().rpc_counters()) {}

WsHub::~WsHub() {
  while (connections_ != nullptr) connections_->close();
}

void WsHub::adopt(int fd, WsEndpoint endpoint, std::string_view room, std::string_view key,
                  std::string_view subprotocol, std::string_view early_bytes) {
  WsRoom* joined = endpoint == WsEndpoint::kRoom ? &room_named(room) : nullptr;
  auto* connection = new WsConnection(*this, fd, endpoint, joined);
  connection->next = connections_;
  if (connections_ != nullptr) connections_->prev = connection;
  connections_ = connection;
  if (joined != nullptr) {
    connection->room_next = joined->members;
    if (joined->members != nullptr) joined->members->room_prev = connection;
    joined->members = connection;
    ++joined->size;
  }
  stats_.on_upgrade();
  connection->start(key, subprotocol, early_bytes);
  flush_pending();
}

WsRoom& WsHub::room_named(std::string_view name) {
  auto [it, inserted] = rooms_.try_emplace(std::string(name));
  if (inserted) {
    it->second.name = it->first;
    it->second.stats_index = stats_.room_index(name);
  }
  return it->second;
}

void WsHub::broadcast(WsRoom& room, proto::ws::Opcode opcode, std::string_view payload) {
  frame_.clear();
  if (!proto::ws::append_frame(frame_, opcode, payload, true, std::nullopt))
    return;  // data frames cannot fail
  uint64_t reached = 0;
  for (WsConnection* member = room.members; member != nullptr; member = member->room_next) {
    if (member->is_closed()) continue;
    member->queue(frame_);
    ++reached;
  }
  stats_.count_out(room.stats_index, reached);
}

void WsHub::request_flush(WsConnection& connection) {
  if (connection.is_queued_for_flush) return;
  connection.is_queued_for_flush = true;
  to_flush_.push_back(&connection);
}

// Connections closed meanwhile are still alive (destroyed after the batch), so their pointers are safe.
void WsHub::flush_pending() {
  for (size_t i = 0; i < to_flush_.size(); ++i) {
    WsConnection* connection = to_flush_[i];
    connection->is_queued_for_flush = false;
    connection->flush();
  }
  to_flush_.clear();
}

void WsHub::leave(WsConnection& connection) {
  WsRoom* room = connection.room();
  if (room == nullptr) return;
  if (connection.room_prev != nullptr) connection.room_prev->room_next = connection.room_next;
  if (connection.room_next != nullptr) connection.room_next->room_prev = connection.room_prev;
  if (room->members == &connection) room->members = connection.room_next;
  connection.room_prev = connection.room_next = nullptr;
  if (--room->size == 0) rooms_.erase(std::string(room->name));
}

void WsHub::on_closed(WsConnection& connection) {
  leave(connection);
  if (connection.prev != nullptr) connection.prev->next = connection.next;
  if (connection.next != nullptr) connection.next->prev = connection.prev;
  if (connections_ == &connection) connections_ = connection.next;
  connection.prev = connection.next = nullptr;
  stats_.on_closed();
  worker_.stats().on_connection_closed();
  worker_.loop().destroy_later(std::unique_ptr<core::EventHandler>(&connection));
}

}  // namespace surge::serve
