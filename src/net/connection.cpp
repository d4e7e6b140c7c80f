// The connection's opening (TCP connect, then the TLS handshake of a TLS target) and its byte I/O. A
// connection counts as opened only once it is open, TLS included; a TLS handshake's write interest follows
// what OpenSSL wants, so it costs no epoll_ctl beyond its flights.
#include "net/connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/socket.h"
#include "net/tls_client.h"

namespace surge::net {

Connection::~Connection() {
  if (state_ != State::kClosed) release();
}

bool Connection::connect(size_t target, int64_t started_ns, int64_t timeout_ns, ConnectFailure* failure) {
  int err = 0;
  const int fd = dialer_.start_connect(target, &err);
  if (fd < 0) {
    *failure = ConnectFailure{
        fd == kBindFailed ? ConnectFailure::Cause::kBind : ConnectFailure::Cause::kSocket, err};
    return false;
  }
  fd_ = fd;
  target_ = static_cast<uint32_t>(target);
  started_ns_ = started_ns;
  state_ = State::kConnecting;
  transport_ = dialer_.is_tls(target)         ? Transport::kTls
               : dialer_.kernel_receive_times ? Transport::kStamped
                                              : Transport::kPlain;
  wants_write_ = true;  // the connect completes as writable
  if (!dialer_.loop.add(fd_, EPOLLIN | EPOLLOUT, &owner_)) {
    release();
    *failure = ConnectFailure{ConnectFailure::Cause::kSocket, 0};
    return false;
  }
  hold_loop_awake(true);
  if (timeout_ns > 0) dialer_.loop.schedule(*this, started_ns + timeout_ns);
  return true;
}

void Connection::on_opening_event(uint32_t events) {
  if (state_ == State::kConnecting) return on_connected(events);
  if (state_ == State::kHandshaking) continue_handshake();
}

void Connection::on_connected(uint32_t events) {
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
  hold_loop_awake(false);
  if (int err = take_socket_error(fd_); err != 0)
    return fail(ConnectFailure{ConnectFailure::Cause::kSocket, err});
  const int64_t now = dialer_.loop.refresh_now();
  // The bound keeps running through a TLS handshake: it covers both.
  if (dialer_.is_tls(target_)) return start_handshake(now);
  dialer_.on_connection_opened(started_ns_, now - started_ns_);
  open();
}

void Connection::start_handshake(int64_t now_ns) {
  state_ = State::kHandshaking;
  ssl_ = dialer_.tls ? dialer_.tls->open(fd_, target_, now_ns) : nullptr;
  if (ssl_ == nullptr) return fail(ConnectFailure{ConnectFailure::Cause::kTls, 0, true});
  continue_handshake();
}

void Connection::continue_handshake() {
  const TlsStep step = tls_handshake(ssl_);
  if (step == TlsStep::kFailed) return fail(ConnectFailure{ConnectFailure::Cause::kTls, 0, true});
  if (step != TlsStep::kDone) return want_write(step == TlsStep::kWantWrite);
  const int64_t now = dialer_.loop.refresh_now();
  const int64_t handshake_started = tls_handshake_started_ns(ssl_);
  dialer_.on_tls_connection_opened(started_ns_, handshake_started - started_ns_, now - handshake_started,
                                   tls_resumed(ssl_));
  open();
}

void Connection::open() {
  dialer_.loop.cancel(*this);
  state_ = State::kOpen;
  owner_.on_connection_open();
}

void Connection::on_timer() {
  fail(ConnectFailure{ConnectFailure::Cause::kTimeout, 0, state_ == State::kHandshaking});
}

void Connection::fail(ConnectFailure failure) {
  release();
  owner_.on_connection_failed(failure);
}

void Connection::close() {
  if (state_ == State::kClosed) return;
  const bool was_open = state_ == State::kOpen;
  release();
  if (was_open) dialer_.on_connection_closed();
}

void Connection::release() {
  dialer_.loop.cancel(*this);
  hold_loop_awake(false);
  if (ssl_ != nullptr) tls_close(ssl_);
  ssl_ = nullptr;
  ::close(fd_);  // closing also removes the fd from epoll
  fd_ = -1;
  state_ = State::kClosed;
  wants_write_ = false;
}

void Connection::set_write_interest(bool on) {
  wants_write_ = on;
  (void)dialer_.loop.modify(fd_, on ? EPOLLIN | EPOLLOUT : EPOLLIN, &owner_);
}

void Connection::hold_loop_awake(bool on) {
  if (on == holds_loop_awake_) return;
  holds_loop_awake_ = on;
  if (on)
    dialer_.loop.hold_awake();
  else
    dialer_.loop.release_awake();
}

bool Connection::has_pending() const { return ssl_ != nullptr && tls_has_pending(ssl_); }

bool Connection::only_housekeeping() { return ssl_ != nullptr && tls_only_housekeeping(ssl_); }

// Session tickets read ahead with the server's Finished are housekeeping; anything else came unasked.
bool Connection::has_stray_bytes() { return has_pending() && !tls_only_housekeeping(ssl_); }

ssize_t Connection::read_stamped(char* buffer, size_t size, int64_t* received_ns) {
  int64_t stamp = 0;
  const ssize_t n = net::read_stamped(fd_, buffer, size, &stamp);
  if (stamp != 0) {
    *received_ns = stamp - dialer_.loop.realtime_offset_ns();
    dialer_.on_receive_stamp();
  }
  return n;
}

ssize_t Connection::read_tls(char* buffer, size_t size) { return tls_read(ssl_, buffer, size); }

ssize_t Connection::write_tls(const char* data, size_t size) { return tls_write(ssl_, data, size); }

}  // namespace surge::net
