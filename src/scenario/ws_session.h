// A virtual user's WebSocket connection: it runs one `ws` step at a time (connect, send, expect, ping, close)
// over its own net::Connection and tells its owner how the step ended. Frames are decoded as they arrive (any
// split); server pings are answered; messages that match no waiting step are skipped, as a room's traffic
// needs.
#pragma once

#include <cstdint>
#include <string>

#include "core/event_loop.h"
#include "core/timer_heap.h"
#include "metrics/error_kind.h"
#include "metrics/request_stats.h"
#include "net/connection.h"
#include "proto/http/response_parser.h"
#include "proto/ws/frame_decoder.h"
#include "scenario/compiled_plan.h"
#include "scenario/cookie_jar.h"
#include "scenario/worker_context.h"

namespace surge::scenario {

class WsSessionOwner {
 public:
  // The step ended: ok, or failed with `kind` (the connection is closed then). Called once per run(), maybe
  // before run() returns.
  virtual void on_ws_step_done(bool ok, metrics::ErrorKind kind) = 0;
  // The user's variable in this slot, for a step's captures from the message it waited for.
  virtual std::string& ws_variable(uint32_t slot) = 0;

 protected:
  ~WsSessionOwner() = default;
};

// Its connection's socket handler: a net::ConnectionOwner (a core::EventHandler).
class WsSession final : public net::ConnectionOwner, private core::Timer, private proto::ws::FrameHandler {
 public:
  WsSession(WorkerContext& context, WsSessionOwner& owner);
  ~WsSession() override;
  WsSession(const WsSession&) = delete;
  WsSession& operator=(const WsSession&) = delete;

  // Runs one step. cell receives the bytes sent and received until the step ends. A step other than connect on
  // a session that is not open fails at once (kind eof). cookies: the user's jar when its scenario has
  // `cookies:` (a connect sends its matching cookies and stores the upgrade answer's Set-Cookie), else null.
  void run(const CompiledWsStep& step, const templating::RenderContext& render, metrics::RequestStats& cell,
           CookieJar* cookies = nullptr);
  // Closes the socket at once, without a close handshake, and forgets any step in progress (no callback).
  void close_now();
  bool is_open() const { return state_ == State::kOpen; }

 private:
  // kConnecting: the connection opens (TCP, then TLS for wss://); kUpgrading: the upgrade request is out.
  enum class State : uint8_t { kClosed, kConnecting, kUpgrading, kOpen };
  enum class Waiting : uint8_t { kNothing, kConnect, kWrite, kMessage, kPong, kClose };

  void on_event(uint32_t events) override;
  void on_timer() override;
  void on_connection_open() override;
  void on_connection_failed(net::ConnectFailure failure) override;
  void on_message(proto::ws::Opcode opcode, std::string_view payload) override;
  void on_ping(std::string_view payload) override;
  void on_pong(std::string_view payload) override;
  void on_close(uint16_t code, std::string_view reason) override;

  void start_connect(const CompiledWsStep& step, const templating::RenderContext& render);
  void read_input();
  void on_upgrade_bytes(std::string_view bytes);
  void on_frame_bytes(std::string_view bytes);
  void queue_frame(proto::ws::Opcode opcode, std::string_view payload);
  void flush();
  void after_write();
  bool matches(std::string_view message) const;
  void capture(std::string_view message);
  void succeed();
  void fail(metrics::ErrorKind kind);
  void fail_check();
  void deliver();
  void close_socket();

  WorkerContext& context_;
  WsSessionOwner& owner_;
  const CompiledWsStep* step_ = nullptr;
  CookieJar* cookies_ = nullptr;
  std::string path_;      // the connect's path without its query: where the upgrade's cookies belong
  metrics::RequestStats* cell_ = nullptr;
  proto::http::ResponseParser parser_;
  proto::ws::FrameDecoder decoder_;
  std::string out_;       // frames (or the upgrade request) not yet written
  std::string head_;      // the upgrade response as it arrives
  std::string key_;       // Sec-WebSocket-Key of the upgrade in progress
  int64_t started_ns_ = 0;
  int64_t rpc_first_id_ = 0;  // a JSON-RPC send: the first id its message drew
  net::Connection connection_{context_, *this};
  State state_ = State::kClosed;
  Waiting waiting_ = Waiting::kNothing;
  bool has_outcome_ = false;  // an outcome waits to be delivered once the current event is handled
  bool outcome_ok_ = false;
  bool in_event_ = false;
  metrics::ErrorKind outcome_kind_ = metrics::ErrorKind::kEof;
};

}  // namespace surge::scenario
