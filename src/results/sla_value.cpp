// format_sla_value: an SLA's figure as text (sla_value.h).
#include "results/sla_value.h"

#include <fmt/format.h>

#include <cmath>

namespace surge::results {

// Whole numbers in full (a 1000000/s threshold is not "1e+06/s"), large ones to a tenth, the rest to six
// significant digits (0.173055ms).
std::string format_sla_value(double value, std::string_view unit) {
  if (value == std::floor(value) && std::abs(value) < 1e15) return fmt::format("{:.0f}{}", value, unit);
  if (std::abs(value) >= 1e4) return fmt::format("{:.1f}{}", value, unit);
  return fmt::format("{:.6g}{}", value, unit);
}

}  // namespace surge::results
