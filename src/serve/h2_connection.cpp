// The socket half of H2Connection: one read per wake fed to the session, the session's output gathered and
// written in one send, EPOLLOUT only after a short write; the connection closes when the session wants
// neither to read nor to write (after a GOAWAY, or the peer's) and its last bytes are out.
#include "serve/h2_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <span>

#include "serve/h2_stats.h"
#include "serve/mcp_stats.h"
#include "serve/tls_server.h"
#include "serve/worker.h"

namespace surge::serve {
namespace {

// Sends in a row for one event before yielding to other connections (EPOLLOUT brings us back).
constexpr int kMaxWriteRounds = 8;
// output_ keeps this much capacity once written out; a large body's buffer is given back, so an idle
// connection stays small.
constexpr size_t kKeptOutputBytes = 16 * 1024;

}  // namespace

H2Connection::~H2Connection() {
  if (fd_ >= 0) ::close(fd_);
  SSL_free(ssl_);
  nghttp2_session_del(session_);  // calls no stream-close callback: the streams are freed here
  while (streams_ != nullptr) {
    H2Stream* next = streams_->next;
    delete streams_;
    streams_ = next;
  }
}

core::Result<void> H2Connection::start(SSL* ssl, std::string_view early) {
  ssl_ = ssl;
  if (nghttp2_session_server_new(&session_, h2_server_callbacks(), this) != 0)
    return core::fail("cannot make an HTTP/2 session: out of memory");
  if (auto submitted = submit_settings(); !submitted) return submitted;
  if (H2Counters* counters = worker_.stats().h2_counters(); counters != nullptr) bump(counters->connections);
  interest_ = EPOLLIN;
  if (auto taken = worker_.loop().modify(fd_, interest_, this); !taken) return taken;
  if (!feed(early.data(), early.size())) {
    close();
    return {};
  }
  flush();
  return {};
}

void H2Connection::on_event(uint32_t events) {
  if (closed_) return;
  if (events & (EPOLLERR | EPOLLHUP)) {
    close();
    return;
  }
  if (events & EPOLLIN) read_input();
  if (closed_) return;
  flush();
}

void H2Connection::on_timer() {
  if (closed_) return;
  submit_ready_responses();
  flush();
}

void H2Connection::close() {
  if (closed_) return;
  closed_ = true;
  worker_.loop().cancel(*this);
  worker_.loop().remove(fd_);
  ::close(fd_);
  fd_ = -1;
  worker_.stats().on_connection_closed();
  if (H2Counters* counters = worker_.stats().h2_counters(); counters != nullptr) bump(counters->closed);
  worker_.on_h2_connection_closed(*this);
}

// Bytes from the peer into the session; false when the session has failed (nothing more can be sent).
// Protocol errors of the peer are not failures: the session queues its GOAWAY and stops reading.
bool H2Connection::feed(const char* data, size_t size) {
  if (size == 0) return true;
  return nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(data), size) >= 0;
}

void H2Connection::read_input() {
  std::span<char> buffer = worker_.read_buffer();
  ssize_t n = ssl_ != nullptr ? tls_read(ssl_, buffer.data(), buffer.size())
                              : ::read(fd_, buffer.data(), buffer.size());
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) close();
    return;
  }
  // EOF: an HTTP/2 client that is done closes the whole connection; its open streams have no reader left.
  if (n == 0 || !feed(buffer.data(), static_cast<size_t>(n))) close();
}

void H2Connection::flush() {
  write_blocked_ = false;
  int round = 0;
  for (; round < kMaxWriteRounds; ++round) {
    while (output_.size() - output_sent_ < kOutputBytes) {
      const uint8_t* data = nullptr;
      ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) {
        close();
        return;
      }
      if (n == 0) break;
      output_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    size_t pending = output_.size() - output_sent_;
    if (pending == 0) break;
    iovec out{output_.data() + output_sent_, pending};
    ssize_t sent = ssl_ != nullptr ? tls_writev(ssl_, &out, 1)
                                   : ::send(fd_, out.iov_base, pending, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno != EAGAIN && errno != EINTR) {
        close();
        return;
      }
      write_blocked_ = true;
      break;
    }
    output_sent_ += static_cast<size_t>(sent);
    if (output_sent_ < output_.size()) {  // short: the socket buffer is full
      write_blocked_ = true;
      break;
    }
    output_.clear();
    output_sent_ = 0;
  }
  if (round == kMaxWriteRounds) write_blocked_ = true;
  if (output_.empty() && output_.capacity() > kKeptOutputBytes) std::string().swap(output_);
  if (!write_blocked_ && output_.empty() && nghttp2_session_want_read(session_) == 0 &&
      nghttp2_session_want_write(session_) == 0) {
    close();
    return;
  }
  update_interest();
}

void H2Connection::update_interest() {
  uint32_t wanted = 0;
  if (nghttp2_session_want_read(session_) != 0) wanted |= EPOLLIN;
  if (write_blocked_) wanted |= EPOLLOUT;
  if (wanted == interest_) return;
  interest_ = wanted;
  if (!worker_.loop().modify(fd_, wanted, this)) close();
}

}  // namespace surge::serve
