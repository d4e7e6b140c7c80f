// Binding SLA names to the plan: scopes become exact phase and step-column sets, and every unknown name is an
// error at its column that lists what the plan has.
#include <gtest/gtest.h>

#include <string>

#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::sla {
namespace {

// Step columns: browse/home 0, browse/think 1, browse/order 2, checkout/complete 3, checkout/home 4.
constexpr std::string_view kPlan = R"(target: http://127.0.0.1:8080
phases:
  - { name: warm-up, duration: 5s, users: 2 }
  - { name: sustained, duration: 10s, users: 4 }
scenarios:
  - name: browse
    steps:
      - http: { name: home, url: / }
      - think: 10ms
      - http: { name: order, method: POST, url: /echo }
  - name: checkout
    steps:
      - http: { name: complete, url: /json }
      - http: { name: home, url: / }
)";

const plan::Plan& test_plan() {
  static const plan::Plan plan = [] {
    auto loaded = plan::load_plan_string(kPlan, "p.yaml");
    EXPECT_TRUE(loaded.has_value());
    return loaded ? *loaded : plan::Plan{};
  }();
  return plan;
}

Sla bind_ok(std::string_view text) {
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  if (!parsed) return {};
  auto bound = bind_expression(*parsed, test_plan());
  EXPECT_TRUE(bound.has_value()) << text << ": " << (bound ? "" : bound.error().message);
  return bound ? *bound : Sla{};
}

std::string bind_error(std::string_view text) {
  auto parsed = parse_expression(text);
  if (!parsed) return "(syntax) " + parsed.error().message;
  auto bound = bind_expression(*parsed, test_plan());
  if (bound) return "(bound)";
  return std::to_string(bound.error().column) + ": " + bound.error().message;
}

using Indices = std::vector<size_t>;

TEST(SlaBinding, AnUnscopedSlaReadsEveryPhaseAndEveryHttpStep) {
  Sla sla = bind_ok("p95(latency) < 250ms");
  EXPECT_EQ(sla.metric, Metric::kLatency);
  EXPECT_EQ(sla.scope.phases, (Indices{0, 1}));
  EXPECT_EQ(sla.scope.steps, (Indices{0, 2, 3, 4}));
  EXPECT_FALSE(sla.scope.names_phase);
}

TEST(SlaBinding, MapsEachMetricName) {
  EXPECT_EQ(bind_ok("p99(service_time) < 1s").metric, Metric::kServiceTime);
  EXPECT_EQ(bind_ok("error_rate < 1%").metric, Metric::kErrorRate);
  EXPECT_EQ(bind_ok("error_recovery_rate > 95%").metric, Metric::kErrorRecoveryRate);
  EXPECT_EQ(bind_ok("settle_s < 5s").metric, Metric::kSettle);
  EXPECT_EQ(bind_ok("throughput > 10/s").metric, Metric::kThroughput);
  EXPECT_EQ(bind_ok("requests > 10").metric, Metric::kRequests);
  EXPECT_EQ(bind_ok("dropped_iterations == 0").metric, Metric::kDroppedIterations);
  EXPECT_EQ(bind_ok("connections.failed_rate < 1%").metric, Metric::kConnectionsFailedRate);
}

TEST(SlaBinding, APhaseScopeReadsThatPhaseOnly) {
  Sla sla = bind_ok("error_rate{phase=sustained} < 1%");
  EXPECT_EQ(sla.scope.phases, (Indices{1}));
  EXPECT_EQ(sla.scope.steps, (Indices{0, 2, 3, 4}));
  EXPECT_TRUE(sla.scope.names_phase);
}

TEST(SlaBinding, AScenarioScopeReadsItsSteps) {
  EXPECT_EQ(bind_ok("p95(latency{scenario=checkout}) < 1s").scope.steps, (Indices{3, 4}));
}

TEST(SlaBinding, AStepNameMatchesItInEveryScenarioUnlessTheScenarioIsGiven) {
  EXPECT_EQ(bind_ok("p95(latency{step=home}) < 1s").scope.steps, (Indices{0, 4}));
  EXPECT_EQ(bind_ok("p95(latency{scenario=checkout,step=home}) < 1s").scope.steps, (Indices{4}));
}

