// Execution segments: worker i of n runs share(x) of every count x, and the shares of all n workers add up to x
// exactly (floor((i+1)x/n) - floor(ix/n)), so users and request budgets split without remainder drift.
// Segments nest: worker j of the W workers of a process that runs machine segment I of N (--segment I/N) is
// within({I, N}, j, W), and the N×W pieces split every count and deal every schedule exactly as one process
// with N×W workers would — whatever W each machine uses.
#pragma once

#include <cstdint>

namespace surge::load {

struct Segment {
  // The deal: item k of a global schedule (open arrivals, hold connects and requests) is this worker's when
  // k mod count == index. Nested, index = I + N·j and count = N·W: the items of machine segment I are those
  // with k mod N == I, and its W workers deal them round robin.
  uint32_t index = 0;
  uint32_t count = 1;
  // N of the machine segment this worker is inside (1 for a whole run): contiguous shares nest through it.
  uint32_t outer_count = 1;

  // Worker `worker` of `workers` inside `outer` (a machine segment, outer.outer_count == 1).
  static Segment within(Segment outer, uint32_t worker, uint32_t workers) {
    return {outer.index + outer.count * worker, outer.count * workers, outer.count};
  }

  uint32_t outer_index() const { return index % outer_count; }
  uint32_t inner_index() const { return index / outer_count; }  // the worker's number in its process
  uint32_t inner_count() const { return count / outer_count; }

  // This worker's contiguous share of total (users, connections, request budgets): the machine segment's
  // share, split again over its workers.
  uint64_t share(uint64_t total) const {
    uint64_t outer = part(total, outer_index() + 1, outer_count) - part(total, outer_index(), outer_count);
    return part(outer, inner_index() + 1, inner_count()) - part(outer, inner_index(), inner_count());
  }
  // Where this worker's share starts among 0 .. total − 1: the shares of the pieces before it.
  uint64_t first(uint64_t total) const {
    uint64_t outer = part(total, outer_index() + 1, outer_count) - part(total, outer_index(), outer_count);
    return part(total, outer_index(), outer_count) + part(outer, inner_index(), inner_count());
  }
  // How many of 0, 1, ..., total − 1 are dealt to this worker when item k goes to worker k mod count (open
  // arrivals, hold connects): the share that makes the first `total` items of a global schedule exactly
  // `total` items, each at its own time. Also adds up to total over the workers.
  uint64_t dealt_share(uint64_t total) const { return total / count + (index < total % count ? 1 : 0); }
  // This worker's part of total in proportion to its share of `weights` (a request budget split as the users
  // are): the parts add up to total over the workers, and a worker with no weight gets none, so a segment
  // without users is not left with requests nobody can send.
  uint64_t share_in_proportion(uint64_t total, uint64_t weights) const {
    if (weights == 0) return share(total);
    uint64_t from = first(weights), to = from + share(weights);
    return part(total, to, weights) - part(total, from, weights);
  }

 private:
  // floor(total * k / n) without overflow: total = q * n + r, so it is q * k + floor(r * k / n), and
  // r * k < n^2 fits easily.
  static uint64_t part(uint64_t total, uint64_t k, uint64_t n) {
    uint64_t q = total / n, r = total % n;
    return q * k + r * k / n;
  }
};

}  // namespace surge::load
