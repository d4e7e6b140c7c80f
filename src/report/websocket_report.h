// WebSocket message round trips in the reports: the latencies of every `ws` send step that waits for its
// answer, merged into one histogram (results.json `websocket`, a summary line). Built from the step cells, so
// the figures are exactly those steps' own.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "results/run_result.h"

namespace surge::report {

// {round_trips, failed, rtt_ms: {p50, ..., max}, steps: [names]}; null when the plan has no round-trip step.
nlohmann::json websocket_block(const results::RunResult& result);

// "  ws rtt  N round trips  p50 ... max ..." or "" when the plan has no round-trip step.
std::string websocket_summary(const results::RunResult& result);

}  // namespace surge::report
