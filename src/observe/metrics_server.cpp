// Accepting scrapers and owning their connections. Everything runs on the coordinator's loop between
// snapshot reads, and each step is a non-blocking syscall or two, so a scrape never holds up a merge.
#include "observe/metrics_server.h"

#include <errno.h>
#include <unistd.h>

#include <algorithm>

#include "net/socket.h"
#include "observe/scrape_connection.h"

namespace surge::observe {

core::Result<std::unique_ptr<MetricsServer>> MetricsServer::start(core::EventLoop& loop,
                                                                  const net::SocketAddress& address) {
  auto fd = net::listen_tcp(address, net::ListenOptions{.reuse_port = false, .backlog = 128});
  if (!fd) return core::fail(fd.error().message);
  auto bound = net::local_address(*fd);
  if (!bound) {
    ::close(*fd);
    return core::fail(bound.error().message);
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer(loop, *fd, *bound));
  if (auto added = loop.add(*fd, EPOLLIN, server.get()); !added) return core::fail(added.error().message);
  return server;
}

MetricsServer::MetricsServer(core::EventLoop& loop, int listen_fd, const net::SocketAddress& address)
    : loop_(loop), listen_fd_(listen_fd), address_(address), body_(std::make_shared<const std::string>()) {}

MetricsServer::~MetricsServer() {
  ::close(listen_fd_);
  connections_.clear();  // each closes its socket and cancels its timer
}

void MetricsServer::publish(std::string body) {
  body_ = std::make_shared<const std::string>(std::move(body));
}

void MetricsServer::on_event(uint32_t /*events*/) {
  while (true) {
    int fd = net::accept_connection(listen_fd_);
    if (fd < 0) return;  // EAGAIN, or a transient error (EMFILE, ECONNABORTED): the next event retries
    if (connections_.size() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    auto connection = std::make_unique<ScrapeConnection>(*this, loop_, fd);
    if (!connection->start()) continue;  // its destructor closes fd
    connections_.push_back(std::move(connection));
  }
}

void MetricsServer::on_connection_closed(ScrapeConnection& connection) {
  auto found =
      std::find_if(connections_.begin(), connections_.end(),
                   [&](const std::unique_ptr<ScrapeConnection>& c) { return c.get() == &connection; });
  if (found == connections_.end()) return;
  std::unique_ptr<ScrapeConnection> owned = std::move(*found);
  *found = std::move(connections_.back());
  connections_.pop_back();
  loop_.destroy_later(std::move(owned));  // events already fetched for it in this batch stay safe
}

}  // namespace surge::observe
