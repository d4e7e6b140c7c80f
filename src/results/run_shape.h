// The run's shape: what it is of — the plan's name, the target, the phases and their load models, and the
// steps, checks, groups and custom metrics whose columns every grid and second row has. Built once from the
// compiled plan (run/), copied whole by surge merge from its first part, and given to the live view, which
// names /metrics' series after it. RunResult (run_result.h) is a RunShape plus what happened.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace surge::results {

struct StepName {
  std::string scenario;
  std::string name;
  bool is_request = true;      // think steps have a column in the grid but never count requests
  std::string group;           // the groups it is inside, outermost first: "outer::inner"; "" for none
  bool is_round_trip = false;  // a ws send that waits for its answer (results.json `websocket`, ws_rtt SLAs)
};

// One `group` of steps (the grid's group column of the same index holds its runs and durations).
struct GroupName {
  std::string scenario;
  std::string name;
  std::string path;  // its name after the groups it is inside: "outer::inner"
};

// One `expect` check or capture of a step (the grid's check column of the same index counts its verdicts).
struct CheckName {
  size_t step = 0;  // index into RunResult::steps
  std::string name;
};

// One custom metric of the plan (the grid's custom column of the same index holds its values).
struct CustomMetricName {
  std::string name;
  std::string kind;  // "rate", "counter" or "trend"
};

struct PhaseInfo {
  std::string name;
  std::string model;  // closed, open, constant, hold
  double planned_duration_s = 0;
  double duration_s = 0;  // how long it really ran (shorter when the run ended early)
  uint64_t max_concurrent = 0;
  // settle_s (docs/faults.md#settle_s): from the phase's start to the first success of its first healthy
  // period of stable_s, when that came within the phase. Not measured by surge merge (settle_measured false).
  double stable_s = 5;
  bool settle_measured = false;
  std::optional<double> settle_s;
};

struct RunShape {
  std::string plan_name;
  std::string target;             // the URL (results.json target_url)
  std::string mode;               // the load models of the phases, e.g. "closed" or "closed+open"
  std::vector<PhaseInfo> phases;  // grid rows, plan order
  std::vector<StepName> steps;    // grid columns
  std::vector<CheckName> checks;
  std::vector<GroupName> groups;
  std::vector<CustomMetricName> custom_metrics;

  std::vector<std::string> phase_names() const {
    std::vector<std::string> names;
    for (const PhaseInfo& phase : phases) names.push_back(phase.name);
    return names;
  }
};

}  // namespace surge::results
