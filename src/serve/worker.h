// One worker of `surge serve`: accepts on its own listening socket and runs every connection on one loop,
// and owns what its connections share: the read buffer, the write batch, the date cache, the stats slot.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/event_loop.h"
#include "core/result.h"
#include "serve/api_responder.h"
#include "serve/mcp_server.h"
#include "serve/options.h"
#include "serve/response_writer.h"
#include "serve/stats.h"

namespace surge::serve {

class Connection;
class H2Connection;
class TlsContext;
class WsHub;

class Worker final : public core::EventHandler, public core::Timer {
 public:
  // Input bytes one connection may hold: a maximal request head (64 KiB) plus one more read.
  static constexpr size_t kReadBufferBytes = 128 * 1024;

  // listen_fd is a non-blocking listening socket the worker takes over (and closes). index picks the
  // stats slot. tls: every connection is TLS (--tls-cert), or nullptr. loop, shared_stats and tls must
  // outlive the worker.
  Worker(core::EventLoop& loop, int listen_fd, const ServeOptions& options, SharedStats& shared_stats,
         int index, const TlsContext* tls = nullptr);
  ~Worker() override;  // closes every open connection and the listening socket
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  core::Result<void> start();
  void on_event(uint32_t events) override;  // connections to accept
  void on_timer() override;                 // accepting again after running out of file descriptors

  // For connections.
  core::EventLoop& loop() { return loop_; }
  WorkerStats& stats() { return stats_; }
  const SharedStats& shared_stats() const { return shared_stats_; }
  int64_t base_delay_ns() const { return base_delay_ns_; }
  // --misbehave: an HTTP/2 mode (is_h2_mode) for the HTTP/2 connections to follow, else kNone.
  Misbehaviour h2_misbehaviour() const { return h2_misbehaviour_; }
  // --fail-every: whether this counted request is the one in fail_every that gets 503.
  bool fails_next_request() { return fail_every_ > 0 && ++requests_seen_ % fail_every_ == 0; }
  std::span<char> read_buffer() { return {read_buffer_.get(), kReadBufferBytes}; }
  WriteBatch& write_batch() { return *write_batch_; }
  ApiResponder& api() { return api_; }
  McpServer& mcp() { return mcp_; }
  WsHub& ws_hub() { return *ws_hub_; }
  // The Date header for a monotonic time (the loop's clock), via the once-a-second cache.
  std::string_view http_date(int64_t monotonic_ns);
  // Called by a connection that has closed its socket: unlinks it and destroys it after the batch.
  void on_connection_closed(Connection& connection);
  // A connection whose first bytes were the HTTP/2 client preface, or whose TLS agreed on "h2", hands its
  // socket over: an H2Connection takes fd, ssl (nullptr for h2c) and `early` (every byte read so far, the
  // preface first). The connection stays counted open.
  void adopt_h2(int fd, SSL* ssl, std::string_view early);
  // Called by an HTTP/2 connection that has closed its socket: unlinks it and destroys it after the batch.
  void on_h2_connection_closed(H2Connection& connection);

 private:
  void pause_accepting();

  core::EventLoop& loop_;
  int listen_fd_;
  SharedStats& shared_stats_;
  const TlsContext* tls_;
  WorkerStats stats_;
  int64_t base_delay_ns_;
  Misbehaviour h2_misbehaviour_;
  uint64_t fail_every_;
  uint64_t requests_seen_ = 0;
  int64_t wall_minus_monotonic_ns_;
  DateCache date_cache_;
  ApiResponder api_;
  McpServer mcp_;  // this worker's MCP sessions: a session opened here is unknown to other workers
  std::unique_ptr<char[]> read_buffer_;
  std::unique_ptr<WriteBatch> write_batch_;
  Connection* connections_ = nullptr;       // intrusive list of open connections
  H2Connection* h2_connections_ = nullptr;  // intrusive list of open HTTP/2 connections
  // WebSocket connections and rooms (ws_hub.h). Last, so it is destroyed first, while what its
  // connections use (loop, stats) is still there.
  std::unique_ptr<WsHub> ws_hub_;
};

}  // namespace surge::serve
