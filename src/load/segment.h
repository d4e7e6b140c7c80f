// Execution segments: worker i of n runs share(x) of every count x, and the shares of all n workers add up to x
// exactly (floor((i+1)x/n) - floor(ix/n)), so users and request budgets split without remainder drift.
#pragma once

#include <cstdint>

namespace surge::load {

struct Segment {
  uint32_t index = 0;
  uint32_t count = 1;

  uint64_t share(uint64_t total) const { return prefix(total, index + 1) - prefix(total, index); }
  // How many of 0, 1, ..., total − 1 are dealt to this worker when item k goes to worker k mod count (open
  // arrivals, hold connects): the share that makes the first `total` items of a global schedule exactly
  // `total` items, each at its own time. Also adds up to total over the workers.
  uint64_t dealt_share(uint64_t total) const { return total / count + (index < total % count ? 1 : 0); }

 private:
  // floor(total * k / count) without overflow: total = q * count + r, so it is q * k + floor(r * k / count),
  // and r * k < count^2 fits easily.
  uint64_t prefix(uint64_t total, uint64_t k) const {
    uint64_t q = total / count, r = total % count;
    return q * k + r * k / count;
  }
};

}  // namespace surge::load
