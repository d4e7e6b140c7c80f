// WsConnection: one read per wake into the worker's buffer, fed to the decoder, whose events queue frames;
// writes happen in flush(). The close follows RFC 6455 §7.1: after our close frame is out we shut our side
// and drain the client until it closes too (or 2 s pass), so the close frame is not lost to a reset.
#include "serve/ws_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <span>

#include "core/clock.h"
#include "proto/ws/handshake.h"
#include "serve/routes.h"
#include "serve/worker.h"
#include "serve/ws_hub.h"

namespace surge::serve {
namespace {

namespace ws = proto::ws;

constexpr int64_t kLingerNs = 2 * core::kNsPerSec;
// out_ keeps this much capacity once drained; a larger buffer (after a big message) is given back.
constexpr size_t kKeptOutputCapacity = 64 * 1024;

uint16_t close_code_for(ws::FrameError error) {
  return error == ws::FrameError::kMessageTooBig ? ws::kCloseMessageTooBig : ws::kCloseProtocolError;
}

// The by_path key of an upgrade.
Route route_of(WsEndpoint endpoint) {
  return endpoint == WsEndpoint::kMcp ? Route::kMcp : endpoint == WsEndpoint::kRpc ? Route::kRpc : Route::kWs;
}

}  // namespace

WsConnection::WsConnection(WsHub& hub, int fd, WsEndpoint endpoint, WsRoom* room)
    : hub_(hub), fd_(fd), room_(room), endpoint_(endpoint), decoder_(ws::Role::kServer) {}

WsConnection::~WsConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void WsConnection::start(std::string_view key, std::string_view subprotocol, std::string_view early_bytes) {
  interest_ = EPOLLIN;
  if (!hub_.worker().loop().modify(fd_, interest_, this)) {
    close();
    return;
  }
  ws::append_upgrade_response(out_, key, subprotocol);
  handshake_left_ = out_.size();
  hub_.request_flush(*this);
  if (early_bytes.empty()) return;
  if (decoder_.feed(early_bytes, *this) != ws::FrameError::kNone) {
    send_close(close_code_for(decoder_.error()), decoder_.error_detail());
  }
}

void WsConnection::on_event(uint32_t events) {
  if (closed_) return;
  if (events & (EPOLLERR | EPOLLHUP)) {
    close();
  } else {
    if (events & EPOLLIN) read_input();
    if (!closed_ && (events & EPOLLOUT)) hub_.request_flush(*this);
  }
  hub_.flush_pending();
}

void WsConnection::on_timer() {
  if (closed_) return;
  if (lingering_) {
    close();  // the client never closed its side after our close frame
  } else if (!delayed_.empty() && !close_sent_) {
    out_ += delayed_;
    delayed_.clear();
    hub_.request_flush(*this);
  }
  hub_.flush_pending();
}

void WsConnection::read_input() {
  std::span<char> buffer = hub_.worker().read_buffer();
  const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) close();
    return;
  }
  if (n == 0 || lingering_) {  // EOF, or the client's last bytes after our close: nothing more to do
    if (n == 0) close();
    return;
  }
  if (close_sent_) return;  // our close is on its way: the rest is not read (RFC 6455 §5.5.1)
  if (decoder_.feed(std::string_view(buffer.data(), static_cast<size_t>(n)), *this) !=
      ws::FrameError::kNone) {
    send_close(close_code_for(decoder_.error()), decoder_.error_detail());
  }
}

void WsConnection::on_message(ws::Opcode opcode, std::string_view payload) {
  if (closed_ || close_sent_) return;
  WsStats& stats = hub_.stats();
  if (endpoint_ == WsEndpoint::kMcp || endpoint_ == WsEndpoint::kRpc) {
    stats.count_in(WsStats::kNoRoom);
    answer_rpc(payload);
    return;
  }
  if (room_ == nullptr) {
    stats.count_in(WsStats::kNoRoom);
    if (ws::append_frame(out_, opcode, payload, true, std::nullopt)) stats.count_out(WsStats::kNoRoom, 1);
    hub_.request_flush(*this);
    return;
  }
  stats.count_in(room_->stats_index);
  hub_.broadcast(*room_, opcode, payload);
}

