// How SLA verdicts read in text: a value in its unit, and the summary's ✓/✗ table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "results/run_result.h"
#include "results/sla_value.h"

namespace surge::report {

using results::format_sla_value;  // "312.5ms": the value in its unit (results/sla_value.h)

// "actual 312.5ms, expected < 250ms (worst 10 s window, ending at 14 s)" or "no data, expected < 250ms".
std::string describe_sla_outcome(const results::SlaOutcome& outcome);

// The summary's SLA section: one ✓/✗ line per SLA; empty when the run had no SLA.
std::string render_sla_table(const std::vector<results::SlaOutcome>& slas);

}  // namespace surge::report
