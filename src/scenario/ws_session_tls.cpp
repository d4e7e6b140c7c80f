// The WebSocket session over TLS (wss://): the handshake between the TCP connect and the upgrade request, and
// the byte I/O that goes through OpenSSL when the connection has a TLS session. A failed handshake is a failed
// connect of kind `tls`.
#include <sys/socket.h>
#include <unistd.h>

#include "net/tls_client.h"
#include "scenario/ws_session.h"

namespace surge::scenario {

void WsSession::start_handshake(int64_t now_ns) {
  state_ = State::kHandshaking;
  ssl_ = context_.tls ? context_.tls->open(fd_, step_->target, now_ns) : nullptr;
  if (ssl_ == nullptr) {
    ++context_.stats.connections(context_.phase).failed;
    return fail(metrics::ErrorKind::kTls);
  }
  continue_handshake();
}

void WsSession::continue_handshake() {
  net::TlsStep step = net::tls_handshake(ssl_);
  if (step == net::TlsStep::kFailed) {
    ++context_.stats.connections(context_.phase).failed;
    return fail(metrics::ErrorKind::kTls);  // closes the socket: a handshaking one never counted as opened
  }
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
  context_.on_tls_connection_opened(started_ns_, handshake_started - started_ns_, now - handshake_started,
                                    net::tls_resumed(ssl_));
  on_open();
}

ssize_t WsSession::write_bytes(const char* data, size_t size) {
  return ssl_ != nullptr ? net::tls_write(ssl_, data, size) : send(fd_, data, size, MSG_NOSIGNAL);
}

ssize_t WsSession::read_bytes(char* buffer, size_t size) {
  return ssl_ != nullptr ? net::tls_read(ssl_, buffer, size) : read(fd_, buffer, size);
}

}  // namespace surge::scenario
