// One direction of a relayed connection: bytes read from a source socket wait in a bounded ring until they
// are due (latency), allowed (bandwidth) and not held (partition), then go to the sink socket; the source's
// end of stream goes on as a shutdown of the sink, after slow_close's delay. With no fault active a chunk
// costs one readv and one sendmsg, and nothing is touched per byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "proxy/ring_buffer.h"

namespace surge::proxy {

// What the active faults do to one direction of one connection (combined over all faults that chose it).
struct PipeEffects {
  int64_t latency_ns = 0;      // sum of the latency faults' fixed parts
  int64_t jitter_ns = 0;       // sum of their jitters: each chunk adds uniform [0, jitter_ns]
  uint64_t bytes_per_s = 0;    // the lowest bandwidth limit; 0 = none
  int64_t close_delay_ns = 0;  // the longest slow_close delay
  bool held = false;           // a partition: nothing is read or written
  bool operator==(const PipeEffects&) const = default;
};

class Pipe {
 public:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  // Chunks waiting on latency at once; when they are all taken the source is not read (backpressure).
  static constexpr size_t kMaxMarks = 64;

  // buffer_bytes: a power of two. random_seed drives the jitter draws.
  Pipe(size_t buffer_bytes, uint64_t random_seed) : buffer_(buffer_bytes), random_(random_seed | 1) {}

  // Takes effect at once: a lifted hold or slow_close lets waiting bytes and a waiting shutdown go on the
  // next drain; latency applies to chunks read from now on (earlier chunks keep their due times).
  void set_effects(const PipeEffects& effects, int64_t now_ns);

  // One readv from source into the free room. False when the source failed (the connection should be reset);
  // EAGAIN is no failure, and end of stream is recorded.
  bool fill(int source_fd, int64_t now_ns);
  // Sends what is due and allowed to sink (one sendmsg), then shuts sink's write side once the source has
  // ended, everything is sent and the close delay has passed. Returns bytes sent, or -1 when sink failed.
  int64_t drain(int sink_fd, int64_t now_ns);

  bool wants_read() const {
    return !source_ended_ && !effects_.held && buffer_.room() > 0 && mark_count_ < kMaxMarks;
  }
  // The sink took less than was offered: wait for it to become writable.
  bool wants_write() const { return is_write_blocked_ && !effects_.held; }
  // End of stream has been passed on: nothing more will flow this way.
  bool is_done() const { return is_sink_shut_; }
  // When time alone lets this pipe make progress (a chunk falls due, tokens refill, a delayed close);
  // kNever when only socket events can.
  int64_t next_wake_ns() const;
  size_t buffered_bytes() const { return buffer_.size(); }
  bool is_full() const { return buffer_.room() == 0; }

 private:
  struct Mark {
    uint64_t end;        // stream offset just past the chunk
    int64_t release_ns;  // when the chunk is due; never earlier than the chunk before it
  };

  void release_due_marks(int64_t now_ns);
  void refill_tokens(int64_t now_ns);
  int64_t token_wake_ns(uint64_t wanted) const;
  int64_t delayed_release_ns(int64_t now_ns);
  uint64_t capacity_tokens() const;

  RingBuffer buffer_;
  PipeEffects effects_;
  uint64_t random_;  // xorshift64 state for jitter
  std::array<Mark, kMaxMarks> marks_{};
  size_t mark_head_ = 0;
  size_t mark_count_ = 0;
  uint64_t released_until_ = 0;  // stream offset up to which bytes are due (latency)
  int64_t last_release_ns_ = 0;  // due time of the newest chunk, so later chunks never overtake it
  double tokens_ = 0;            // bandwidth: bytes that may be sent now
  int64_t tokens_at_ns_ = 0;     // when tokens_ was last topped up
  int64_t ended_at_ns_ = 0;      // source's end of stream: when it was read ...
  int64_t end_due_ns_ = 0;       // ... and when it falls due behind the chunks before it (latency)
  bool source_ended_ = false;
  bool is_write_blocked_ = false;
  bool is_sink_shut_ = false;
};

}  // namespace surge::proxy
