// The SLA grammar: every valid form read into exact fields, and every syntax error with its column and text.
#include <gtest/gtest.h>

#include <string>

#include "sla/expression.h"

namespace surge::sla {
namespace {

Expression parse_ok(std::string_view text) {
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : Expression{};
}

// "column: message" of a rejected expression.
std::string error_of(std::string_view text) {
  auto parsed = parse_expression(text);
  if (parsed) return "(parsed)";
  return std::to_string(parsed.error().column) + ": " + parsed.error().message;
}

TEST(SlaParser, ReadsAPercentileOfLatencyWithItsUnit) {
  Expression e = parse_ok("p95(latency) < 250ms");
  EXPECT_EQ(e.text, "p95(latency) < 250ms");
  ASSERT_TRUE(e.statistic.has_value());
  EXPECT_EQ(*e.statistic, Statistic::kP95);
  EXPECT_EQ(e.metric, "latency");
  EXPECT_EQ(e.metric_column, 5);
  EXPECT_TRUE(e.scope.empty());
  EXPECT_EQ(e.comparison, Comparison::kLess);
  EXPECT_EQ(e.quantity, Quantity::kDuration);
  EXPECT_EQ(e.threshold, 250);
  EXPECT_EQ(e.unit, "ms");
  EXPECT_EQ(e.threshold_column, 16);
}

TEST(SlaParser, ReadsEveryStatistic) {
  const std::pair<const char*, Statistic> cases[] = {{"p50", Statistic::kP50},   {"p90", Statistic::kP90},
                                                     {"p95", Statistic::kP95},   {"p99", Statistic::kP99},
                                                     {"p999", Statistic::kP999}, {"max", Statistic::kMax},
                                                     {"mean", Statistic::kMean}, {"min", Statistic::kMin}};
  for (const auto& [name, statistic] : cases) {
    Expression e = parse_ok(std::string(name) + "(service_time) < 1s");
    EXPECT_EQ(e.statistic, statistic) << name;
    EXPECT_EQ(to_string(statistic), name);
    EXPECT_EQ(e.metric, "service_time");
  }
  EXPECT_EQ(percentile_of(Statistic::kP999), 99.9);
  EXPECT_EQ(percentile_of(Statistic::kP50), 50);
  EXPECT_EQ(percentile_of(Statistic::kMax), std::nullopt);
}

TEST(SlaParser, ReadsEveryComparison) {
  const std::pair<const char*, Comparison> cases[] = {
      {"<", Comparison::kLess},          {"<=", Comparison::kLessEqual}, {">", Comparison::kGreater},
      {">=", Comparison::kGreaterEqual}, {"==", Comparison::kEqual},     {"!=", Comparison::kNotEqual}};
  for (const auto& [symbol, comparison] : cases) {
    EXPECT_EQ(parse_ok(std::string("requests ") + symbol + " 10").comparison, comparison) << symbol;
    EXPECT_EQ(to_string(comparison), symbol);
  }
}

TEST(SlaParser, ReadsEveryDurationUnitAndFractions) {
  EXPECT_EQ(parse_ok("max(latency) < 900ns").unit, "ns");
  EXPECT_EQ(parse_ok("max(latency) < 900us").unit, "us");
  EXPECT_EQ(parse_ok("max(latency) < 900ms").unit, "ms");
  Expression seconds = parse_ok("max(latency) < 1.5s");
  EXPECT_EQ(seconds.unit, "s");
  EXPECT_EQ(seconds.threshold, 1.5);
}

TEST(SlaParser, ReadsARateInPercentOrAsAFraction) {
  Expression percent = parse_ok("error_rate < 0.05%");
  EXPECT_EQ(percent.metric, "error_rate");
  EXPECT_EQ(percent.quantity, Quantity::kRatio);
  EXPECT_EQ(percent.threshold, 0.05);
  EXPECT_EQ(percent.unit, "%");
  Expression fraction = parse_ok("connections.failed_rate <= 0.01");
  EXPECT_EQ(fraction.metric, "connections.failed_rate");
  EXPECT_EQ(fraction.threshold, 0.01);
  EXPECT_EQ(fraction.unit, "");
}

TEST(SlaParser, ReadsThroughputPerSecondOrBare) {
  Expression per_second = parse_ok("throughput > 1000/s");
  EXPECT_EQ(per_second.quantity, Quantity::kRate);
  EXPECT_EQ(per_second.threshold, 1000);
  EXPECT_EQ(per_second.unit, "/s");
  EXPECT_EQ(parse_ok("throughput >= 250").unit, "");
}

TEST(SlaParser, ReadsCounts) {
  Expression dropped = parse_ok("dropped_iterations == 0");
  EXPECT_EQ(dropped.metric, "dropped_iterations");
  EXPECT_EQ(dropped.quantity, Quantity::kCount);
  EXPECT_EQ(dropped.threshold, 0);
  EXPECT_EQ(parse_ok("requests > 5000").threshold, 5000);
}

TEST(SlaParser, ReadsAScopeInsideTheParentheses) {
  Expression e = parse_ok("p95(latency{phase=sustained,step=complete}) < 250ms");
  ASSERT_EQ(e.scope.size(), 2u);
  EXPECT_EQ(e.scope[0].key, "phase");
  EXPECT_EQ(e.scope[0].value, "sustained");
  EXPECT_EQ(e.scope[0].key_column, 13);
  EXPECT_EQ(e.scope[0].value_column, 19);
  EXPECT_EQ(e.scope[1].key, "step");
  EXPECT_EQ(e.scope[1].value, "complete");
  EXPECT_EQ(e.scope[1].value_column, 34);
  EXPECT_EQ(e.threshold, 250);
}

TEST(SlaParser, ReadsAScopeOnAPlainMetric) {
  Expression e = parse_ok("error_rate{phase=warm-up, scenario=api/v1:users} < 1%");
  ASSERT_EQ(e.scope.size(), 2u);
  EXPECT_EQ(e.scope[0].value, "warm-up");
  EXPECT_EQ(e.scope[1].key, "scenario");
  EXPECT_EQ(e.scope[1].value, "api/v1:users");
}

TEST(SlaParser, ReadsQuotedNamesWithoutTheirQuotes) {
  Expression e = parse_ok("p99(latency{step=\"GET /\", scenario='default one'}) < 1s");
  ASSERT_EQ(e.scope.size(), 2u);
  EXPECT_EQ(e.scope[0].value, "GET /");
  EXPECT_EQ(e.scope[0].value_column, 18);
  EXPECT_EQ(e.scope[1].value, "default one");
  EXPECT_EQ(parse_ok("p95('GET /') < 1s").metric, "GET /");
}

TEST(SlaParser, ReadsAStepNameAndACustomRateAsNamesToBind) {
  Expression step = parse_ok("p95(checkout) < 300ms");
  EXPECT_EQ(step.metric, "checkout");
  EXPECT_EQ(step.custom, CustomKind::kNone);
  Expression custom = parse_ok("rate(cache_hit) > 80%");
  EXPECT_EQ(custom.custom, CustomKind::kRate);
  EXPECT_FALSE(custom.statistic.has_value());
  EXPECT_EQ(custom.metric, "cache_hit");
  EXPECT_EQ(custom.metric_column, 6);
  EXPECT_EQ(custom.quantity, Quantity::kRatio);
}

TEST(SlaParser, ReadsACounterAsACountAndATrendInsideAStatisticAsAPlainNumber) {
  Expression counter = parse_ok("counter(errors_seen{phase=peak}) >= 10");
  EXPECT_EQ(counter.custom, CustomKind::kCounter);
  EXPECT_EQ(counter.metric, "errors_seen");
  EXPECT_EQ(counter.quantity, Quantity::kCount);
  ASSERT_EQ(counter.scope.size(), 1u);
  Expression trend = parse_ok("p95( trend ( tokens{phase=peak} ) ) < 250.5");
  EXPECT_EQ(trend.custom, CustomKind::kTrend);
  EXPECT_EQ(trend.statistic, Statistic::kP95);
  EXPECT_EQ(trend.metric, "tokens");
  EXPECT_EQ(trend.metric_column, 14);
  EXPECT_EQ(trend.quantity, Quantity::kNumber);
  EXPECT_EQ(trend.threshold, 250.5);
  ASSERT_EQ(trend.scope.size(), 1u);
  EXPECT_EQ(trend.scope[0].value, "peak");
  // A step that happens to be called trend is still a step.
  EXPECT_EQ(parse_ok("p95(trend) < 1s").custom, CustomKind::kNone);
}

TEST(SlaParser, RejectsAUnitOnATrendAndAMissingParenthesisAfterIt) {
  EXPECT_EQ(error_of("p95(trend(tokens)) < 250ms"),
            "25: tokens is a trend of plain numbers; expected a number without a unit, found 'ms'");
  EXPECT_EQ(error_of("p95(trend(tokens) < 1"), "19: expected ')' after trend(tokens), found '<'");
  EXPECT_EQ(error_of("counter(seen) > 1.5"), "17: seen is a count; expected a whole number, found 1.5");
  EXPECT_EQ(error_of("p95(trend()) < 1"), "11: expected a custom metric's name after 'trend(', found ')'");
}

TEST(SlaParser, AllowsSpaceBetweenTokensAndNone) {
  Expression spaced = parse_ok("  p95 ( latency { phase = a , step = b } ) <= 250 ms  ");
  EXPECT_EQ(spaced.scope.size(), 2u);
  EXPECT_EQ(spaced.comparison, Comparison::kLessEqual);
  EXPECT_EQ(spaced.unit, "ms");
  Expression tight = parse_ok("p95(latency)<250ms");
  EXPECT_EQ(tight.threshold, 250);
  EXPECT_EQ(tight.unit, "ms");
}

TEST(SlaParser, RejectsAnEmptyExpression) {
  EXPECT_EQ(error_of("   "), "1: empty SLA; expected something like p95(latency) < 250ms");
}

TEST(SlaParser, RejectsAMissingOrUnknownDurationUnit) {
  EXPECT_EQ(error_of("p95(latency) < 250"), "19: expected a unit after 250: ns, us, ms or s");
  EXPECT_EQ(error_of("p95(latency) < 250sec"), "19: unknown unit 'sec'; expected ns, us, ms or s");
}

TEST(SlaParser, RejectsAMissingComparison) {
  EXPECT_EQ(error_of("p95(latency) 250ms"),
            "14: expected a comparison (<, <=, >, >=, ==, !=), found '250ms'");
  EXPECT_EQ(error_of("requests = 5"),
            "10: expected a comparison (<, <=, >, >=, ==, !=) (equality is ==), found '='");
}

TEST(SlaParser, RejectsUnknownFunctionsAndMetrics) {
  EXPECT_EQ(error_of("p98(latency) < 1ms"),
            "1: unknown function 'p98'; expected p50, p90, p95, p99, p999, max, mean, min, rate, counter or "
            "group_failed_rate");
  EXPECT_EQ(error_of("latency < 1ms"),
            "1: unknown metric 'latency'; expected p50|p90|p95|p99|p999|max|mean|min(latency), error_rate, "
            "error_recovery_rate, throughput, requests, dropped_iterations, connections.failed_rate, recovery_s, "
            "settle_s, rate(name), counter(name), p95(trend(name)), p95(group(name)) or group_failed_rate(name)");
  EXPECT_EQ(
      error_of("< 1ms"),
      "1: expected a metric (p50|p90|p95|p99|p999|max|mean|min(latency), error_rate, error_recovery_rate, "
      "throughput, requests, "
      "dropped_iterations, connections.failed_rate, recovery_s, settle_s, rate(name), counter(name), "
      "p95(trend(name)), p95(group(name)) or group_failed_rate(name)), found '<'");
}

TEST(SlaParser, RejectsBrokenParentheses) {
  EXPECT_EQ(error_of("p95 latency < 1ms"), "5: expected '(' after p95, found 'latency'");
  EXPECT_EQ(error_of("p95() < 1ms"),
            "5: expected latency, service_time or a step name after 'p95(', found ')'");
  EXPECT_EQ(error_of("p95(latency < 1ms"),
            "13: expected ')' after latency (or a scope {phase=...}), found '<'");
  EXPECT_EQ(error_of("p95(latency{phase=a} < 1ms"), "22: expected ')' after latency}, found '<'");
}

TEST(SlaParser, RejectsAScopeOutsideTheParentheses) {
  EXPECT_EQ(error_of("p95(latency){phase=a} < 1ms"),
            "13: a scope goes inside the parentheses, like p95(latency{phase=...})");
}

TEST(SlaParser, RejectsBadScopes) {
  EXPECT_EQ(error_of("error_rate{phaze=a} < 1%"),
            "12: unknown scope key 'phaze'; expected phase, scenario or step");
  EXPECT_EQ(error_of("error_rate{} < 1%"), "12: expected phase, scenario or step in the scope, found '}'");
  EXPECT_EQ(error_of("error_rate{phase=} < 1%"), "18: expected a phase name after 'phase=', found '}'");
  EXPECT_EQ(error_of("error_rate{phase a} < 1%"), "18: expected '=' after phase, found 'a'");
  EXPECT_EQ(error_of("error_rate{phase=a step=b} < 1%"),
            "20: expected ',' or '}' in the scope, found 'step'");
  EXPECT_EQ(error_of("error_rate{phase=a,phase=b} < 1%"),
            "20: 'phase' appears twice in the scope; an SLA has one phase");
  EXPECT_EQ(error_of("p95(latency{step=\"GET /}) < 1s"), "18: unterminated \"; expected a closing \"");
}

TEST(SlaParser, RejectsThresholdsTheMetricCannotHave) {
  EXPECT_EQ(error_of("error_rate < 5"),
            "14: a rate without % is a fraction from 0 to 1, found 5; write 5% for percent");
  EXPECT_EQ(error_of("error_rate < 1ms"), "15: unknown unit 'ms'; expected % or a fraction from 0 to 1");
  EXPECT_EQ(error_of("throughput > 1000/m"), "18: unknown unit '/m'; expected /s (per second)");
  EXPECT_EQ(error_of("requests > 10.5"), "12: requests is a count; expected a whole number, found 10.5");
  EXPECT_EQ(error_of("dropped_iterations == 0%"),
            "24: dropped_iterations is a count; expected a whole number without a unit, found '%'");
}

TEST(SlaParser, RejectsAMissingOrNegativeThreshold) {
  EXPECT_EQ(error_of("p95(latency) < -1ms"), "16: expected a number >= 0 as the threshold, found '-1ms'");
  EXPECT_EQ(error_of("p95(latency) <"), "15: expected a number >= 0 as the threshold, found the end");
}

TEST(SlaParser, RejectsTextAfterTheThreshold) {
  EXPECT_EQ(error_of("p95(latency) < 250ms and p99(latency) < 1s"),
            "22: expected the end of the SLA after the threshold, found 'and'");
}

TEST(SlaComparison, HoldsExactlyAsWritten) {
  EXPECT_TRUE(holds(249.9, Comparison::kLess, 250));
  EXPECT_FALSE(holds(250, Comparison::kLess, 250));
  EXPECT_TRUE(holds(250, Comparison::kLessEqual, 250));
  EXPECT_FALSE(holds(250, Comparison::kGreater, 250));
  EXPECT_TRUE(holds(250, Comparison::kGreaterEqual, 250));
  EXPECT_TRUE(holds(0, Comparison::kEqual, 0));
  EXPECT_FALSE(holds(1, Comparison::kEqual, 0));
  EXPECT_TRUE(holds(1, Comparison::kNotEqual, 0));
}

}  // namespace
}  // namespace surge::sla
