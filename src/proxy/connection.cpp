// A connection's life: connect upstream (reading the client meanwhile) → relay both ways → pass each end of
// stream on → close once both ways are done, or reset both sides as soon as either fails. After every event
// or timer the pump drains both pipes and sets socket interest and the timer from what the pipes want; epoll
// is touched only when that changes (under backpressure or faults), never per chunk in the plain case.
#include "proxy/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "net/socket.h"
#include "proxy/proxy.h"

namespace surge::proxy {
namespace {

// Both directions draw jitter from their own sequence, fixed by the proxy's seed and the connection.
uint64_t pipe_seed(uint64_t seed, uint64_t id, uint64_t direction) {
  return (seed * 0x9e3779b97f4a7c15ULL) ^ (id * 2 + direction + 1) * 0xbf58476d1ce4e5b9ULL;
}

}  // namespace

Connection::Connection(Proxy& owner, core::EventLoop& loop, ProxyStats& stats, uint64_t id, int client_fd,
                       int upstream_fd, size_t buffer_bytes, uint64_t seed)
    : owner_(owner),
      loop_(loop),
      stats_(stats),
      id_(id),
      upstream_handler_(*this),
      to_upstream_(buffer_bytes, pipe_seed(seed, id, 0)),
      to_client_(buffer_bytes, pipe_seed(seed, id, 1)) {
  client_.fd = client_fd;
  client_.handler = this;
  upstream_.fd = upstream_fd;
  upstream_.handler = &upstream_handler_;
}

Connection::~Connection() {
  loop_.cancel(*this);
  if (client_.fd >= 0) ::close(client_.fd);
  if (upstream_.fd >= 0) ::close(upstream_.fd);
}

core::Result<void> Connection::start(const ConnectionEffects& effects) {
  to_upstream_.set_effects(effects.upstream, loop_.now_ns());
  to_client_.set_effects(effects.downstream, loop_.now_ns());
  const uint32_t client_interest = to_upstream_.wants_read() ? EPOLLIN : 0u;
  if (client_interest != 0) {
    if (auto added = loop_.add(client_.fd, client_interest, this); !added) return added;
    client_.interest = client_interest;
    client_.is_registered = true;
  }
  if (auto added = loop_.add(upstream_.fd, EPOLLOUT, &upstream_handler_); !added) return added;
  upstream_.interest = EPOLLOUT;
  upstream_.is_registered = true;
  return {};
}

void Connection::set_effects(const ConnectionEffects& effects) {
  if (!is_open()) return;
  to_upstream_.set_effects(effects.upstream, loop_.now_ns());
  to_client_.set_effects(effects.downstream, loop_.now_ns());
  pump();
}

void Connection::reset() { close_both(true); }

void Connection::on_side_event(Side& side, uint32_t events) {
  if (!is_open()) return;
  if (&side == &upstream_ && is_connecting_ && !finish_connect()) return;
  Pipe& from = &side == &client_ ? to_upstream_ : to_client_;
  // HUP and ERR count as readable: the read returns the last bytes, the end of stream, or the error.
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 && from.wants_read() &&
      !from.fill(side.fd, loop_.now_ns())) {
    return close_both(true);
  }
  pump();
}

// The connect finished one way or the other (EPOLLOUT, or ERR/HUP). A failed one resets the client: the
// nearest a proxy that has already accepted can come to "refused".
bool Connection::finish_connect() {
  if (net::take_socket_error(upstream_.fd) != 0) {
    ++stats_.upstream_connect_failures;
    close_both(true);
    return false;
  }
  is_connecting_ = false;
  return true;
}

void Connection::pump() {
  if (!is_open()) return;
  const int64_t now_ns = loop_.now_ns();
  if (!is_connecting_) {
    const int64_t sent = to_upstream_.drain(upstream_.fd, now_ns);
    if (sent < 0) return close_both(true);
    stats_.bytes_upstream += static_cast<uint64_t>(sent);
  }
  const int64_t sent = to_client_.drain(client_.fd, now_ns);
  if (sent < 0) return close_both(true);
  stats_.bytes_downstream += static_cast<uint64_t>(sent);
  if (to_upstream_.is_done() && to_client_.is_done()) return close_both(false);

  const uint32_t client_interest =
      (to_upstream_.wants_read() ? EPOLLIN : 0u) | (to_client_.wants_write() ? EPOLLOUT : 0u);
  const uint32_t upstream_interest =
      is_connecting_ ? EPOLLOUT : (to_client_.wants_read() ? EPOLLIN : 0u) | (to_upstream_.wants_write() ? EPOLLOUT : 0u);
  // A full buffer stops reading its source until the sink takes bytes: the back pressure a client feels.
  if ((client_.interest & EPOLLIN) != 0 && (client_interest & EPOLLIN) == 0 && to_upstream_.is_full()) {
    ++stats_.reads_paused;
  }
  if ((upstream_.interest & EPOLLIN) != 0 && (upstream_interest & EPOLLIN) == 0 && to_client_.is_full()) {
    ++stats_.reads_paused;
  }
  if (!set_interest(client_, client_interest) || !set_interest(upstream_, upstream_interest)) {
    return close_both(true);
  }
  // The upstream pipe cannot drain before the connect completes, so its due times would only re-fire.
  const int64_t wake_ns =
      std::min(to_client_.next_wake_ns(), is_connecting_ ? Pipe::kNever : to_upstream_.next_wake_ns());
  if (wake_ns == Pipe::kNever) {
    loop_.cancel(*this);
    return;
  }
  // Never at or before now: the timer heap would fire it again within the same expiry pass.
  const int64_t deadline = std::max(wake_ns, now_ns + 1);
  if (!is_armed() || deadline_ns() != deadline) loop_.schedule(*this, deadline);
}

bool Connection::set_interest(Side& side, uint32_t interest) {
  if (interest == side.interest) return true;
  side.interest = interest;
  if (interest == 0) {
    loop_.remove(side.fd);
    side.is_registered = false;
    return true;
  }
  auto changed = side.is_registered ? loop_.modify(side.fd, interest, side.handler)
                                    : loop_.add(side.fd, interest, side.handler);
  side.is_registered = true;
  return changed.has_value();
}

void Connection::close_both(bool with_reset) {
  if (!is_open()) return;
  loop_.cancel(*this);
  for (Side* side : {&client_, &upstream_}) {
    if (with_reset) {
      linger abort{1, 0};  // close sends RST instead of FIN and drops unsent bytes
      setsockopt(side->fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    }
    ::close(side->fd);  // also takes it out of epoll
    side->fd = -1;
  }
  owner_.on_connection_closed(*this);
}

}  // namespace surge::proxy
