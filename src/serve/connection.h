// One client connection of `surge serve`: reads requests (pipelined, with bodies), queues their responses in
// request order, and writes every ready one in one sendmsg. Idle it holds no buffer: input is parsed in the
// worker's read buffer and only an unparsed tail is kept; response bytes are generated, never stored.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "proto/http/chunked_decoder.h"
#include "proto/http/request_parser.h"
#include "serve/response_writer.h"
#include "serve/routes.h"

namespace surge::serve {

class Worker;

class Connection final : public core::EventHandler, public core::Timer {
 public:
  // Responses queued at once: further pipelined requests wait in the socket until the queue has room.
  static constexpr uint8_t kQueueSlots = 8;
  // Largest /echo request body; larger ones get 413 and the connection closes.
  static constexpr uint64_t kMaxEchoBytes = 64 * 1024 * 1024;

  Connection(Worker& worker, int fd) : worker_(worker), fd_(fd) {}
  ~Connection() override;  // closes the socket if close() has not

  // Starts watching the socket (takes ownership of fd).
  core::Result<void> start();
  // Before start(): the connection is TLS (takes ownership of ssl, in accept state). The handshake comes
  // first; ALPN's "h2" hands the connection to an H2Connection, anything else is HTTP/1.1 over TLS.
  void use_tls(SSL* ssl) {
    ssl_ = ssl;
    handshaking_ = true;
  }
  void on_event(uint32_t events) override;
  // Fires for the first queued response's delay, or the end of a lingering close.
  void on_timer() override;
  // Closes the socket now and hands the connection back to the worker (destroyed after the batch).
  void close();

  // The worker's list of open connections.
  Connection* prev = nullptr;
  Connection* next = nullptr;

 private:
  static constexpr int64_t kNotReady = INT64_MAX;  // a response still waiting for its request body

  struct QueuedResponse {
    ResponsePlan plan;
    int64_t ready_at_ns = kNotReady;  // monotonic; the response may leave from then on (delays)
    uint64_t request_bytes = 0;       // head + body bytes as received (X-Request-Bytes)
    // Its bytes in owned_: content type (echo) or the context kept for the answer (api, mcp), then body;
    // once an API answer is rendered they are only its body, and an MCP answer's are its extra header
    // lines, then its body.
    uint32_t owned_offset = 0;
    uint32_t owned_type_bytes = 0;
  };

  enum class Input : uint8_t {
    kHead,         // between requests
    kBody,         // body_left_ bytes of a Content-Length body to come
    kChunkedBody,  // a chunked body, through chunked_
    kClosed,       // no further request will be read: after Connection: close or a refusal
  };

  // Input (connection_input.cpp).
  void read_input();
  void parse_tail();
  size_t consume(const char* data, size_t size);
  void start_request(const proto::http::Request& request, std::string_view head, size_t bytes_after_head);
  bool take_body(std::string_view bytes);
  void finish_request();
  void refuse(uint16_t status);
  void on_peer_closed();
  void keep_tail(const char* data, size_t size);
  // WebSocket (ws_upgrade.cpp): hands the socket to a WsConnection and returns true, or returns false with
  // `plan` the answer (426 for a plain request, 400 for an upgrade the server will not take).
  bool upgrade_to_websocket(ResponsePlan& plan, const proto::http::Request& request, std::string_view head,
                            size_t bytes_after_head);

  // HTTP/2 (connection_input.cpp): hands the socket and the bytes read so far to an H2Connection.
  void hand_over_to_h2(std::string_view early);
  // TLS (connection_tls.cpp): one step of the handshake, then on to HTTP/1.1 or HTTP/2.
  void continue_handshake();

  // Output (connection_output.cpp).
  enum class WriteOutcome : uint8_t { kIdle, kProgress, kBlocked, kFailed };
  void flush();
  WriteOutcome write_ready_responses();
  void pop_response();
  void count_front(uint8_t count, int sign);
  ResponseView view_of(const QueuedResponse& response);
  void after_output();
  void begin_lingering_close();
  void update_interest();

  QueuedResponse& at(uint8_t i) { return queue_[(queue_head_ + i) % kQueueSlots]; }
  QueuedResponse& back() { return at(static_cast<uint8_t>(queue_size_ - 1)); }
  QueuedResponse& push(const ResponsePlan& plan);
  bool has_room_for_request() const { return queue_size_ + 2 <= kQueueSlots; }

  Worker& worker_;
  int fd_;
  SSL* ssl_ = nullptr;           // TLS (--tls-cert): every read and write goes through it
  std::string tail_;             // input not parsed yet: a partial head, or requests waiting for queue room
  std::string owned_;            // bytes of queued kOwned responses (echo bodies, stats), in queue order
  uint32_t owned_released_ = 0;  // prefix of owned_ whose responses are gone
  uint64_t body_left_ = 0;
  uint64_t head_sent_ = 0;  // bytes of the first queued response already written
  proto::http::ChunkedDecoder chunked_;
  QueuedResponse queue_[kQueueSlots];
  uint8_t queue_head_ = 0;
  uint8_t queue_size_ = 0;
  Input input_ = Input::kHead;
  uint32_t interest_ = 0;          // epoll events registered now
  bool write_blocked_ = false;     // the last write was short: EPOLLOUT is on
  bool waiting_for_room_ = false;  // the tail holds requests that wait for queue room
  bool closing_ = false;           // a response with Connection: close has been written
  bool peer_closed_ = false;
  bool lingering_ = false;
  bool closed_ = false;
  bool handshaking_ = false;  // TLS: the handshake is not done yet
};

}  // namespace surge::serve
