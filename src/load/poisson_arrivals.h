// `arrivals: poisson` for an open phase: a Poisson process conditioned on the phase's planned count. The
// schedule's total() arrivals fall at n sorted uniform draws over the area under the rate line, mapped to
// time through the inverse of the cumulative rate (ArrivalSchedule::offset_at): the count stays the plan's,
// and at a constant rate the gaps are exponential (coefficient of variation 1, where even spacing has 0); a
// ramp thickens them as its rate grows.
//
// The draws come in ascending order with O(1) memory (Bentley & Saxe, "Generating sorted lists of random
// numbers", 1980): given the i-th smallest U(i) of n uniforms, the other n − i are uniform above it, and the
// smallest of them is 1 − (1 − U(i))·V^(1/(n − i)) for a fresh uniform V. Nothing is stored per arrival and
// nothing allocates. Every worker draws the same global sequence from the run's seed and starts only its own
// arrivals (k mod W, as for even spacing), so W workers (and segments) run one schedule; each pays one log
// and one exp per arrival of the whole phase.
#pragma once

#include <cstdint>

#include "load/arrival_schedule.h"
#include "templating/rng.h"

namespace surge::load {

class PoissonArrivals {
 public:
  PoissonArrivals() : PoissonArrivals(ArrivalSchedule(0, 0, 0), 0) {}
  // seed: the same in every worker of the run for this phase (phase_seed).
  PoissonArrivals(const ArrivalSchedule& schedule, uint64_t seed);

  // Offset in ns from the phase start of global arrival k, or -1 when k >= total(). Calls come with k that
  // never decreases (a worker walks its arrivals in order); the arrivals in between are drawn and passed
  // over.
  int64_t offset_ns(uint64_t k);
  uint64_t total() const { return schedule_.total(); }

 private:
  void draw_next();

  ArrivalSchedule schedule_;
  templating::Rng rng_;
  uint64_t drawn_ = 0;          // arrivals drawn so far; the last one is at last_ns_
  double log_remaining_ = 0.0;  // log(1 − U) of the last draw: the share of the area still ahead of it
  int64_t last_ns_ = -1;
};

// The seed of open phase `phase` of a run seeded with `run_seed` (--seed): every worker and segment derives
// the same one, and two phases draw apart.
uint64_t phase_seed(uint64_t run_seed, uint64_t phase);

}  // namespace surge::load
