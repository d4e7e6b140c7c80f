// The figures surge compare judges in every scope (the run, each phase, each step), with their units and the
// direction in which each gets worse.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace surge::compare {

enum class Metric { kThroughput, kErrorRate, kP50, kP90, kP95, kP99, kP999 };

inline constexpr std::array kMetrics = {Metric::kThroughput, Metric::kErrorRate, Metric::kP50, Metric::kP90,
                                        Metric::kP95,        Metric::kP99,       Metric::kP999};
inline constexpr size_t kMetricCount = kMetrics.size();
inline constexpr size_t kPercentileCount = 5;  // p50, p90, p95, p99, p999: the latency metrics, in this order

// The name in --max, the table, compare.json and JUnit: throughput, error_rate, p50, p90, p95, p99, p999.
std::string_view metric_name(Metric metric);
// The metric a --max name means ("p99.9" is p999 too); nullopt for an unknown name.
std::optional<Metric> metric_named(std::string_view name);
// The unit of the figures: "/s" (throughput), "%" (error_rate, the share of requests that failed), "ms".
std::string_view value_unit(Metric metric);
// The unit of a delta and of its limit and noise: "pp" (percentage points) for error_rate, else "%" of the
// base figure.
std::string_view delta_unit(Metric metric);
// +1 when a rise is the regression (latency, error rate), -1 when a fall is (throughput).
int worse_direction(Metric metric);

bool is_latency(Metric metric);
// For a latency metric: its index among the percentiles (0 for p50 ... 4 for p999) and the percentile.
size_t percentile_index(Metric metric);
double percentile_of(Metric metric);

}  // namespace surge::compare
