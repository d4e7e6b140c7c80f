// Groups of steps in the reports (docs/results.md): the results.json `groups` list and the summary's groups
// table, both from the grid's group cells.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/run_result.h"

namespace surge::report {

// [{scenario, name, path, runs, passed, failed, duration_ms {min .. max}, phases [{name, runs, passed, failed,
// duration_ms}]}, ...]: every group of the plan, a phase only when the group ran in it.
nlohmann::json groups_block(const results::RunResult& result);

// The summary's "groups" table (runs, failed, duration percentiles); "" when the plan has no group.
std::string groups_summary(const results::RunResult& result);

}  // namespace surge::report
