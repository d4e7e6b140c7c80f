// How SLA verdicts read in text: a value in its unit, and the summary's ✓/✗ table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/run_result.h"

namespace surge::report {

// "312.5ms", "0.12%", "1500/s", "42": the value, then the unit as the SLA wrote it.
std::string format_sla_value(double value, std::string_view unit);

// "actual 312.5ms, expected < 250ms (worst 10 s window, ending at 14 s)" or "no data, expected < 250ms".
std::string describe_sla_outcome(const SlaOutcome& outcome);

// The summary's SLA section: one ✓/✗ line per SLA; empty when the run had no SLA.
std::string render_sla_table(const std::vector<SlaOutcome>& slas);

}  // namespace surge::report
