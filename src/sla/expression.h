// One SLA expression as written, `p95(latency{phase=sustained}) < 250ms`, parsed but not yet checked against
// a plan (bind.h does that). The grammar is in docs/sla.md; errors carry the 1-based column in the text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace surge::sla {

enum class Statistic { kP50, kP90, kP95, kP99, kP999, kMax, kMean, kMin };
enum class Comparison { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

// What a metric measures, which fixes the units its threshold may carry.
enum class Quantity {
  kDuration,  // ns, us, ms, s (required)
  kRatio,     // % or a bare fraction from 0 to 1
  kRate,      // /s or a bare number per second
  kCount,     // a bare whole number
  kNumber,    // a bare number in the metric's own unit (a trend's values are whatever the plan recorded)
};

// The custom metrics of a plan's `metrics:` an SLA can read: rate(name), counter(name), p95(trend(name)).
enum class CustomKind { kNone, kRate, kCounter, kTrend };

// A group's own figures (docs/sla.md): p95(group(checkout)) reads its duration histogram,
// group_failed_rate(checkout) its failed runs / runs.
enum class GroupKind { kNone, kDuration, kFailedRate };

// `key=value` inside `{...}`: key is phase, scenario or step; the value is bare or quoted.
struct ScopeItem {
  std::string key;
  std::string value;
  int key_column = 0;
  int value_column = 0;
};

struct Expression {
  std::string text;                    // as written
  std::optional<Statistic> statistic;  // set for p50(...) ... min(...)
  CustomKind custom = CustomKind::kNone;  // rate(name), counter(name), p95(trend(name)): a custom metric
  GroupKind group = GroupKind::kNone;     // p95(group(name)), group_failed_rate(name): metric is the group
  std::string metric;  // latency, service_time, error_rate, ..., the name in p95(name) or the custom metric's
  int metric_column = 0;
  std::vector<ScopeItem> scope;
  Comparison comparison = Comparison::kLess;
  Quantity quantity = Quantity::kDuration;
  double threshold = 0;  // in `unit`, as written
  std::string unit;      // ns us ms s | % | /s | "" (a fraction, a per-second number, or a count)
  int threshold_column = 0;
};

struct ExpressionError {
  int column = 0;  // 1-based, in Expression::text
  std::string message;
};

// Parses one expression. Errors say what was expected and what was found, at a column of `text`.
core::Result<Expression, ExpressionError> parse_expression(std::string_view text);

std::string_view to_string(Comparison comparison);  // "<", "<=", ">", ">=", "==", "!="
std::string_view to_string(Statistic statistic);    // "p50", ..., "min"
// The percentile a statistic reads (50 for p50, 99.9 for p999); nullopt for max, mean, min.
std::optional<double> percentile_of(Statistic statistic);
bool holds(double actual, Comparison comparison, double threshold);

}  // namespace surge::sla
