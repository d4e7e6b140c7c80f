// Number formats with the precision each size needs.
#include "compare/format.h"

#include <fmt/format.h>

#include <ctime>

namespace surge::compare {

std::string value_text(Metric metric, const std::optional<double>& value) {
  if (!value) return "–";
  const double v = *value;
  if (metric == Metric::kThroughput) return fmt::format("{:.1f}/s", v);
  if (metric == Metric::kErrorRate) return fmt::format("{:.2f}%", v);
  if (v >= 100) return fmt::format("{:.0f}ms", v);
  if (v >= 10) return fmt::format("{:.1f}ms", v);
  if (v >= 1) return fmt::format("{:.2f}ms", v);
  return fmt::format("{:.3f}ms", v);
}

std::string delta_text(Metric metric, const std::optional<double>& delta) {
  if (!delta) return "–";
  return metric == Metric::kErrorRate ? fmt::format("{:+.2f}pp", *delta) : fmt::format("{:+.1f}%", *delta);
}

std::string noise_text(Metric metric, const std::optional<double>& noise) {
  if (!noise) return "–";
  return metric == Metric::kErrorRate ? fmt::format("±{:.2f}pp", *noise) : fmt::format("±{:.1f}%", *noise);
}

std::string utc_text(int64_t unix_ms) {
  if (unix_ms <= 0) return "–";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

}  // namespace surge::compare
