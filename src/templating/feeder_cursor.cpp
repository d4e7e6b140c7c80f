// FeederCursor: the strides that let worker processes share one feeder file without shared state. Worker w of
// W takes global draws w, w + W, ...; global draw g is row g mod N (sequential) or row g while g < N
// (unique).
#include "templating/feeder_cursor.h"

#include <cassert>

namespace surge::templating {

FeederCursor::FeederCursor(std::span<const Row> rows, Order order, bool recycle, uint32_t worker,
                           uint32_t workers, uint64_t seed)
    : rows_(rows),
      order_(order),
      recycle_(recycle),
      first_(worker),
      stride_(workers),
      position_(worker),
      rng_(derive_seed(seed, worker)) {
  assert(workers > 0 && worker < workers && "FeederCursor: worker must be below workers");
  if (order_ == Order::kSequential && !rows_.empty()) {
    // Kept reduced modulo N, so the position never overflows however long the run.
    position_ %= rows_.size();
    stride_ %= rows_.size();
  }
}

const Row* FeederCursor::next() {
  const uint64_t count = rows_.size();
  if (count == 0) return nullptr;
  switch (order_) {
    case Order::kSequential: {
      const Row* row = &rows_[position_];
      position_ += stride_;
      if (position_ >= count) position_ -= count;
      return row;
    }
    case Order::kRandom:
      return &rows_[rng_.uniform(count)];
    case Order::kUnique:
      if (position_ >= count) {
        if (!recycle_ || first_ >= count) return nullptr;
        position_ = first_;
      }
      const Row* row = &rows_[position_];
      position_ += stride_;
      return row;
  }
  return nullptr;
}

}  // namespace surge::templating
