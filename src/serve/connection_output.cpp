// The writing half of Connection and its life cycle: every ready response at the front of the queue goes
// out in one sendmsg, EPOLLOUT is on only after a short write, delays are one timer (the front's), and a
// closing connection shuts its side and drains the peer before close, so the last response is not reset.
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "serve/connection.h"
#include "serve/tls_server.h"
#include "serve/worker.h"

namespace surge::serve {
namespace {

// Writes in a row for one event before yielding to other connections (EPOLLOUT brings us back).
constexpr int kMaxWriteRounds = 8;
// How long a closing connection waits for the peer's FIN before closing anyway.
constexpr int64_t kLingerNs = 2 * core::kNsPerSec;
// owned_ keeps this much capacity when the queue empties; beyond it the memory is given back.
constexpr size_t kKeptOwnedCapacity = 4096;
// Bytes of owned_ already written after which the front is cut off (pipelined /echo streams).
constexpr uint32_t kCompactOwnedBytes = 64 * 1024;

}  // namespace

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
  SSL_free(ssl_);
}

core::Result<void> Connection::start() {
  interest_ = EPOLLIN;
  return worker_.loop().add(fd_, interest_, this);
}

void Connection::on_event(uint32_t events) {
  if (closed_) return;
  if (events & (EPOLLERR | EPOLLHUP)) {
    close();
    return;
  }
  if (handshaking_) {
    continue_handshake();
    return;
  }
  if (events & EPOLLIN) read_input();
  if (closed_ || lingering_) return;
  flush();
}

void Connection::on_timer() {
  if (closed_) return;
  if (lingering_) {
    close();
    return;
  }
  flush();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  worker_.loop().cancel(*this);
  worker_.loop().remove(fd_);
  ::close(fd_);
  fd_ = -1;
  worker_.stats().on_connection_closed();
  worker_.on_connection_closed(*this);
}

void Connection::flush() {
  write_blocked_ = false;
  int round = 0;
  for (; round < kMaxWriteRounds; ++round) {
    WriteOutcome outcome = write_ready_responses();
    if (outcome == WriteOutcome::kFailed) {
      close();
      return;
    }
    if (outcome == WriteOutcome::kBlocked) {
      write_blocked_ = true;
      break;
    }
    if (outcome == WriteOutcome::kProgress) continue;
    // Nothing ready: requests held back for queue room may be parsed now, and may be ready at once.
    if (!waiting_for_room_ || !has_room_for_request()) break;
    uint8_t queued = queue_size_;
    parse_tail();
    if (queue_size_ == queued) break;
  }
  // Out of rounds with more perhaps ready: EPOLLOUT (the socket is writable) brings us back next wake.
  if (round == kMaxWriteRounds) write_blocked_ = true;
  after_output();
}

ResponseView Connection::view_of(const QueuedResponse& response) {
  ResponseView view;
  view.plan = &response.plan;
  view.date = worker_.http_date(response.ready_at_ns);
  view.request_bytes = response.request_bytes;
  if (response.plan.source == BodySource::kOwned) {
    const char* start = owned_.data() + response.owned_offset;
    std::string_view prefix(start, response.owned_type_bytes);
    (response.plan.action == Action::kMcp ? view.extra_headers : view.content_type) = prefix;
    view.owned_body = std::string_view(start + response.owned_type_bytes, response.plan.body_bytes);
  }
  return view;
}

// Counts (sign 1) or takes back (sign -1) the first `count` queued responses.
void Connection::count_front(uint8_t count, int sign) {
  WorkerStats& stats = worker_.stats();
  int64_t now = worker_.loop().now_ns();
  for (uint8_t i = 0; i < count; ++i) {
    const ResponsePlan& plan = at(i).plan;
    uint64_t body = plan.head_only ? 0 : plan.body_bytes;
    if (sign > 0) {
      stats.count_response(plan.route, plan.status, body, now, plan.cache);
    } else {
      stats.uncount_response(plan.route, plan.status, body, now, plan.cache);
    }
  }
}

