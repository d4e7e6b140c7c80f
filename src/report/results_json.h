// results.json: the stable machine-readable contract of a run (keys in DESIGN.md, units in docs/results.md).
#pragma once

#include <nlohmann/json.hpp>

#include "report/run_result.h"

namespace surge::report {

// Every key of results.json but `timeseries` (whose rows outputs take one at a time: results_document.h).
nlohmann::json results_head(const RunResult& result);
// One `timeseries[]` row.
nlohmann::json timeseries_row(const SecondRow& row, const std::vector<StepName>& step_names);
// The whole document as one tree, rows included: for small results (tests); outputs never build it.
nlohmann::json to_results_json(const RunResult& result);

// {min, mean, p50, p90, p95, p99, p999, max} in milliseconds (fractions kept); callers omit it when empty.
nlohmann::json latency_block(const metrics::Histogram& histogram);

}  // namespace surge::report
