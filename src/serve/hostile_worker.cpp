// Accepting for the hostile target. A bounded number of accepts per wake, as serve's own Worker does, and an
// intrusive list of connections so shutdown closes every one of them.
#include "serve/hostile_worker.h"

#include <errno.h>
#include <unistd.h>

#include "net/socket.h"
#include "serve/hostile_connection.h"

namespace surge::serve {
namespace {

constexpr int kMaxAcceptsPerWake = 64;

}  // namespace

HostileWorker::HostileWorker(core::EventLoop& loop, int listen_fd, Misbehaviour mode)
    : loop_(loop), listen_fd_(listen_fd), mode_(mode), read_buffer_(new char[kReadBufferBytes]) {}

HostileWorker::~HostileWorker() {
  while (connections_ != nullptr) connections_->close();
  loop_.remove(listen_fd_);
  ::close(listen_fd_);
}

core::Result<void> HostileWorker::start() { return loop_.add(listen_fd_, EPOLLIN, this); }

void HostileWorker::on_event(uint32_t /*events*/) {
  for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
    int fd = net::accept_connection(listen_fd_);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // drained (out of descriptors, the listener wakes us again at once: a test target's risk)
    }
    auto* connection = new HostileConnection(*this, fd, mode_, ++accepted_);
    connection->next = connections_;
    if (connections_ != nullptr) connections_->prev = connection;
    connections_ = connection;
    if (!connection->start()) connection->close();
  }
}

void HostileWorker::on_connection_closed(HostileConnection& connection) {
  if (connection.prev != nullptr) connection.prev->next = connection.next;
  if (connection.next != nullptr) connection.next->prev = connection.prev;
  if (connections_ == &connection) connections_ = connection.next;
  connection.prev = connection.next = nullptr;
  loop_.destroy_later(std::unique_ptr<core::EventHandler>(&connection));
}

}  // namespace surge::serve
