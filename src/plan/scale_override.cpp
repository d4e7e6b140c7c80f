// --scale and --max-users: shrink or grow a valid plan without editing it, so a 30-minute soak test runs as a
// one-minute smoke test (--scale 0.03) and a 10,000-user plan runs on a laptop (--max-users 100).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plan/limits.h"
#include "plan/overrides.h"

namespace surge::plan {
namespace {

constexpr std::string_view kScaleFile = "(--scale)";
constexpr std::string_view kMaxUsersFile = "(--max-users)";

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// long double keeps every int64 nanosecond count exact, so --scale 1 changes nothing.
std::optional<Duration> scaled(Duration duration, double scale) {
  long double ns = std::round(static_cast<long double>(duration.count()) * scale);
  if (ns >= 9.2e18L) return std::nullopt;
  return Duration(static_cast<int64_t>(ns));
}

double peak_of(const Phase& phase) {
  return std::max({phase.users.from, phase.users.to, static_cast<double>(phase.max_users),
                   static_cast<double>(phase.connections)});
}

}  // namespace

void check_overrides(YamlReader& reader, const Overrides& overrides) {
  if (!(overrides.scale > 0) || !std::isfinite(overrides.scale)) {
    reader.error({std::string(kScaleFile), 0, 0},
                 "--scale must be a number > 0, found " + number_text(overrides.scale));
  }
  if (overrides.max_users &&
      (*overrides.max_users < 1 || *overrides.max_users > static_cast<uint64_t>(kMaxUsers))) {
    reader.error({std::string(kMaxUsersFile), 0, 0}, "--max-users must be a whole number from 1 to " +
                                                         std::to_string(kMaxUsers) + ", found " +
                                                         std::to_string(*overrides.max_users));
  }
}

void apply_scale(YamlReader& reader, double scale, Plan& plan) {
  for (Phase& phase : plan.phases) {
    auto duration = scaled(phase.duration, scale);
    auto graceful_stop = scaled(phase.graceful_stop, scale);
    std::string prefix = "--scale " + number_text(scale) + " makes phase '" + phase.name + "' ";
    if (!duration || !graceful_stop) {
      reader.error({std::string(kScaleFile), 0, 0}, prefix + "longer than 2562047h");
    } else if (duration->count() == 0) {
      reader.error({std::string(kScaleFile), 0, 0}, prefix + "last 0s; expected a duration > 0");
    } else {
      phase.duration = *duration;
      phase.graceful_stop = *graceful_stop;
    }
  }
}

void apply_max_users(YamlReader& reader, uint64_t max_users, Plan& plan) {
  double peak = 0;
  for (const Phase& phase : plan.phases) peak = std::max(peak, peak_of(phase));
  if (peak == 0) return;
  // Multiplying before dividing keeps round figures exact: 2000/s * 100 / 10000 is exactly 20/s.
  auto target = static_cast<double>(max_users);
  auto rate = [&](double value) { return value * target / peak; };
  auto count = [&](double value) {
    double rounded = std::round(rate(value));
    return value >= 1 ? std::max(1.0, rounded) : rounded;
  };
  for (Phase& phase : plan.phases) {
    phase.users = {count(phase.users.from), count(phase.users.to)};
    phase.max_users = static_cast<uint64_t>(count(static_cast<double>(phase.max_users)));
    phase.connections = static_cast<uint64_t>(count(static_cast<double>(phase.connections)));
    for (Ramp* ramp : {&phase.arrival_rate_per_s, &phase.rate_per_s, &phase.connect_rate_per_s}) {
      *ramp = {rate(ramp->from), rate(ramp->to)};
      if (std::max(ramp->from, ramp->to) > kMaxRatePerS) {
        reader.error({std::string(kMaxUsersFile), 0, 0},
                     "--max-users " + std::to_string(max_users) + " raises a rate of phase '" + phase.name +
                         "' to " + number_text(std::max(ramp->from, ramp->to)) +
                         "/s; the maximum is 1000000000/s");
      }
    }
  }
}

}  // namespace surge::plan
