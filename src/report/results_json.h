// results.json: the stable machine-readable contract of a run (keys in DESIGN.md, units in docs/results.md).
#pragma once

#include <nlohmann/json.hpp>

#include "results/run_result.h"

namespace surge::report {

// Every key of results.json but `timeseries` (whose rows outputs take one at a time: results_document.h).
nlohmann::json results_head(const results::RunResult& result);
// One `timeseries[]` row.
nlohmann::json timeseries_row(const results::SecondRow& row,
                              const std::vector<results::StepName>& step_names);
// The whole document as one tree, rows included: for small results (tests); outputs never build it.
nlohmann::json to_results_json(const results::RunResult& result);

// {min, mean, p50, p90, p95, p99, p999, max} in milliseconds (fractions kept); callers omit it when empty.
nlohmann::json latency_block(const metrics::Histogram& histogram);

}  // namespace surge::report
