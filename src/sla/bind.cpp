// Binding: the names an SLA uses (phases, scenarios, steps, step-named metrics) become indices into the stats
// grid, or a plan error at the name's column that lists what the plan does have.
#include <algorithm>
#include <optional>
#include <string>
#include <variant>

#include "sla/bind_group.h"
#include "sla/sla.h"

namespace surge::sla {
namespace {

struct StepRef {
  size_t column = 0;  // stats-grid step index
  const std::string* scenario = nullptr;
  const std::string* name = nullptr;
  bool is_round_trip = false;  // a ws send that waits for its answer (the ws_rtt source)
};

// HTTP steps with their grid columns: every step (think included) takes a column, in plan order, as
// scenario::compile_plan numbers them.
std::vector<StepRef> request_steps(const plan::Plan& plan) {
  std::vector<StepRef> steps;
  size_t column = 0;
  for (const plan::Scenario& scenario : plan.scenarios) {
    for (const plan::Step& step : scenario.steps) {
      // A loop or group has no column, its body does.
      if (std::holds_alternative<plan::LoopStep>(step) || std::holds_alternative<plan::GroupStep>(step)) continue;
      if (const auto* http = std::get_if<plan::HttpStep>(&step))
        steps.push_back({column, &scenario.name, &http->name});
      if (const auto* ws = std::get_if<plan::WsStep>(&step)) {
        bool round_trip = ws->action == plan::WsStep::Action::kSend && ws->expects;
        steps.push_back({column, &scenario.name, &ws->name, round_trip});
      }
      ++column;
    }
  }
  return steps;
}

template <class Range, class NameOf>
std::string list_names(const Range& items, NameOf name_of) {
  std::string out;
  for (const auto& item : items) {
    std::string name = name_of(item);
    if (out.find("'" + name + "'") != std::string::npos) continue;
    out += (out.empty() ? "'" : ", '") + name + "'";
  }
  return out;
}

// p95(ws_rtt): the latency of every ws step that sends and waits for its answer, a message round trip.
constexpr std::string_view kWsRtt = "ws_rtt";

core::Unexpected<ExpressionError> error_at(int column, std::string message) {
  return {{column, std::move(message)}};
}

const ScopeItem* find_item(const Expression& expression, std::string_view key) {
  for (const ScopeItem& item : expression.scope) {
    if (item.key == key) return &item;
  }
  return nullptr;
}

plan::CustomMetric::Kind plan_kind_of(CustomKind kind) {
  if (kind == CustomKind::kCounter) return plan::CustomMetric::Kind::kCounter;
  if (kind == CustomKind::kTrend) return plan::CustomMetric::Kind::kTrend;
  return plan::CustomMetric::Kind::kRate;
}

// rate(name), counter(name), trend(name): the plan's custom metric of that name and kind, as its index in
// plan.metrics.
core::Result<size_t, ExpressionError> custom_metric_of(const Expression& expression, const plan::Plan& plan) {
  const plan::CustomMetric::Kind kind = plan_kind_of(expression.custom);
  const std::string_view kind_name = expression.custom == CustomKind::kCounter ? "counter"
                                     : expression.custom == CustomKind::kTrend ? "trend"
                                                                                : "rate";
  std::vector<const plan::CustomMetric*> same_kind;
  for (size_t i = 0; i < plan.metrics.size(); ++i) {
    if (plan.metrics[i].kind != kind) continue;
    if (plan.metrics[i].name == expression.metric) return i;
    same_kind.push_back(&plan.metrics[i]);
  }
  std::string known = same_kind.empty()
                          ? "the plan defines none (metrics: [{ name, " + std::string(kind_name) + " }])"
                          : "the plan's " + std::string(kind_name) + " metrics are: " +
                                list_names(same_kind, [](const plan::CustomMetric* m) { return m->name; });
  return error_at(expression.metric_column,
                  "unknown " + std::string(kind_name) + " metric '" + expression.metric + "'; " + known);
}

core::Result<Metric, ExpressionError> metric_of(const Expression& expression) {
  if (expression.custom == CustomKind::kRate) return Metric::kCustomRate;
  if (expression.custom == CustomKind::kCounter) return Metric::kCustomCounter;
  if (expression.custom == CustomKind::kTrend) return Metric::kCustomTrend;
  if (expression.statistic) {
    return expression.metric == "service_time" ? Metric::kServiceTime : Metric::kLatency;
  }
  if (expression.metric == "error_rate") return Metric::kErrorRate;
  if (expression.metric == "error_recovery_rate") return Metric::kErrorRecoveryRate;
  if (expression.metric == "throughput") return Metric::kThroughput;
  if (expression.metric == "requests") return Metric::kRequests;
  if (expression.metric == "dropped_iterations") return Metric::kDroppedIterations;
  if (expression.metric == "recovery_s") return Metric::kRecovery;
  if (expression.metric == "settle_s") return Metric::kSettle;
  return Metric::kConnectionsFailedRate;  // the parser admits no other name
}

core::Result<void, ExpressionError> bind_phase(const Expression& expression, const plan::Plan& plan,
                                               Scope& scope) {
  const ScopeItem* item = find_item(expression, "phase");
  if (item == nullptr) {
    for (size_t i = 0; i < plan.phases.size(); ++i) scope.phases.push_back(i);
    return {};
  }
  for (size_t i = 0; i < plan.phases.size(); ++i) {
    if (plan.phases[i].name == item->value) {
      scope.phases.push_back(i);
      scope.names_phase = true;
      return {};
    }
  }
  return error_at(item->value_column,
                  "unknown phase '" + item->value + "'; the plan's phases are: " +
                      list_names(plan.phases, [](const plan::Phase& p) { return p.name; }));
}

// The step columns the SLA reads: narrowed by scenario, then by step name (from the scope or p95(step)).
core::Result<void, ExpressionError> bind_steps(const Expression& expression, const plan::Plan& plan,
                                               const ScopeItem* step_name, Scope& scope) {
  std::vector<StepRef> steps = request_steps(plan);
  if (expression.statistic && expression.metric == kWsRtt) {
    std::erase_if(steps, [](const StepRef& step) { return !step.is_round_trip; });
    if (steps.empty()) {
      return error_at(expression.metric_column,
                      "ws_rtt reads the ws steps that send and expect an answer; the plan has none");
    }
  }
  if (const ScopeItem* scenario = find_item(expression, "scenario")) {
    auto known = std::find_if(plan.scenarios.begin(), plan.scenarios.end(),
                              [&](const plan::Scenario& s) { return s.name == scenario->value; });
    if (known == plan.scenarios.end()) {
      return error_at(scenario->value_column,
                      "unknown scenario '" + scenario->value + "'; the plan's scenarios are: " +
                          list_names(plan.scenarios, [](const plan::Scenario& s) { return s.name; }));
    }
    std::erase_if(steps, [&](const StepRef& step) { return *step.scenario != scenario->value; });
    if (steps.empty()) {
      return error_at(scenario->value_column,
                      "scenario '" + scenario->value + "' has no HTTP step to measure");
    }
  }
  if (step_name != nullptr) {
    std::vector<StepRef> named = steps;
    std::erase_if(named, [&](const StepRef& step) { return *step.name != step_name->value; });
    if (named.empty()) {
      std::string where = find_item(expression, "scenario") ? " in that scenario" : "";
      return error_at(step_name->value_column,
                      "unknown step '" + step_name->value + "'" + where +
                          "; the steps are: " + list_names(steps, [](const StepRef& s) { return *s.name; }));
    }
    steps = std::move(named);
  }
  for (const StepRef& step : steps) scope.steps.push_back(step.column);
  return {};
}

// p95(checkout) names a step as its metric, meaning the latency of the step(s) called checkout: the step as
// a scope item at the metric's column, or nullopt for latency and service_time.
core::Result<std::optional<ScopeItem>, ExpressionError> step_named_by_metric(const Expression& expression,
                                                                             const plan::Plan& plan) {
  if (!expression.statistic || expression.metric == "latency" || expression.metric == "service_time" ||
      expression.metric == kWsRtt) {
    return std::optional<ScopeItem>{};
  }
  std::vector<StepRef> steps = request_steps(plan);
  if (std::none_of(steps.begin(), steps.end(),
                   [&](const StepRef& s) { return *s.name == expression.metric; })) {
    return error_at(expression.metric_column, "unknown metric '" + expression.metric +
                                                  "'; expected latency, service_time or a step name");
  }
  return std::optional<ScopeItem>{
      ScopeItem{"step", expression.metric, expression.metric_column, expression.metric_column}};
}

}  // namespace

core::Result<Sla, ExpressionError> bind_expression(Expression expression, const plan::Plan& plan) {
  if (expression.group != GroupKind::kNone) {
    Sla sla;
    if (auto bound = bind_group(expression, plan, sla); !bound) return core::Unexpected<ExpressionError>{bound.error()};
    if (auto bound = bind_phase(expression, plan, sla.scope); !bound) {
      return core::Unexpected<ExpressionError>{bound.error()};
    }
    sla.expression = std::move(expression);
    return sla;
  }
  auto metric = metric_of(expression);
  if (!metric) return core::Unexpected<ExpressionError>{metric.error()};
  Sla sla;
  sla.metric = *metric;
  const bool custom = expression.custom != CustomKind::kNone;
  if (custom) {
    auto index = custom_metric_of(expression, plan);
    if (!index) return core::Unexpected<ExpressionError>{index.error()};
    sla.custom_metric = *index;
  }
  if (*metric == Metric::kRecovery) {
    if (!expression.scope.empty()) {
      return error_at(expression.scope.front().key_column,
                      "recovery_s takes no scope: it is the slowest recovery of the plan's faults");
    }
    if (plan.faults.empty()) return error_at(expression.metric_column, "recovery_s needs faults: in the plan");
  }
  if (*metric == Metric::kDroppedIterations || *metric == Metric::kConnectionsFailedRate || custom ||
      *metric == Metric::kSettle) {
    for (const ScopeItem& item : expression.scope) {
      if (item.key == "phase") continue;
      return error_at(item.key_column,
                      expression.metric + " can only be scoped by phase (it is counted per phase)");
    }
  }
  const ScopeItem* step_name = find_item(expression, "step");
  // A custom metric names no step: its own `steps:` say which steps it reads.
  core::Result<std::optional<ScopeItem>, ExpressionError> implied =
      custom ? std::optional<ScopeItem>{} : step_named_by_metric(expression, plan);
  if (!implied) return core::Unexpected<ExpressionError>{implied.error()};
  if (*implied) {
    if (step_name != nullptr) {
      return error_at(step_name->key_column, "the step is already named by " +
                                                 std::string(to_string(*expression.statistic)) + "(" +
                                                 expression.metric + ")");
    }
    step_name = &**implied;
  }
  if (auto bound = bind_phase(expression, plan, sla.scope); !bound) {
    return core::Unexpected<ExpressionError>{bound.error()};
  }
  if (auto bound = bind_steps(expression, plan, step_name, sla.scope); !bound) {
    return core::Unexpected<ExpressionError>{bound.error()};
  }
  sla.expression = std::move(expression);
  return sla;
}

}  // namespace surge::sla
