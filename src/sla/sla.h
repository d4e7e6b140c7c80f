// A checked SLA: the parsed expression, the metric it reads, the cells of the stats grid (phases x steps)
// its scope selects, and how it is judged (window, abort). compile_slas turns `sla:` entries into these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "plan/plan.h"
#include "sla/expression.h"

namespace surge::sla {

enum class Metric {
  kLatency,                // a statistic of latency (from the intended send)
  kServiceTime,            // a statistic of service time (from the actual send)
  kErrorRate,              // errors / requests
  kErrorRecoveryRate,      // recovered / retried: requests a retry made succeed, of those retried
  kThroughput,             // requests / seconds
  kRequests,               // requests that ended
  kDroppedIterations,      // open-model arrivals not started
  kConnectionsFailedRate,  // failed connects / connect attempts
  kCustomRate,             // rate(name): responses satisfying a custom rate metric's condition / responses
  kCustomCounter,          // counter(name): responses a custom counter metric counted
  kCustomTrend,            // p95(trend(name)): a statistic of a custom trend metric's values
  kGroupDuration,          // p95(group(name)): a statistic of the group's run durations
  kGroupFailedRate,        // group_failed_rate(name): failed runs / runs of the group
  // Judged once the run has ended (docs/faults.md), from results, not from the stats grid:
  kRecovery,  // recovery_s: the slowest recovery of the plan's faults (one never recovered: its time to the end)
  kSettle,    // settle_s: the slowest settle_s of the scope's phases (one never settled: its duration)
};

constexpr Metric kLastMetric = Metric::kSettle;  // partial results.json stores a Metric as its number

struct Scope {
  std::vector<size_t> phases;  // phase indices, ascending: every phase when the SLA names none
  std::vector<size_t> steps;  // stats-grid step columns of HTTP steps, ascending: all of them when none named
  bool names_phase = false;   // the time base is then that phase's duration, not the whole run's
  std::vector<size_t> groups;  // kGroup*: the stats grid's group indices of the named group, ascending
};

struct Sla {
  Expression expression;
  Metric metric = Metric::kLatency;
  size_t custom_metric = 0;  // kCustom*: index into plan.metrics (and the grid's custom columns)
  Scope scope;
  std::optional<uint32_t> window_s;  // judged on every complete sliding window of this many seconds
  bool abort_on_fail = false;
  int64_t delay_ns = 0;  // no abort before this much of the run has passed
};

// Checks an expression's names against the plan: phases, scenarios and steps (steps are numbered across
// scenarios in plan order, think steps included, as the stats grid's columns are). Errors point at the
// offending name's column.
core::Result<Sla, ExpressionError> bind_expression(Expression expression, const plan::Plan& plan);

// Parses and binds every plan.slas entry and returns every problem: an entry from the plan is placed at
// file:line:column of the offending character; one from the command line (where.file empty) says
// "invalid --sla '...' (column N): ...".
core::Result<std::vector<Sla>, plan::Diagnostics> compile_slas(const plan::Plan& plan);

// "ms" for a 250ms threshold, "%" for 1%, "/s", or "" (a fraction, a bare rate or a count).
inline const std::string& unit_of(const Sla& sla) { return sla.expression.unit; }

}  // namespace surge::sla