TEST(SlaBinding, AStepNamedAsTheMetricMeansItsLatency) {
  Sla sla = bind_ok("p95(order{phase=warm-up}) < 300ms");
  EXPECT_EQ(sla.metric, Metric::kLatency);
  EXPECT_EQ(sla.scope.steps, (Indices{2}));
  EXPECT_EQ(sla.scope.phases, (Indices{0}));
}

TEST(SlaBinding, RejectsAnUnknownPhaseListingThePlansPhases) {
  EXPECT_EQ(bind_error("p95(latency{phase=peak}) < 1s"),
            "19: unknown phase 'peak'; the plan's phases are: 'warm-up', 'sustained'");
}

TEST(SlaBinding, RecoveryNeedsFaultsAndNoScopeAndSettleOnlyAPhase) {
  EXPECT_EQ(bind_error("recovery_s < 5s"), "1: recovery_s needs faults: in the plan");
  EXPECT_EQ(bind_error("settle_s{step=home} < 5s"), "10: settle_s can only be scoped by phase (it is counted per phase)");
}

TEST(SlaBinding, RejectsAnUnknownScenario) {
  EXPECT_EQ(bind_error("error_rate{scenario=search} < 1%"),
            "21: unknown scenario 'search'; the plan's scenarios are: 'browse', 'checkout'");
}

TEST(SlaBinding, RejectsAnUnknownStepListingEachNameOnce) {
  EXPECT_EQ(bind_error("error_rate{step=pay} < 1%"),
            "17: unknown step 'pay'; the steps are: 'home', 'order', 'complete'");
  EXPECT_EQ(bind_error("error_rate{scenario=checkout, step=order} < 1%"),
            "36: unknown step 'order' in that scenario; the steps are: 'complete', 'home'");
}

TEST(SlaBinding, RejectsAnUnknownMetricInsideAStatistic) {
  EXPECT_EQ(
      bind_error("p95(cache_hit) < 1ms"),
      "5: unknown metric 'cache_hit'; expected latency, service_time or a step name");
}

TEST(SlaBinding, RejectsARateOfAMetricThePlanDoesNotDefine) {
  EXPECT_EQ(bind_error("rate(cache_hit) > 80%"),
            "6: unknown rate metric 'cache_hit'; the plan defines none (metrics: [{ name, rate }])");
}

TEST(SlaBinding, RejectsAStepScopeOnPerPhaseCounters) {
  EXPECT_EQ(bind_error("dropped_iterations{phase=warm-up, step=home} == 0"),
            "35: dropped_iterations can only be scoped by phase (it is counted per phase)");
  EXPECT_EQ(bind_error("connections.failed_rate{scenario=browse} < 1%"),
            "25: connections.failed_rate can only be scoped by phase (it is counted per phase)");
}

TEST(SlaBinding, RejectsAStepNamedTwice) {
  EXPECT_EQ(bind_error("p95(order{step=home}) < 1s"), "11: the step is already named by p95(order)");
}

}  // namespace
}  // namespace surge::sla

namespace surge::sla {
namespace {

constexpr std::string_view kMetricsPlan = R"(target: http://127.0.0.1:8080
phases: [{ name: only, duration: 1s, users: 1 }]
metrics:
  - { name: tokens, trend: 'json("$.usage.tokens")' }
  - { name: cache_hit, rate: 'header("X-Cache") == "HIT"' }
  - { name: misses, counter: 'header("X-Cache") == "MISS"' }
scenarios:
  - name: s
    steps:
      - loop: { count: 2, steps: [{ http: { name: first, url: / } }] }
      - http: { name: second, url: /json }
)";

core::Result<Sla, ExpressionError> bind_on_metrics_plan(std::string_view text) {
  auto loaded = plan::load_plan_string(kMetricsPlan, "m.yaml");
  EXPECT_TRUE(loaded.has_value());
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value());
  return bind_expression(*parsed, *loaded);
}