// One sendmsg for the ready responses at the front. Each response the batch holds entirely is counted
// before the call (a client that has read it must find it counted) and taken back if the write falls short.
Connection::WriteOutcome Connection::write_ready_responses() {
  WriteBatch& batch = worker_.write_batch();
  batch.clear();
  int64_t now = worker_.loop().now_ns();
  size_t ends[kQueueSlots];  // batch offset where each whole response ends
  uint8_t whole = 0;
  while (whole < queue_size_ && at(whole).ready_at_ns <= now) {
    if (!batch.append(view_of(at(whole)), whole == 0 ? head_sent_ : 0)) break;
    ends[whole++] = batch.bytes();
  }
  if (batch.bytes() == 0) return WriteOutcome::kIdle;
  count_front(whole, 1);
  msghdr message{};
  message.msg_iov = const_cast<iovec*>(batch.iov());
  message.msg_iovlen = static_cast<size_t>(batch.iov_count());
  ssize_t sent = ssl_ != nullptr ? tls_writev(ssl_, batch.iov(), batch.iov_count())
                                 : ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent < 0 && errno != EAGAIN && errno != EINTR) {
    count_front(whole, -1);
    return WriteOutcome::kFailed;
  }
  size_t written = sent < 0 ? 0 : static_cast<size_t>(sent);
  uint8_t done = 0;
  while (done < whole && written >= ends[done]) {
    pop_response();
    ++done;
  }
  size_t start = done == 0 ? 0 : ends[done - 1];
  if (written > start) head_sent_ += written - start;  // part of the response now at the front
  count_front(static_cast<uint8_t>(whole - done), -1);
  return written < batch.bytes() ? WriteOutcome::kBlocked : WriteOutcome::kProgress;
}

void Connection::pop_response() {
  QueuedResponse& front = at(0);
  if (front.plan.close_after) closing_ = true;
  if (front.plan.source == BodySource::kOwned) {
    owned_released_ =
        front.owned_offset + front.owned_type_bytes + static_cast<uint32_t>(front.plan.body_bytes);
  }
  queue_head_ = static_cast<uint8_t>((queue_head_ + 1) % kQueueSlots);
  --queue_size_;
  head_sent_ = 0;
  if (queue_size_ == 0) {
    if (owned_.capacity() > kKeptOwnedCapacity) {
      std::string().swap(owned_);
    } else {
      owned_.clear();
    }
    owned_released_ = 0;
  } else if (owned_released_ > kCompactOwnedBytes && owned_released_ > owned_.size() / 2) {
    owned_.erase(0, owned_released_);
    for (uint8_t i = 0; i < queue_size_; ++i) {
      if (at(i).plan.source == BodySource::kOwned) at(i).owned_offset -= owned_released_;
    }
    owned_released_ = 0;
  }
}

void Connection::after_output() {
  if (closed_) return;
  if (queue_size_ == 0) {
    if (closing_) {
      begin_lingering_close();
      return;
    }
    if (peer_closed_) {
      close();
      return;
    }
  } else {
    int64_t ready_at = at(0).ready_at_ns;
    bool waiting = ready_at > worker_.loop().now_ns() && ready_at != kNotReady;
    if (waiting && !(is_armed() && deadline_ns() == ready_at)) worker_.loop().schedule(*this, ready_at);
  }
  update_interest();
}

void Connection::begin_lingering_close() {
  if (ssl_ != nullptr) SSL_shutdown(ssl_);  // close_notify; a peer too slow to take it just misses it
  ::shutdown(fd_, SHUT_WR);
  if (peer_closed_) {
    close();
    return;
  }
  lingering_ = true;
  keep_tail(nullptr, 0);
  worker_.loop().schedule(*this, worker_.loop().now_ns() + kLingerNs);
  update_interest();
}

void Connection::update_interest() {
  uint32_t wanted = 0;
  if (lingering_) {
    wanted = EPOLLIN;
  } else {
    bool can_read = !peer_closed_ && input_ != Input::kClosed && !waiting_for_room_ &&
                    tail_.size() < Worker::kReadBufferBytes;
    if (can_read) wanted |= EPOLLIN;
    if (write_blocked_) wanted |= EPOLLOUT;
  }
  if (wanted == interest_) return;
  interest_ = wanted;
  if (!worker_.loop().modify(fd_, wanted, this)) close();
}

}  // namespace surge::serve
