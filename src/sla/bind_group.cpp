// Group SLAs: groups are numbered in plan order, scenario by scenario, a group before the groups inside it,
// as scenario::compile_plan lays out their markers (the stats grid's group index).
#include "sla/bind_group.h"

#include <string>
#include <variant>
#include <vector>

namespace surge::sla {
namespace {

struct GroupRef {
  size_t index = 0;
  const std::string* scenario = nullptr;
  std::string name;
  std::string path;  // "outer::inner"
};

std::vector<GroupRef> plan_groups(const plan::Plan& plan) {
  std::vector<GroupRef> groups;
  for (const plan::Scenario& scenario : plan.scenarios) {
    // The open groups around the current step: each with the index of the step after its body.
    std::vector<std::pair<size_t, std::string>> open;
    for (size_t i = 0; i < scenario.steps.size(); ++i) {
      while (!open.empty() && open.back().first <= i) open.pop_back();
      const auto* group = std::get_if<plan::GroupStep>(&scenario.steps[i]);
      if (group == nullptr) continue;
      std::string path = open.empty() ? group->name : open.back().second + "::" + group->name;
      groups.push_back({groups.size(), &scenario.name, group->name, path});
      open.emplace_back(i + 1 + group->body_steps, path);
    }
  }
  return groups;
}

core::Unexpected<ExpressionError> error_at(int column, std::string message) {
  return {{column, std::move(message)}};
}

}  // namespace

core::Result<void, ExpressionError> bind_group(const Expression& expression, const plan::Plan& plan, Sla& sla) {
  sla.metric = expression.group == GroupKind::kDuration ? Metric::kGroupDuration : Metric::kGroupFailedRate;
  const ScopeItem* scenario = nullptr;
  for (const ScopeItem& item : expression.scope) {
    if (item.key == "step") {
      return error_at(item.key_column, "a group SLA is scoped by phase or scenario; the group names its steps");
    }
    if (item.key == "scenario") scenario = &item;
  }
  std::vector<GroupRef> groups = plan_groups(plan);
  if (groups.empty()) {
    return error_at(expression.metric_column,
                    "unknown group '" + expression.metric + "'; the plan has no group steps");
  }
  std::string known;
  for (const GroupRef& group : groups) {
    if (scenario != nullptr && *group.scenario != scenario->value) continue;
    if (known.find("'" + group.path + "'") == std::string::npos) known += (known.empty() ? "'" : ", '") + group.path + "'";
    if (group.name == expression.metric || group.path == expression.metric) sla.scope.groups.push_back(group.index);
  }
  if (!sla.scope.groups.empty()) return {};
  if (scenario != nullptr && known.empty()) {
    return error_at(scenario->value_column, "scenario '" + scenario->value + "' has no group steps");
  }
  std::string where = scenario != nullptr ? " in that scenario" : "";
  return error_at(expression.metric_column,
                  "unknown group '" + expression.metric + "'" + where + "; the groups are: " + known);
}

}  // namespace surge::sla
