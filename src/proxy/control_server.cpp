// Accepting control clients and owning their connections, on the proxy's loop (the routes call the proxy
// directly, so no lock or queue sits between the API and the relay).
#include "proxy/control_server.h"

#include <unistd.h>

#include <algorithm>

#include "net/socket.h"
#include "proxy/control_connection.h"

namespace surge::proxy {

core::Result<std::unique_ptr<ControlServer>> ControlServer::start(core::EventLoop& loop, Proxy& proxy,
                                                                  const net::SocketAddress& address) {
  auto fd = net::listen_tcp(address, net::ListenOptions{.reuse_port = false, .backlog = 128});
  if (!fd) return core::fail(fd.error().message);
  auto bound = net::local_address(*fd);
  if (!bound) {
    ::close(*fd);
    return core::fail(bound.error().message);
  }
  std::unique_ptr<ControlServer> server(new ControlServer(loop, proxy, *fd, *bound));
  if (auto added = loop.add(*fd, EPOLLIN, server.get()); !added) return core::fail(added.error().message);
  return server;
}

ControlServer::ControlServer(core::EventLoop& loop, Proxy& proxy, int listen_fd, const net::SocketAddress& address)
    : loop_(loop), proxy_(proxy), listen_fd_(listen_fd), address_(address) {}

ControlServer::~ControlServer() {
  ::close(listen_fd_);
  connections_.clear();
}

void ControlServer::on_event(uint32_t /*events*/) {
  while (true) {
    const int fd = net::accept_connection(listen_fd_);
    if (fd < 0) return;  // EAGAIN, or a transient error (EMFILE, ECONNABORTED): the next event retries
    if (connections_.size() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    auto connection = std::make_unique<ControlConnection>(*this, loop_, proxy_, fd);
    if (!connection->start()) continue;  // its destructor closes fd
    connections_.push_back(std::move(connection));
  }
}

void ControlServer::on_connection_closed(ControlConnection& connection) {
  auto found = std::find_if(connections_.begin(), connections_.end(),
                            [&](const std::unique_ptr<ControlConnection>& c) { return c.get() == &connection; });
  if (found == connections_.end()) return;
  std::unique_ptr<ControlConnection> owned = std::move(*found);
  *found = std::move(connections_.back());
  connections_.pop_back();
  loop_.destroy_later(std::move(owned));
}

}  // namespace surge::proxy
