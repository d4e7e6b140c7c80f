// HostileConnection: request heads are found by their empty line (bodies are never expected: the hostile
// target is hit with GETs), answers are written as prefix, generated filler, suffix, with EPOLLOUT only
// after a short write, and each mode ends the exchange its own way.
#include "serve/hostile_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto/http/request_parser.h"
#include "proto/ws/handshake.h"
#include "serve/hostile_worker.h"

namespace surge::serve {
namespace {

constexpr std::string_view kHeadEnd = "\r\n\r\n";
constexpr std::string_view kBadRequest = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

}  // namespace

HostileConnection::~HostileConnection() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<void> HostileConnection::start() {
  // Silent modes watch only for the peer's close (EPOLLRDHUP), never for input.
  bool silent = mode_ == Misbehaviour::kNeverRead || mode_ == Misbehaviour::kEarlyResponse;
  interest_ = silent ? EPOLLRDHUP : EPOLLIN;
  if (auto added = worker_.loop().add(fd_, interest_, this); !added) return added;
  if (mode_ == Misbehaviour::kNeverRead) phase_ = Phase::kSilent;
  if (mode_ == Misbehaviour::kEarlyResponse) begin_answer(hostile_answer(mode_, seed_));
  return {};
}

void HostileConnection::close() {
  if (closed_) return;
  closed_ = true;
  worker_.loop().cancel(*this);
  worker_.loop().remove(fd_);
  ::close(fd_);
  fd_ = -1;
  worker_.on_connection_closed(*this);
}

void HostileConnection::on_event(uint32_t events) {
  if (closed_) return;
  if (events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
    if (phase_ == Phase::kSilent || !(events & EPOLLIN)) return close();
  }
  if ((events & EPOLLOUT) && phase_ == Phase::kWriting) write_answer();
  if (!closed_ && (events & EPOLLIN)) read_input();
}

void HostileConnection::on_timer() {
  if (closed_ || phase_ != Phase::kWriting) return;
  drip_due_ = true;
  write_answer();
}

void HostileConnection::read_input() {
  std::span<char> buffer = worker_.read_buffer();
  ssize_t n = ::read(fd_, buffer.data(), buffer.size());
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return close();
  if (n < 0) return;
  std::string_view bytes(buffer.data(), static_cast<size_t>(n));
  if (phase_ == Phase::kDraining) return;
  if (phase_ == Phase::kAwaitFrame) return send_broken_frame();  // the client's first frame is here
  size_t searched_from = input_.size() < kHeadEnd.size() ? 0 : input_.size() - (kHeadEnd.size() - 1);
  input_.append(bytes);
  if (input_.size() > proto::http::kMaxRequestHeadBytes) return close();  // no head is that long
  if (phase_ != Phase::kHead) return;  // the next request waits until this answer is out
  size_t end = input_.find(kHeadEnd, searched_from);
  if (end == std::string::npos) return;
  std::string head = input_.substr(0, end + kHeadEnd.size());
  input_.erase(0, head.size());
  on_head(head);
}

void HostileConnection::on_head(std::string_view head) {
  if (is_websocket_mode(mode_)) return answer_upgrade(head);
  begin_answer(hostile_answer(mode_, seed_));
}

// The WebSocket modes: a correct 101 first, so the client's session opens and its next frame meets the
// broken one.
void HostileConnection::answer_upgrade(std::string_view head) {
  proto::http::Request request;
  auto parsed = proto::http::parse_request_head(head, request, nullptr);
  HostileAnswer answer;
  if (parsed == proto::http::RequestParseResult::kComplete && proto::ws::is_upgrade_request(head)) {
    if (auto upgrade = proto::ws::check_upgrade_request(request.method, head)) {
      proto::ws::append_upgrade_response(answer.prefix, upgrade->key, upgrade->first_subprotocol);
      return begin_answer(std::move(answer));
    }
  }
  answer.prefix = kBadRequest;
  answer.end = HostileAnswer::End::kClose;
  begin_answer(std::move(answer));
}

void HostileConnection::send_broken_frame() {
  input_.clear();  // what the client sent is never looked at
  HostileAnswer answer;
  answer.prefix = hostile_frame(mode_);
  answer.end = HostileAnswer::End::kClose;
  begin_answer(std::move(answer));
}

void HostileConnection::begin_answer(HostileAnswer answer) {
  answer_ = std::move(answer);
  sent_ = 0;
  drip_due_ = false;
  phase_ = Phase::kWriting;
  write_answer();
}

// Writes what it can of answer_: prefix, filler (one byte per tick when dripping), suffix.
void HostileConnection::write_answer() {
  const uint64_t prefix = answer_.prefix.size();
  const uint64_t filler_end = prefix + answer_.filler_bytes;
  const uint64_t total = filler_end + answer_.suffix.size();
  while (sent_ < total && !closed_) {
    std::string_view bytes;
    if (sent_ < prefix) {
      bytes = std::string_view(answer_.prefix).substr(sent_);
    } else if (sent_ < filler_end) {
      if (answer_.drip && !drip_due_) {
        worker_.loop().schedule(*this, worker_.loop().now_ns() + kDripEveryNs);
        return;
      }
      bytes = filler_bytes(answer_.filler, sent_ - prefix, answer_.drip ? 1 : filler_end - sent_);
      drip_due_ = false;
    } else {
      bytes = answer_.suffix.substr(sent_ - filler_end);
    }
    if (!write_bytes(bytes)) return;
  }
  if (!closed_) finish_answer();
}

// One send; false when the socket is full (EPOLLOUT is on) or the connection closed.
bool HostileConnection::write_bytes(std::string_view bytes) {
  ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) {
      close();  // the client gave up (EPIPE, ECONNRESET): nothing more to say
      return false;
    }
    set_interest(interest_ | EPOLLOUT);
    return false;
  }
  sent_ += static_cast<uint64_t>(n);
  if (static_cast<size_t>(n) < bytes.size()) {
    set_interest(interest_ | EPOLLOUT);
    return false;
  }
  return true;
}

void HostileConnection::finish_answer() {
  set_interest(interest_ & ~uint32_t{EPOLLOUT});
  switch (answer_.end) {
    case HostileAnswer::End::kReset: {
      linger hard_close{1, 0};  // close sends RST instead of FIN
      ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard_close, sizeof hard_close);
      return close();
    }
    case HostileAnswer::End::kClose:
      ::shutdown(fd_, SHUT_WR);
      phase_ = mode_ == Misbehaviour::kEarlyResponse ? Phase::kSilent : Phase::kDraining;
      return;
    case HostileAnswer::End::kNextRequest:
      if (is_websocket_mode(mode_)) {  // the 101 is out (every other WebSocket answer ends in kClose)
        phase_ = Phase::kAwaitFrame;
        if (!input_.empty()) send_broken_frame();
        return;
      }
      phase_ = Phase::kHead;
      if (input_.find(kHeadEnd) != std::string::npos) {
        size_t end = input_.find(kHeadEnd) + kHeadEnd.size();
        std::string head = input_.substr(0, end);
        input_.erase(0, end);
        on_head(head);
      }
      return;
  }
}

void HostileConnection::set_interest(uint32_t events) {
  if (events == interest_ || closed_) return;
  interest_ = events;
  if (!worker_.loop().modify(fd_, events, this)) close();
}

}  // namespace surge::serve
