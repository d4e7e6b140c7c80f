// The exit code of a finished run, shared by `surge run` and `surge merge` (DESIGN.md: 0, 1, 99).
#pragma once

#include "results/run_result.h"

namespace surge::run {

// 1 when the run did not run its whole plan (stopped early other than by an SLA, interrupted, a worker lost)
// or no request succeeded; else 99 when an SLA failed; else 0. result.slas must be judged already.
int decide_exit_code(const results::RunResult& result);

}  // namespace surge::run