TEST(SlaBinding, ARateOfACustomRateMetricReadsItsColumn) {
  auto sla = bind_on_metrics_plan("rate(cache_hit{phase=only}) > 80%");
  ASSERT_TRUE(sla.has_value()) << sla.error().message;
  EXPECT_EQ(sla->metric, Metric::kCustomRate);
  EXPECT_EQ(sla->custom_metric, 1u);
}

TEST(SlaBinding, ARateOfATrendIsRejectedNamingTheRateMetrics) {
  auto sla = bind_on_metrics_plan("rate(tokens) > 80%");
  ASSERT_FALSE(sla.has_value());
  EXPECT_EQ(sla.error().message, "unknown rate metric 'tokens'; the plan's rate metrics are: 'cache_hit'");
}

TEST(SlaBinding, ATrendAndACounterReadTheirColumns) {
  auto trend = bind_on_metrics_plan("p99(trend(tokens{phase=only})) < 500");
  ASSERT_TRUE(trend.has_value()) << trend.error().message;
  EXPECT_EQ(trend->metric, Metric::kCustomTrend);
  EXPECT_EQ(trend->custom_metric, 0u);
  auto counter = bind_on_metrics_plan("counter(misses) < 10");
  ASSERT_TRUE(counter.has_value()) << counter.error().message;
  EXPECT_EQ(counter->metric, Metric::kCustomCounter);
  EXPECT_EQ(counter->custom_metric, 2u);
}

TEST(SlaBinding, ATrendOfARateOrAStepScopeOnACustomMetricIsRejected) {
  auto wrong_kind = bind_on_metrics_plan("p95(trend(cache_hit)) < 1");
  ASSERT_FALSE(wrong_kind.has_value());
  EXPECT_EQ(wrong_kind.error().message, "unknown trend metric 'cache_hit'; the plan's trend metrics are: 'tokens'");
  EXPECT_EQ(wrong_kind.error().column, 11);
  auto scoped = bind_on_metrics_plan("counter(misses{step=second}) < 10");
  ASSERT_FALSE(scoped.has_value());
  EXPECT_EQ(scoped.error().message, "misses can only be scoped by phase (it is counted per phase)");
}

TEST(SlaBinding, ALoopTakesNoStepColumnSoTheStepsAfterItKeepTheirs) {
  auto sla = bind_on_metrics_plan("p95(second) < 1s");
  ASSERT_TRUE(sla.has_value()) << sla.error().message;
  EXPECT_EQ(sla->scope.steps, (std::vector<size_t>{1}));
}

}  // namespace
}  // namespace surge::sla

namespace surge::sla {
namespace {

constexpr std::string_view kWsPlan = R"(target: http://127.0.0.1:8080
phases: [{ name: only, duration: 1s, users: 1 }]
scenarios:
  - name: chat
    steps:
      - ws: { connect: /ws }
      - ws: { name: say, send: hi, expect: { contains: hi } }
      - ws: { name: fire, send: bye }
      - ws: { close: 1000 }
)";

core::Result<Sla, ExpressionError> bind_on(std::string_view plan_text, std::string_view text) {
  auto loaded = plan::load_plan_string(plan_text, "w.yaml");
  EXPECT_TRUE(loaded.has_value());
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value());
  return bind_expression(*parsed, *loaded);
}

TEST(SlaBinding, WsRttReadsOnlyTheSendsThatWaitForAnAnswer) {
  auto sla = bind_on(kWsPlan, "p95(ws_rtt) < 50ms");
  ASSERT_TRUE(sla.has_value()) << sla.error().message;
  EXPECT_EQ(sla->metric, Metric::kLatency);
  EXPECT_EQ(sla->scope.steps, (std::vector<size_t>{1}));
}

TEST(SlaBinding, WsRttOnAPlanWithoutRoundTripsIsAPlanError) {
  auto sla = bind_on(R"(target: http://127.0.0.1:8080
phases: [{ name: only, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)",
                     "p95(ws_rtt) < 50ms");
  ASSERT_FALSE(sla.has_value());
  EXPECT_EQ(sla.error().message, "ws_rtt reads the ws steps that send and expect an answer; the plan has none");
  EXPECT_EQ(sla.error().column, 5);
}

}  // namespace
}  // namespace surge::sla
