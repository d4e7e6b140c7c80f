// One WebSocket connection of `surge serve`, after the upgrade: reads frames through FrameDecoder, echoes
// (/ws), hands messages to its room (/ws/room/{name}) or answers them as JSON-RPC (/mcp, /rpc), answers pings, echoes the close code, and answers a
// bad frame with close 1002 (1009 for a message over 16 MiB). Output waits in out_ until the hub flushes
// it at the end of the event, so a message broadcast to a room costs each member one write per batch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "proto/ws/frame_decoder.h"
#include "serve/ws_hub.h"

namespace surge::serve {

class WsConnection final : public core::EventHandler, public core::Timer, public proto::ws::FrameHandler {
 public:
  // Own output pending beyond which we stop reading this client until it drains (echo back-pressure).
  static constexpr size_t kPauseReadingBytes = 1 << 20;
  // Output pending for a client that does not read (room traffic cannot be paused): past it, it is dropped.
  static constexpr size_t kMaxPendingBytes = 64 << 20;

  // room is set for WsEndpoint::kRoom only. The fd stays registered in the loop under the old handler until
  // start().
  WsConnection(WsHub& hub, int fd, WsEndpoint endpoint, WsRoom* room);
  ~WsConnection() override;  // closes the socket if close() has not
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;

  // Takes over the fd's registration, queues the 101 for `key`, and reads early_bytes (frames the client
  // sent right behind its request). The caller flushes (WsHub::flush_pending).
  void start(std::string_view key, std::string_view subprotocol, std::string_view early_bytes);
  void on_event(uint32_t events) override;
  void on_timer() override;  // the end of a lingering close, or a delayed JSON-RPC answer's time

  // Appends encoded frame bytes for this client and asks the hub for a flush.
  void queue(std::string_view frame_bytes);
  // Writes what is pending; closes on a failed write or on overflow.
  void flush();
  // Closes the socket now and hands the connection back to the hub (destroyed after the batch).
  void close();
  bool is_closed() const { return closed_; }
  WsRoom* room() const { return room_; }

  // FrameHandler.
  void on_message(proto::ws::Opcode opcode, std::string_view payload) override;
  void on_ping(std::string_view payload) override;
  void on_pong(std::string_view payload) override;
  void on_close(uint16_t code, std::string_view reason) override;

  // The hub's lists: every connection, and the members of one room.
  WsConnection* prev = nullptr;
  WsConnection* next = nullptr;
  WsConnection* room_prev = nullptr;
  WsConnection* room_next = nullptr;
  bool is_queued_for_flush = false;

 private:
  void read_input();
  void send_close(uint16_t code, std::string_view reason);
  void begin_lingering_close();
  void update_interest();
  // A JSON-RPC message (/mcp, /rpc): its answer goes out now, or after a sleep tool's wait.
  void answer_rpc(std::string_view payload);
  size_t pending_bytes() const { return out_.size() - sent_; }

  WsHub& hub_;
  int fd_;
  WsRoom* room_;
  WsEndpoint endpoint_;
  bool mcp_session_open_ = false;  // /mcp: initialize was answered on this connection
  // Answers held back by a sleep tool, as frames, with the time the last may leave: later answers queue
  // behind them, so the client sees them in the order it asked.
  std::string delayed_;
  int64_t delayed_until_ns_ = 0;
  proto::ws::FrameDecoder decoder_;
  std::string out_;  // frames not yet written, from sent_ on
  size_t sent_ = 0;
  size_t handshake_left_ = 0;  // bytes of the 101 still to write; the upgrade is counted when it reaches 0
  uint32_t interest_ = 0;
  bool write_blocked_ = false;  // the last write was short: EPOLLOUT is on
  bool close_sent_ = false;     // our close frame is queued: nothing else is read or sent
  bool lingering_ = false;      // our side is shut: draining the client until EOF or the timer
  bool overflowed_ = false;
  bool closed_ = false;
};

}  // namespace surge::serve
