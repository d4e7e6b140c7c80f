// Inverse of N(t) = r0·t + a·t²/2 (a = slope): t = 2k / (r0 + sqrt(r0² + 2ak)), the form that stays exact when
// a → 0 (constant rate) and when a < 0 (a ramp down), where the textbook quadratic formula loses precision.
#include "load/arrival_schedule.h"

#include <algorithm>
#include <cmath>

namespace surge::load {

ArrivalSchedule::ArrivalSchedule(double from_per_s, double to_per_s, int64_t duration_ns)
    : from_per_ns_(from_per_s / 1e9),
      slope_per_ns2_(duration_ns > 0 ? (to_per_s - from_per_s) / 1e9 / static_cast<double>(duration_ns) : 0.0),
      duration_ns_(duration_ns),
      area_((from_per_s + to_per_s) / 2.0 * static_cast<double>(duration_ns) / 1e9) {
  // Guard against 1e-12 noise turning an exact count (2,000/s × 10 s) into one extra arrival.
  double rounded = std::round(area_);
  total_ = static_cast<uint64_t>(std::fabs(area_ - rounded) < 1e-9 ? rounded : std::ceil(area_));
}

int64_t ArrivalSchedule::offset_ns(uint64_t k) const {
  if (k >= total_) return -1;
  if (k == 0) return 0;
  double kd = static_cast<double>(k);
  double discriminant = from_per_ns_ * from_per_ns_ + 2.0 * slope_per_ns2_ * kd;
  if (discriminant < 0) return -1;  // a ramp down that ends before reaching k
  double t = 2.0 * kd / (from_per_ns_ + std::sqrt(discriminant));
  if (!(t < static_cast<double>(duration_ns_))) return -1;
  return static_cast<int64_t>(std::llround(t));
}

int64_t ArrivalSchedule::offset_at(double count) const {
  if (!(count > 0)) return 0;
  double discriminant = std::max(0.0, from_per_ns_ * from_per_ns_ + 2.0 * slope_per_ns2_ * count);
  double t = 2.0 * count / (from_per_ns_ + std::sqrt(discriminant));
  // Below the area t < D in exact arithmetic; rounding must not push it onto the phase end.
  return std::min(duration_ns_ - 1, static_cast<int64_t>(std::llround(t)));
}

uint64_t ArrivalSchedule::arrivals_before(int64_t offset_ns) const {
  if (offset_ns <= 0) return 0;
  if (offset_ns >= duration_ns_) return total_;
  double t = static_cast<double>(offset_ns);
  double count = std::ceil(from_per_ns_ * t + slope_per_ns2_ * t * t / 2.0);
  if (!(count > 0)) return 0;
  return std::min(total_, static_cast<uint64_t>(count));
}

}  // namespace surge::load
