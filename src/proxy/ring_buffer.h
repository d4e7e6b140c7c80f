// A fixed ring of bytes for one direction of a relayed connection, filled by readv and emptied by sendmsg
// without copying. Positions are absolute stream offsets (bytes ever put in / taken out), which is what the
// latency marks refer to; the ring's slot for an offset is (offset - base) masked by the capacity.
#pragma once

#include <sys/uio.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace surge::proxy {

class RingBuffer {
 public:
  // capacity must be a power of two. The bytes are allocated on the first fill, so a connection that never
  // carries a byte this way costs nothing, and are not zeroed: nothing reads a slot before it is written.
  explicit RingBuffer(size_t capacity) : capacity_(capacity) {
    assert(capacity > 0 && (capacity & (capacity - 1)) == 0 && "RingBuffer capacity must be a power of two");
  }

  size_t size() const { return static_cast<size_t>(put_ - taken_); }
  size_t room() const { return capacity_ - size(); }
  bool empty() const { return put_ == taken_; }
  uint64_t put_total() const { return put_; }      // bytes ever added
  uint64_t taken_total() const { return taken_; }  // bytes ever removed (put_total - size)

  // The free space as one or two iovecs (two when it wraps); returns how many.
  int free_space(iovec out[2]) {
    if (!data_) data_.reset(new char[capacity_]);
    realign_if_empty();
    return segments(put_, room(), out);
  }
  // The first `count` stored bytes (count <= size()) as one or two iovecs; returns how many.
  int stored(size_t count, iovec out[2]) { return segments(taken_, count, out); }

  void commit_put(size_t count) { put_ += count; }
  void commit_take(size_t count) { taken_ += count; }
  void discard_all() { taken_ = put_; }

 private:
  // An empty ring starts over at slot 0, so the next read gets one contiguous iovec as large as the ring.
  void realign_if_empty() {
    if (empty()) base_ = put_;
  }
  int segments(uint64_t offset, size_t count, iovec out[2]) {
    const size_t start = static_cast<size_t>(offset - base_) & (capacity_ - 1);
    const size_t first = count < capacity_ - start ? count : capacity_ - start;
    out[0] = {data_.get() + start, first};
    if (first == count) return 1;
    out[1] = {data_.get(), count - first};
    return 2;
  }

  std::unique_ptr<char[]> data_;
  size_t capacity_;
  uint64_t base_ = 0;  // the offset stored at slot 0
  uint64_t put_ = 0;
  uint64_t taken_ = 0;
};

}  // namespace surge::proxy
