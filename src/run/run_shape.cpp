// run_shape: the plan's names, models and columns, in the order every grid holds them (run_shape.h).
#include "run/run_shape.h"

#include "core/clock.h"

namespace surge::run {

results::RunShape run_shape(const plan::Plan& plan, const scenario::CompiledPlan& compiled,
                            const std::string& target_url) {
  results::RunShape shape;
  shape.plan_name = plan.name;
  shape.target = plan.builtin_target ? "builtin (" + target_url + ")" : target_url;
  for (const plan::Phase& phase : plan.phases) {
    results::PhaseInfo info;
    info.name = phase.name;
    info.model = std::string(plan::to_string(phase.model));
    if (shape.mode.find(info.model) == std::string::npos)
      shape.mode += (shape.mode.empty() ? "" : "+") + info.model;
    info.planned_duration_s = static_cast<double>(phase.duration.count()) / core::kNsPerSec;
    info.stable_s = static_cast<double>(phase.stable.count()) / core::kNsPerSec;
    shape.phases.push_back(info);
  }
  for (const scenario::StepInfo& info : compiled.steps) {
    shape.steps.push_back({info.scenario, info.name, info.is_request, info.group, info.is_round_trip});
  }
  for (const scenario::GroupInfo& group : compiled.groups)
    shape.groups.push_back({group.scenario, group.name, group.path});
  for (const scenario::CheckInfo& check : compiled.checks) shape.checks.push_back({check.step, check.name});
  for (const scenario::CompiledMetric& metric : compiled.metrics) {
    using Kind = plan::CustomMetric::Kind;
    shape.custom_metrics.push_back({metric.name, metric.kind == Kind::kRate      ? "rate"
                                                 : metric.kind == Kind::kCounter ? "counter"
                                                                                 : "trend"});
  }
  return shape;
}

}  // namespace surge::run
