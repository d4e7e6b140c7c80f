// The variables a plan's templates may name: every feeder column ("<feeder>.<column>") and every capture
// variable, bound to slots in one scope for the whole plan. A virtual user keeps one value per slot across its
// iterations and scenarios, so a token captured in one scenario is seen by the next.
#pragma once

#include "plan/plan.h"
#include "templating/scope.h"

namespace surge::plan {

// Feeder columns first (in feeder, then column order), then capture variables in step order. The same plan
// always gives the same slots, so plan checks and the compiled plan agree.
templating::Scope variable_scope(const Plan& plan);

}  // namespace surge::plan
