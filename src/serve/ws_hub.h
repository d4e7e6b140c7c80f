// What a serve worker's WebSocket connections share: the list of them, the rooms of /ws/room/{name} (per
// worker process: with --workers N each process has its own rooms), the connections waiting for a flush,
// and the scratch a broadcast frame is encoded in once for all its recipients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "proto/ws/frame.h"
#include "serve/ws_rpc.h"
#include "serve/ws_stats.h"

namespace surge::serve {

class Worker;
class WsConnection;

// What a WebSocket connection does with the messages it reads: echo them (/ws), broadcast them to its room
// (/ws/room/{name}), or answer them as JSON-RPC (/mcp, /rpc: ws_rpc.h).
enum class WsEndpoint : uint8_t { kEcho, kRoom, kMcp, kRpc };

struct WsRoom {
  std::string_view name;            // the key of its node in WsHub::rooms_
  WsConnection* members = nullptr;  // intrusive list through WsConnection::room_prev/room_next
  size_t size = 0;
  uint32_t stats_index = WsStats::kUntrackedRoom;
};

class WsHub {
 public:
  explicit WsHub(Worker& worker);
  ~WsHub();  // closes every WebSocket connection
  WsHub(const WsHub&) = delete;
  WsHub& operator=(const WsHub&) = delete;

  // Takes over `fd`, still registered in the loop by the HTTP connection that read the upgrade request
  // (which lets go of it): joins `room` (kRoom only), answers 101 and reads early_bytes.
  void adopt(int fd, WsEndpoint endpoint, std::string_view room, std::string_view key,
             std::string_view subprotocol, std::string_view early_bytes);
  // Sends one message to every member of `room`, the sender included; the frame is encoded once.
  void broadcast(WsRoom& room, proto::ws::Opcode opcode, std::string_view payload);
  // Writes, at the end of the current event, the output `connection` has queued.
  void request_flush(WsConnection& connection);
  // Flushes every connection that asked since the last call. Called at the end of each WebSocket event.
  void flush_pending();
  // Called by a connection that has closed its socket: leaves its room, unlinks, destroys after the batch.
  void on_closed(WsConnection& connection);

  Worker& worker() { return worker_; }
  WsStats& stats() { return stats_; }
  WsRpcResponder& rpc() { return rpc_; }
  // Where a JSON-RPC answer is written before it is framed (reused by every connection of the worker).
  std::string& rpc_scratch() { return rpc_scratch_; }

 private:
  WsRoom& room_named(std::string_view name);
  void leave(WsConnection& connection);

  Worker& worker_;
  WsStats stats_;
  WsRpcResponder rpc_;
  std::unordered_map<std::string, WsRoom> rooms_;  // a node per room: a WsRoom never moves
  std::vector<WsConnection*> to_flush_;
  std::string frame_;  // the broadcast frame, reused
  std::string rpc_scratch_;
  WsConnection* connections_ = nullptr;
};

}  // namespace surge::serve
