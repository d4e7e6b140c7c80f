// Names, units and directions of the compared metrics.
#include "compare/metric.h"

namespace surge::compare {

std::string_view metric_name(Metric metric) {
  switch (metric) {
    case Metric::kThroughput:
      return "throughput";
    case Metric::kErrorRate:
      return "error_rate";
    case Metric::kP50:
      return "p50";
    case Metric::kP90:
      return "p90";
    case Metric::kP95:
      return "p95";
    case Metric::kP99:
      return "p99";
    case Metric::kP999:
      return "p999";
  }
  return "";
}

std::optional<Metric> metric_named(std::string_view name) {
  if (name == "p99.9") return Metric::kP999;
  for (Metric metric : kMetrics) {
    if (metric_name(metric) == name) return metric;
  }
  return std::nullopt;
}

std::string_view value_unit(Metric metric) {
  if (metric == Metric::kThroughput) return "/s";
  if (metric == Metric::kErrorRate) return "%";
  return "ms";
}

std::string_view delta_unit(Metric metric) { return metric == Metric::kErrorRate ? "pp" : "%"; }

int worse_direction(Metric metric) { return metric == Metric::kThroughput ? -1 : 1; }

bool is_latency(Metric metric) { return metric != Metric::kThroughput && metric != Metric::kErrorRate; }

size_t percentile_index(Metric metric) {
  return static_cast<size_t>(metric) - static_cast<size_t>(Metric::kP50);
}

double percentile_of(Metric metric) {
  constexpr std::array<double, kPercentileCount> kPercentiles = {50, 90, 95, 99, 99.9};
  return kPercentiles[percentile_index(metric)];
}

}  // namespace surge::compare
