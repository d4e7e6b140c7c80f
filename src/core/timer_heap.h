// Intrusive binary min-heap of timers: schedule, cancel and reschedule in O(log n) with no allocation
// (the Timer lives inside its owner, e.g. a connection, and remembers its own heap slot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace surge::core {

class Timer {
 public:
  virtual void on_timer() = 0;
  bool is_armed() const { return heap_index_ >= 0; }
  int64_t deadline_ns() const { return deadline_ns_; }
  // The earliest moment it may fire: deadline_ns() less the early window it was scheduled with.
  int64_t earliest_ns() const { return earliest_ns_; }

 protected:
  ~Timer() = default;

 private:
  friend class TimerHeap;
  int64_t deadline_ns_ = 0;
  int64_t earliest_ns_ = 0;
  uint64_t sequence_ = 0;  // ties on deadline fire in scheduling order
  int32_t heap_index_ = -1;
};

class TimerHeap {
 public:
  explicit TimerHeap(size_t expected_timers = 1024) { heap_.reserve(expected_timers); }

  // Arms (or re-arms) the timer for deadline_ns (monotonic ns). With an early window it may fire as soon as
  // deadline_ns - early_ns, when a wake-up for an earlier timer finds it at the front of the heap: timers that
  // fall due close together then fire in one wake-up instead of one each (docs/plan.md#schedule_slack).
  void schedule(Timer& timer, int64_t deadline_ns, int64_t early_ns = 0);
  void cancel(Timer& timer);
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  // Deadline of the earliest timer; only valid when !empty().
  int64_t next_deadline_ns() const { return heap_.front()->deadline_ns_; }
  // Fires every timer whose deadline is <= now_ns, earliest first, and after them each timer at the front whose
  // early window has opened (the first one that may not fire yet ends the call). Handlers may schedule or cancel
  // timers, including re-arming themselves; a timer re-armed so it may fire at now_ns fires again in the same call.
  size_t expire(int64_t now_ns);

 private:
  static bool earlier(const Timer* a, const Timer* b) {
    return a->deadline_ns_ < b->deadline_ns_ ||
           (a->deadline_ns_ == b->deadline_ns_ && a->sequence_ < b->sequence_);
  }
  void place(Timer* timer, size_t index);
  void sift_up(size_t index);
  void sift_down(size_t index);
  void remove_at(size_t index);

  std::vector<Timer*> heap_;
  uint64_t next_sequence_ = 0;
};

}  // namespace surge::core
