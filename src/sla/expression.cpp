// The printable names of statistics and comparisons, the comparison itself, and the unit rules of thresholds.
#include "sla/expression.h"

#include <cmath>
#include <string>

#include "sla/grammar.h"

namespace surge::sla {

std::optional<ExpressionError> check_threshold_unit(const Expression& expression, std::string_view number,
                                                    int unit_column) {
  const std::string& unit = expression.unit;
  const std::string after = "after " + std::string(number);
  switch (expression.quantity) {
    case Quantity::kDuration:
      if (unit == "ns" || unit == "us" || unit == "ms" || unit == "s") return std::nullopt;
      if (unit.empty()) return ExpressionError{unit_column, "expected a unit " + after + ": ns, us, ms or s"};
      return ExpressionError{unit_column, "unknown unit '" + unit + "'; expected ns, us, ms or s"};
    case Quantity::kRatio:
      if (unit == "%") return std::nullopt;
      if (!unit.empty()) {
        return ExpressionError{unit_column,
                               "unknown unit '" + unit + "'; expected % or a fraction from 0 to 1"};
      }
      if (expression.threshold > 1) {
        return ExpressionError{expression.threshold_column,
                               "a rate without % is a fraction from 0 to 1, found " + std::string(number) +
                                   "; write " + std::string(number) + "% for percent"};
      }
      return std::nullopt;
    case Quantity::kRate:
      if (unit.empty() || unit == "/s") return std::nullopt;
      return ExpressionError{unit_column, "unknown unit '" + unit + "'; expected /s (per second)"};
    case Quantity::kCount:
      if (!unit.empty()) {
        return ExpressionError{
            unit_column,
            expression.metric + " is a count; expected a whole number without a unit, found '" + unit + "'"};
      }
      if (expression.threshold != std::floor(expression.threshold)) {
        return ExpressionError{
            expression.threshold_column,
            expression.metric + " is a count; expected a whole number, found " + std::string(number)};
      }
      return std::nullopt;
    case Quantity::kNumber:
      if (unit.empty()) return std::nullopt;
      return ExpressionError{unit_column, expression.metric + " is a trend of plain numbers; expected a number "
                                                              "without a unit, found '" + unit + "'"};
  }
  return std::nullopt;
}

std::string_view to_string(Comparison comparison) {
  switch (comparison) {
    case Comparison::kLess:
      return "<";
    case Comparison::kLessEqual:
      return "<=";
    case Comparison::kGreater:
      return ">";
    case Comparison::kGreaterEqual:
      return ">=";
    case Comparison::kEqual:
      return "==";
    case Comparison::kNotEqual:
      return "!=";
  }
  return "?";
}

std::string_view to_string(Statistic statistic) {
  for (const NamedStatistic& named : kStatistics) {
    if (named.statistic == statistic) return named.name;
  }
  return "?";
}

std::optional<double> percentile_of(Statistic statistic) {
  switch (statistic) {
    case Statistic::kP50:
      return 50;
    case Statistic::kP90:
      return 90;
    case Statistic::kP95:
      return 95;
    case Statistic::kP99:
      return 99;
    case Statistic::kP999:
      return 99.9;
    case Statistic::kMax:
    case Statistic::kMean:
    case Statistic::kMin:
      return std::nullopt;
  }
  return std::nullopt;
}

bool holds(double actual, Comparison comparison, double threshold) {
  switch (comparison) {
    case Comparison::kLess:
      return actual < threshold;
    case Comparison::kLessEqual:
      return actual <= threshold;
    case Comparison::kGreater:
      return actual > threshold;
    case Comparison::kGreaterEqual:
      return actual >= threshold;
    case Comparison::kEqual:
      return actual == threshold;
    case Comparison::kNotEqual:
      return actual != threshold;
  }
  return false;
}

}  // namespace surge::sla
