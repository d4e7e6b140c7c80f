// The relay step of one direction. Latency is applied per chunk (one readv's worth), not per byte: each chunk
// gets a due time no earlier than the chunk before it, so bytes keep their order. Bandwidth is a token bucket
// whose refills are computed from the loop's clock when a drain or a timer asks, never by a ticking timer.
#include "proxy/pipe.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cmath>

namespace surge::proxy {
namespace {

constexpr double kNsPerSecond = 1e9;

}  // namespace

void Pipe::set_effects(const PipeEffects& effects, int64_t now_ns) {
  if (effects.bytes_per_s != effects_.bytes_per_s) {
    if (effects_.bytes_per_s == 0) {
      tokens_ = 0;  // a new limit starts with no burst: the first bytes wait one quantum (token_wake_ns)
      tokens_at_ns_ = now_ns;
    } else if (effects.bytes_per_s != 0) {
      refill_tokens(now_ns);  // the time so far counts at the old rate
    }
  }
  effects_ = effects;
  tokens_ = std::min(tokens_, static_cast<double>(capacity_tokens()));
}

bool Pipe::fill(int source_fd, int64_t now_ns) {
  iovec parts[2];
  const int count = buffer_.free_space(parts);
  const ssize_t n = ::readv(source_fd, parts, count);
  const bool is_delayed = effects_.latency_ns > 0 || effects_.jitter_ns > 0;
  if (n > 0) {
    buffer_.commit_put(static_cast<size_t>(n));
    if (is_delayed) {
      marks_[(mark_head_ + mark_count_) % kMaxMarks] = {buffer_.put_total(), delayed_release_ns(now_ns)};
      ++mark_count_;
    }
    return true;
  }
  if (n == 0) {
    source_ended_ = true;
    ended_at_ns_ = now_ns;
    end_due_ns_ = is_delayed ? delayed_release_ns(now_ns) : now_ns;
    return true;
  }
  return errno == EAGAIN || errno == EINTR;
}

int64_t Pipe::drain(int sink_fd, int64_t now_ns) {
  if (effects_.held) return 0;
  release_due_marks(now_ns);
  const uint64_t due = released_until_ - buffer_.taken_total();
  uint64_t offer = due;
  if (effects_.bytes_per_s > 0 && due > 0) {
    refill_tokens(now_ns);
    offer = std::min<uint64_t>(due, static_cast<uint64_t>(tokens_));
  }
  int64_t sent = 0;
  is_write_blocked_ = false;
  if (offer > 0) {
    iovec parts[2];
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<size_t>(buffer_.stored(offer, parts));
    // MSG_NOSIGNAL: a peer that went away is an EPIPE here, not a SIGPIPE that ends the proxy.
    const ssize_t n = ::sendmsg(sink_fd, &message, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) return -1;
      is_write_blocked_ = true;
    } else {
      sent = n;
      is_write_blocked_ = static_cast<uint64_t>(n) < offer;
      buffer_.commit_take(static_cast<size_t>(n));
      if (effects_.bytes_per_s > 0) tokens_ -= static_cast<double>(n);
    }
  }
  const int64_t close_at_ns = std::max(end_due_ns_, ended_at_ns_ + effects_.close_delay_ns);
  if (source_ended_ && !is_sink_shut_ && buffer_.empty() && now_ns >= close_at_ns) {
    ::shutdown(sink_fd, SHUT_WR);  // fails only when the peer is gone, which its next event shows
    is_sink_shut_ = true;
  }
  return sent;
}

int64_t Pipe::next_wake_ns() const {
  if (effects_.held || is_sink_shut_) return kNever;
  int64_t wake = kNever;
  if (mark_count_ > 0) wake = marks_[mark_head_].release_ns;
  const uint64_t due = released_until_ - buffer_.taken_total();
  if (due > 0 && effects_.bytes_per_s > 0 && !is_write_blocked_) wake = std::min(wake, token_wake_ns(due));
  if (source_ended_ && buffer_.empty()) {
    wake = std::min(wake, std::max(end_due_ns_, ended_at_ns_ + effects_.close_delay_ns));
  }
  return wake;
}

void Pipe::release_due_marks(int64_t now_ns) {
  while (mark_count_ > 0 && marks_[mark_head_].release_ns <= now_ns) {
    released_until_ = marks_[mark_head_].end;
    mark_head_ = (mark_head_ + 1) % kMaxMarks;
    --mark_count_;
  }
  // Bytes read while no latency was active are due as soon as every delayed chunk before them is.
  if (mark_count_ == 0) released_until_ = buffer_.put_total();
}

// The bucket holds at most 50 ms of bytes, and a waiting pipe wakes when 10 ms worth (or all it has) is
// there: a wake-up that comes late by less than 40 ms loses no tokens, and bursts stay short.
uint64_t Pipe::capacity_tokens() const { return std::max<uint64_t>(effects_.bytes_per_s / 20, 1); }

void Pipe::refill_tokens(int64_t now_ns) {
  const double earned = static_cast<double>(now_ns - tokens_at_ns_) * static_cast<double>(effects_.bytes_per_s) /
                        kNsPerSecond;
  tokens_ = std::min(tokens_ + earned, static_cast<double>(capacity_tokens()));
  tokens_at_ns_ = now_ns;
}

int64_t Pipe::token_wake_ns(uint64_t wanted) const {
  const uint64_t quantum = std::max<uint64_t>(effects_.bytes_per_s / 100, 1);
  const double needed = static_cast<double>(std::min(wanted, quantum)) - tokens_;
  if (needed <= 0) return tokens_at_ns_;
  return tokens_at_ns_ + static_cast<int64_t>(std::ceil(needed * kNsPerSecond / effects_.bytes_per_s));
}

int64_t Pipe::delayed_release_ns(int64_t now_ns) {
  int64_t delay = effects_.latency_ns;
  if (effects_.jitter_ns > 0) {
    random_ ^= random_ << 13;
    random_ ^= random_ >> 7;
    random_ ^= random_ << 17;
    delay += static_cast<int64_t>(random_ % static_cast<uint64_t>(effects_.jitter_ns + 1));
  }
  last_release_ns_ = std::max(now_ns + delay, last_release_ns_);
  return last_release_ns_;
}

}  // namespace surge::proxy