void WsConnection::answer_rpc(std::string_view payload) {
  std::string& answer = hub_.rpc_scratch();
  answer.clear();
  WsRpcReply reply = endpoint_ == WsEndpoint::kMcp ? hub_.rpc().answer_mcp(payload, mcp_session_open_, answer)
                                                   : hub_.rpc().answer_rpc(payload, answer);
  if (!reply.has_reply) return;
  hub_.stats().count_out(WsStats::kNoRoom, 1);
  const int64_t now = hub_.worker().loop().now_ns();
  if (reply.delay_ms == 0 && delayed_.empty()) {
    (void)ws::append_frame(out_, ws::Opcode::kText, answer, true, std::nullopt);
    hub_.request_flush(*this);
    return;
  }
  (void)ws::append_frame(delayed_, ws::Opcode::kText, answer, true, std::nullopt);
  delayed_until_ns_ = std::max(delayed_until_ns_, now + reply.delay_ms * core::kNsPerMs);
  hub_.worker().loop().schedule(*this, delayed_until_ns_);
}

void WsConnection::on_ping(std::string_view payload) {
  if (closed_ || close_sent_) return;
  // The decoder delivers at most 125 bytes of ping payload, so the pong cannot be refused.
  (void)ws::append_frame(out_, ws::Opcode::kPong, payload, true, std::nullopt);
  hub_.request_flush(*this);
}

void WsConnection::on_pong(std::string_view /*payload*/) {}

// RFC 6455 §5.5.1: answer a close with a close; we echo the client's code (none for an empty close).
void WsConnection::on_close(uint16_t code, std::string_view /*reason*/) { send_close(code, {}); }

void WsConnection::send_close(uint16_t code, std::string_view reason) {
  if (close_sent_ || closed_) return;
  close_sent_ = true;
  reason = reason.substr(0, ws::kMaxCloseReason);
  if (!ws::append_close_frame(out_, code, reason, std::nullopt)) {
    (void)ws::append_close_frame(out_, code, {}, std::nullopt);
  }
  hub_.request_flush(*this);
}

void WsConnection::queue(std::string_view frame_bytes) {
  if (closed_ || close_sent_) return;
  out_.append(frame_bytes);
  if (pending_bytes() > kMaxPendingBytes) overflowed_ = true;
  hub_.request_flush(*this);
}

void WsConnection::flush() {
  if (closed_) return;
  if (overflowed_) {  // a client that stopped reading its room's traffic: drop it rather than grow forever
    close();
    return;
  }
  write_blocked_ = false;
  while (sent_ < out_.size()) {
    const ssize_t n = ::send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        write_blocked_ = true;
        break;
      }
      close();
      return;
    }
    sent_ += static_cast<size_t>(n);
    if (handshake_left_ > 0) {
      handshake_left_ -= std::min(handshake_left_, static_cast<size_t>(n));
      if (handshake_left_ == 0)
        hub_.worker().stats().count_response(route_of(endpoint_), 101, 0, hub_.worker().loop().now_ns());
    }
  }
  if (sent_ == out_.size()) {
    sent_ = 0;
    if (out_.capacity() > kKeptOutputCapacity) {
      std::string().swap(out_);
    } else {
      out_.clear();
    }
    if (close_sent_ && !lingering_) {
      begin_lingering_close();
      return;
    }
  }
  update_interest();
}

void WsConnection::begin_lingering_close() {
  ::shutdown(fd_, SHUT_WR);
  lingering_ = true;
  hub_.worker().loop().schedule(*this, hub_.worker().loop().now_ns() + kLingerNs);
  update_interest();
}

void WsConnection::update_interest() {
  uint32_t wanted = 0;
  if (lingering_ || (!close_sent_ && pending_bytes() <= kPauseReadingBytes)) wanted |= EPOLLIN;
  if (write_blocked_) wanted |= EPOLLOUT;
  if (wanted == interest_) return;
  interest_ = wanted;
  if (!hub_.worker().loop().modify(fd_, wanted, this)) close();
}

void WsConnection::close() {
  if (closed_) return;
  closed_ = true;
  if (mcp_session_open_) hub_.rpc().on_mcp_session_closed();
  hub_.worker().loop().cancel(*this);
  hub_.worker().loop().remove(fd_);
  ::close(fd_);
  fd_ = -1;
  hub_.on_closed(*this);
  room_ = nullptr;
}

}  // namespace surge::serve
