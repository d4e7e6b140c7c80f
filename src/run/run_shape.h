// The run's shape (results/run_shape.h) from the plan and its compiled form: what every grid, second row,
// report and /metrics series is named after.
#pragma once

#include <string>

#include "plan/plan.h"
#include "results/run_shape.h"
#include "scenario/compiled_plan.h"

namespace surge::run {

// target_url is the URL the run loads (the started server's for `target: builtin`).
results::RunShape run_shape(const plan::Plan& plan, const scenario::CompiledPlan& compiled,
                            const std::string& target_url);

}  // namespace surge::run
