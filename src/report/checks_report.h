// Checks and custom metrics in the reports: the results.json blocks (docs/results.md) — a step's `checks` list,
// the run's `checks` totals, the `metrics` object of custom metrics — and their lines in the terminal summary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/run_result.h"

namespace surge::report {

// [{name, passed, failed}, ...] of one step (index into RunResult::steps); empty when it has none.
nlohmann::json step_checks_block(const results::RunResult& result, size_t step);

// {passed, failed} over every check of the run.
nlohmann::json checks_total_block(const results::RunResult& result);

// { name: {type: rate, rate, hits, total} | {type: counter, count, rate_per_s} |
//         {type: trend, count, min, mean, p50, p90, p95, p99, max} }
nlohmann::json custom_metrics_block(const results::RunResult& result);

// The summary's "checks" table (✓ when a check never failed) and "metrics" lines; "" when the plan has none.
std::string checks_summary(const results::RunResult& result);

}  // namespace surge::report
