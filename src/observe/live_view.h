// What the /metrics endpoint shows besides the cumulative counters: names, the gauges of the last completed
// second, SLA states and the target's resources. The coordinator keeps one and updates it once a second.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/run_shape.h"
#include "results/second_row.h"

namespace surge::observe {

enum class SlaVerdict : uint8_t { kUnknown, kPass, kFail };

struct SlaState {
  std::string expr;                           // as the user wrote it; the `expr` label
  SlaVerdict verdict = SlaVerdict::kUnknown;  // kUnknown (no data yet) exports no surge_sla_pass sample
  // Latency SLAs ("p95(latency) < 250ms" → 0.25): exported so the dashboard draws the SLA line.
  std::optional<double> latency_threshold_s;
};

struct LiveView {
  // The run's phases (grid rows, plan order), steps (grid columns; think steps are not exported), checks and
  // custom metrics: what the series are named after.
  results::RunShape shape;
  size_t current_phase = 0;
  bool running = true;  // false once every worker is gone (the linger)
  uint64_t active_users = 0;
  uint64_t open_connections = 0;
  std::vector<SlaState> slas;
  std::optional<results::TargetSample> target;  // when the target is monitored
  // The kinds of the plan's faults (each once, plan order) and those active now: surge_fault_active{kind}.
  std::vector<std::string> fault_kinds;
  std::vector<std::string> active_fault_kinds;
};

// Copies the gauges of one completed second (phase, users, connections, target sample) into view.
void update_from_second(LiveView& view, const results::SecondRow& row);

}  // namespace surge::observe
