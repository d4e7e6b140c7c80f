// Binary heap over Timer pointers; each Timer stores its index so cancel is O(log n) without search.
#include "core/timer_heap.h"

namespace surge::core {

void TimerHeap::place(Timer* timer, size_t index) {
  heap_[index] = timer;
  timer->heap_index_ = static_cast<int32_t>(index);
}

void TimerHeap::sift_up(size_t index) {
  Timer* timer = heap_[index];
  while (index > 0) {
    size_t parent = (index - 1) / 2;
    if (!earlier(timer, heap_[parent])) break;
    place(heap_[parent], index);
    index = parent;
  }
  place(timer, index);
}

void TimerHeap::sift_down(size_t index) {
  Timer* timer = heap_[index];
  const size_t size = heap_.size();
  while (true) {
    size_t child = 2 * index + 1;
    if (child >= size) break;
    if (child + 1 < size && earlier(heap_[child + 1], heap_[child])) ++child;
    if (!earlier(heap_[child], timer)) break;
    place(heap_[child], index);
    index = child;
  }
  place(timer, index);
}

void TimerHeap::remove_at(size_t index) {
  Timer* removed = heap_[index];
  Timer* last = heap_.back();
  heap_.pop_back();
  removed->heap_index_ = -1;
  if (removed == last) return;
  place(last, index);
  sift_up(index);
  sift_down(static_cast<size_t>(last->heap_index_));
}

void TimerHeap::schedule(Timer& timer, int64_t deadline_ns, int64_t early_ns) {
  if (timer.is_armed()) remove_at(static_cast<size_t>(timer.heap_index_));
  timer.deadline_ns_ = deadline_ns;
  timer.earliest_ns_ = deadline_ns - early_ns;
  timer.sequence_ = next_sequence_++;
  heap_.push_back(&timer);
  sift_up(heap_.size() - 1);
}

void TimerHeap::cancel(Timer& timer) {
  if (timer.is_armed()) remove_at(static_cast<size_t>(timer.heap_index_));
}

size_t TimerHeap::expire(int64_t now_ns) {
  size_t fired = 0;
  while (!heap_.empty() && heap_.front()->earliest_ns_ <= now_ns) {
    Timer* timer = heap_.front();
    remove_at(0);
    ++fired;
    timer->on_timer();
  }
  return fired;
}

}  // namespace surge::core
