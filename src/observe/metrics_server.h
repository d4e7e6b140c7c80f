// The /metrics endpoint: a small HTTP/1.1 server on the coordinator's event loop. It only ever sends the last
// published text, shared by every scrape in flight, so a scraper costs one fd and at most 8 KiB of input, and
// a slow one delays nobody (workers never see it: they run in their own processes).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "net/address.h"

namespace surge::observe {

class ScrapeConnection;

class MetricsServer final : public core::EventHandler {
 public:
  // Scrapers served at once; further connections are closed as soon as they are accepted (Prometheus
  // reports the target down for that scrape and retries at the next interval).
  static constexpr size_t kMaxConnections = 64;

  // Listens on address (port 0 picks a free one) and serves on loop, which must outlive the server. Until
  // the first publish() /metrics answers an empty body. Errors name the address and the errno
  // ("cannot bind 127.0.0.1:9464: EADDRINUSE (Address already in use)").
  static core::Result<std::unique_ptr<MetricsServer>> start(core::EventLoop& loop,
                                                            const net::SocketAddress& address);
  ~MetricsServer() override;  // closes the listening socket and every connection
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // What GET /metrics answers from now on; responses already being written keep the text they started with.
  void publish(std::string body);
  // From now on every request must carry "Authorization: Bearer <token>" or gets 401 (empty: no check).
  void require_bearer_token(std::string token) { token_ = std::move(token); }
  // The bound address (with the port chosen when it was 0).
  const net::SocketAddress& address() const { return address_; }
  size_t connection_count() const { return connections_.size(); }

  void on_event(uint32_t events) override;  // the listening socket is readable: accept

 private:
  friend class ScrapeConnection;
  MetricsServer(core::EventLoop& loop, int listen_fd, const net::SocketAddress& address);
  const std::shared_ptr<const std::string>& body() const { return body_; }
  const std::string& token() const { return token_; }
  // Called by a connection that is done: stops watching it and destroys it after the current batch.
  void on_connection_closed(ScrapeConnection& connection);

  core::EventLoop& loop_;
  int listen_fd_;
  net::SocketAddress address_;
  std::shared_ptr<const std::string> body_;
  std::string token_;
  std::vector<std::unique_ptr<ScrapeConnection>> connections_;
};

}  // namespace surge::observe
