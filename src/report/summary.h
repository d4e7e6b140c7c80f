// The terminal summary printed at the end of every run (wrk-like: totals, latency table, errors, per phase/step).
#pragma once

#include <string>

#include "results/run_result.h"

namespace surge::report {

std::string render_summary(const results::RunResult& result);

}  // namespace surge::report
