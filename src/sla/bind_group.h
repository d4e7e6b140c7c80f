// Binding of the group SLAs, p95(group(name)) and group_failed_rate(name): the group's indices in the stats
// grid, numbered as scenario::compile_plan numbers them (bind.cpp calls it for expressions with a group).
#pragma once

#include "core/result.h"
#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::sla {

// Fills sla.metric and sla.scope (phases: bind_phase's job, done by the caller) for a group expression: every
// group whose name or path ("outer::inner") is the metric's name, narrowed by {scenario=...}. A step in the
// scope is an error (a group is not a step), as is a name no group has.
core::Result<void, ExpressionError> bind_group(const Expression& expression, const plan::Plan& plan, Sla& sla);

}  // namespace surge::sla
