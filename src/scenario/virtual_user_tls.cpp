// The virtual user's TLS handshake, between the TCP connect and the first request (or the hold's "ready").
// A connection counts as opened only once its handshake is done; a failed handshake is a failed connect of
// kind `tls`. Write interest follows what OpenSSL wants, so a handshake costs no epoll_ctl beyond its flights.
#include <unistd.h>

#include "net/tls_client.h"
#include "scenario/virtual_user.h"

namespace surge::scenario {

void VirtualUser::start_handshake(State state, int64_t now_ns) {
  state_ = state;
  ssl_ = context_.tls ? context_.tls->open(fd_, target_, now_ns) : nullptr;
  if (ssl_ == nullptr) return fail_handshake();
  continue_handshake();
}

void VirtualUser::continue_handshake() {
  net::TlsStep step = net::tls_handshake(ssl_);
  if (step == net::TlsStep::kFailed) return fail_handshake();
  if (step != net::TlsStep::kDone) {
    bool wants_write = step == net::TlsStep::kWantWrite;
    if (wants_write != wants_write_) {
      wants_write_ = wants_write;
      (void)context_.loop.modify(fd_, wants_write ? EPOLLIN | EPOLLOUT : EPOLLIN, this);
    }
    return;
  }
  int64_t now = context_.loop.refresh_now();
  int64_t handshake_started = net::tls_handshake_started_ns(ssl_);
  context_.on_tls_connection_opened(sent_ns_, handshake_started - sent_ns_, now - handshake_started,
                                    net::tls_resumed(ssl_));
  if (state_ == State::kHandshaking) return send_request();
  context_.loop.cancel(*this);
  // Session tickets read ahead with the server's Finished would otherwise sit in OpenSSL's buffer for as long as
  // the connection is held, keeping the buffer RELEASE_BUFFERS is meant to give back.
  if (net::tls_has_pending(ssl_) && !net::tls_only_housekeeping(ssl_)) {
    state_ = State::kIdle;  // opened: closing it counts as closed
    close_connection();
    return host_.on_connection_lost(*this);
  }
  on_hold_ready();
}

void VirtualUser::fail_handshake() {
  if (state_ == State::kHoldHandshaking) return lose_hold_connect(metrics::ErrorKind::kTls);  // counts the failed connect
  ++context_.stats.connections(request_phase_).failed;
  fail_request(metrics::ErrorKind::kTls);
}

void VirtualUser::release_socket() {
  hold_loop_awake(false);
  if (ssl_ != nullptr) net::tls_close(ssl_);
  ssl_ = nullptr;
  close(fd_);  // closing also removes the fd from epoll
  fd_ = -1;
  wants_write_ = false;
}

}  // namespace surge::scenario
