// The control API's HTTP/1.1 server, on the proxy's own loop: one request per connection (answered with
// "Connection: close"), so a control client costs one fd and at most kMaxRequestBytes, and never the relay
// any time beyond the few syscalls of its request.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "net/address.h"
#include "proxy/proxy.h"

namespace surge::proxy {

class ControlConnection;

class ControlServer final : public core::EventHandler {
 public:
  static constexpr size_t kMaxConnections = 64;  // more at once are closed as soon as they are accepted

  // Listens on address (port 0 picks a free one). proxy and loop must outlive the server. Errors name the
  // address and the errno ("cannot bind 127.0.0.1:8474: EADDRINUSE (Address already in use)").
  static core::Result<std::unique_ptr<ControlServer>> start(core::EventLoop& loop, Proxy& proxy,
                                                            const net::SocketAddress& address);
  ~ControlServer() override;  // closes the listener and every connection
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const net::SocketAddress& address() const { return address_; }
  // From now on every request must carry "Authorization: Bearer <token>" or gets 401 (empty: no check).
  void require_bearer_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  void on_event(uint32_t events) override;  // the listener is readable: accept

 private:
  friend class ControlConnection;
  ControlServer(core::EventLoop& loop, Proxy& proxy, int listen_fd, const net::SocketAddress& address);
  void on_connection_closed(ControlConnection& connection);

  core::EventLoop& loop_;
  Proxy& proxy_;
  int listen_fd_;
  net::SocketAddress address_;
  std::string token_;
  std::vector<std::unique_ptr<ControlConnection>> connections_;
};

}  // namespace surge::proxy
