// The words of the SLA grammar (statistics, plain metrics) and the units each kind of threshold admits,
// shared by the parser and the printers of expressions.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "sla/expression.h"

namespace surge::sla {

struct NamedStatistic {
  std::string_view name;
  Statistic statistic;
};
inline constexpr std::array<NamedStatistic, 8> kStatistics = {{{"p50", Statistic::kP50},
                                                               {"p90", Statistic::kP90},
                                                               {"p95", Statistic::kP95},
                                                               {"p99", Statistic::kP99},
                                                               {"p999", Statistic::kP999},
                                                               {"max", Statistic::kMax},
                                                               {"mean", Statistic::kMean},
                                                               {"min", Statistic::kMin}}};

struct NamedMetric {
  std::string_view name;
  Quantity quantity;
};
inline constexpr std::array<NamedMetric, 8> kPlainMetrics = {{{"error_rate", Quantity::kRatio},
                                                              {"error_recovery_rate", Quantity::kRatio},
                                                              {"throughput", Quantity::kRate},
                                                              {"requests", Quantity::kCount},
                                                              {"dropped_iterations", Quantity::kCount},
                                                              {"connections.failed_rate", Quantity::kRatio},
                                                              {"recovery_s", Quantity::kDuration},
                                                              {"settle_s", Quantity::kDuration}}};

inline constexpr std::string_view kMetricList =
    "p50|p90|p95|p99|p999|max|mean|min(latency), error_rate, error_recovery_rate, throughput, requests, "
    "dropped_iterations, "
    "connections.failed_rate, recovery_s, settle_s, rate(name), counter(name), p95(trend(name)), "
    "p95(group(name)) or group_failed_rate(name)";

// Checks the unit the parser read after a threshold against what the metric measures: the error (at the
// unit or the number) or nullopt. number is the threshold as written.
std::optional<ExpressionError> check_threshold_unit(const Expression& expression, std::string_view number,
                                                    int unit_column);

}  // namespace surge::sla
