// When the k-th arrival of a phase happens, for a rate that ramps linearly from `from` to `to` per second over
// the phase: the arrivals so far are N(t) = from·t + (to − from)·t²/(2D), and arrival k (k = 0, 1, ...) is
// at the t where N(t) = k. Computed in closed form from k, so a late timer never shifts later arrivals and
// every worker computes the same global schedule.
#pragma once

#include <cstdint>

namespace surge::load {

class ArrivalSchedule {
 public:
  ArrivalSchedule(double from_per_s, double to_per_s, int64_t duration_ns);

  // Offset in ns from the phase start of arrival k, or -1 when arrival k falls at or after the phase end.
  int64_t offset_ns(uint64_t k) const;
  // Offset in ns where the arrivals so far reach `count` (N(t) = count), for 0 <= count < area(): the schedule's
  // time at a real-valued count (Poisson arrivals place their draws through it), before the phase end.
  int64_t offset_at(double count) const;
  // N(D), the area under the rate line: the expected arrivals of the phase, maybe not whole.
  double area() const { return area_; }
  // Arrivals in the whole phase: how many k have an offset (ceil of N(D), the area under the rate line).
  uint64_t total() const { return total_; }
  // How many arrivals fall before offset_ns (ceil of N(t), at most total()): the index of the first arrival
  // at or after it, for a user of the schedule that skips the slots it let pass.
  uint64_t arrivals_before(int64_t offset_ns) const;

 private:
  double from_per_ns_;
  double slope_per_ns2_;  // (to − from) / D, in arrivals per ns²
  int64_t duration_ns_;
  double area_;
  uint64_t total_;
};

}  // namespace surge::load
