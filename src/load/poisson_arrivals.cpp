// The log of the remaining share is summed rather than the share multiplied: each step adds log(V)/(n − i),
// so the error grows with the sum of the terms (about log n), and -expm1 keeps the first draws exact near 0.
#include "load/poisson_arrivals.h"

#include <cassert>
#include <cmath>

namespace surge::load {

PoissonArrivals::PoissonArrivals(const ArrivalSchedule& schedule, uint64_t seed)
    : schedule_(schedule), rng_(seed) {}

int64_t PoissonArrivals::offset_ns(uint64_t k) {
  if (k >= schedule_.total()) return -1;
  assert(k + 1 >= drawn_ && "Poisson arrivals are asked for in order");
  while (drawn_ <= k) draw_next();
  return last_ns_;
}

void PoissonArrivals::draw_next() {
  const double left = static_cast<double>(schedule_.total() - drawn_);  // uniforms not yet drawn, >= 1
  const double v = 1.0 - rng_.unit();                                   // in (0, 1]: log(v) is finite
  log_remaining_ += std::log(v) / left;
  const double share = -std::expm1(log_remaining_);  // U(drawn_), in [0, 1)
  last_ns_ = schedule_.offset_at(share * schedule_.area());
  ++drawn_;
}

uint64_t phase_seed(uint64_t run_seed, uint64_t phase) {
  constexpr uint64_t kArrivalStream = 0x6172726976616c73ULL;  // "arrivals": apart from the feeders' streams
  return templating::derive_seed(templating::derive_seed(run_seed, kArrivalStream), phase);
}

}  // namespace surge::load
