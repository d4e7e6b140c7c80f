// results.json: the stable machine-readable contract of a run (keys in DESIGN.md, units in docs/results.md).
#pragma once

#include <nlohmann/json.hpp>

#include "report/run_result.h"

namespace surge::report {

nlohmann::json to_results_json(const RunResult& result);

// {min, mean, p50, p90, p95, p99, p999, max} in milliseconds (fractions kept); callers omit it when empty.
nlohmann::json latency_block(const metrics::Histogram& histogram);

}  // namespace surge::report
