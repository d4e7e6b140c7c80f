// The X-Cache answers of the CodePal API: a deterministic HIT/MISS sequence with a given hit ratio, so a
// test can know the server's truth exactly instead of estimating it from a random draw.
#pragma once

#include <cstdint>

#include "serve/routes.h"

namespace surge::serve {

// Bresenham's line, with hits for the rises: each outcome adds the ratio to an accumulator, and a HIT takes
// one whole back. Among any N consecutive outcomes there are floor(N·R) or ceil(N·R) hits, and among the
// first N exactly floor(N·R + 1/2) (the accumulator starts at one half), so R = 0.8 gives 8 of the first
// 10 and 800 of the first 1,000, with the first outcome a HIT.
class CacheSequence {
 public:
  // The ratio is kept in integer parts per billion so that no rounding drifts over a long run.
  static constexpr uint64_t kScale = 1'000'000'000;

  // hit_ratio in [0, 1]: above 1 counts as 1, below 0 and NaN as 0 (run_server refuses those before).
  explicit CacheSequence(double hit_ratio)
      : ratio_(hit_ratio >= 1.0  ? kScale
               : hit_ratio > 0.0 ? static_cast<uint64_t>(hit_ratio * static_cast<double>(kScale) + 0.5)
                                 : 0) {}

  // The next response's outcome.
  CacheOutcome next() {
    accumulator_ += ratio_;
    if (accumulator_ < kScale) return CacheOutcome::kMiss;
    accumulator_ -= kScale;
    return CacheOutcome::kHit;
  }

 private:
  uint64_t ratio_;
  uint64_t accumulator_ = kScale / 2;
};

}  // namespace surge::serve
