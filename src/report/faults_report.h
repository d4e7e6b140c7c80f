// Faults in the reports (docs/faults.md): the results.json `faults` list and the summary's faults lines.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/run_result.h"

namespace surge::report {

// [{kind, at_s, for_s, end_s, stable_s, recovery_s (null: not recovered), errors, errors_by_kind {...},
// failure?, command_status?}, ...] in plan order.
nlohmann::json faults_block(const results::RunResult& result);

// "faults" lines: kind, window, recovery, errors by kind; "" without faults.
std::string faults_summary(const results::RunResult& result);

}  // namespace surge::report
