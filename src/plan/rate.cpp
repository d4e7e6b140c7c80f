// parse_rate_per_s: the one rate syntax of surge ("200/s", "12000/m"), shared by plan files and flags.
// Rates are doubles per second because open and hold phases ramp them continuously and allow fractions.
#include <array>
#include <charconv>
#include <cmath>

#include "plan/limits.h"
#include "plan/plan.h"

namespace surge::plan {
namespace {

struct RateUnit {
  std::string_view name;
  double seconds;
};

constexpr std::array<RateUnit, 3> kRateUnits{{{"s", 1}, {"m", 60}, {"h", 3600}}};

core::Unexpected<core::Error> invalid(std::string_view text, std::string_view why) {
  return core::fail("invalid rate \"" + std::string(text) + "\": " + std::string(why));
}

}  // namespace

core::Result<double> parse_rate_per_s(std::string_view text) {
  auto malformed = [&] { return invalid(text, "expected a number per second like 200/s, 12000/m or 0.5/s"); };
  size_t slash = text.find('/');
  std::string_view number = text.substr(0, slash);
  double seconds = 1;
  if (slash != std::string_view::npos) {
    std::string_view unit = text.substr(slash + 1);
    const RateUnit* match = nullptr;
    for (const RateUnit& candidate : kRateUnits) {
      if (candidate.name == unit) match = &candidate;
    }
    if (match == nullptr) return malformed();
    seconds = match->seconds;
  }
  if (number.starts_with('-')) return invalid(text, "a rate cannot be negative");
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
    return malformed();
  }
  double rate_per_s = value / seconds;
  if (rate_per_s > kMaxRatePerS) return invalid(text, "too large; the maximum is 1000000000/s");
  return rate_per_s;
}

}  // namespace surge::plan
