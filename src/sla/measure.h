// What an SLA reads from a stats grid, added up over its scope (counters of its phases and steps, and the one
// histogram it needs), and its metric computed from that in the unit of its threshold. The whole run, a
// sliding window and the run so far are all measured this way.
#pragma once

#include <cstdint>
#include <optional>

#include "metrics/request_stats.h"
#include "sla/sla.h"

namespace surge::sla {

struct Reduction {
  uint64_t requests = 0;  // requests that ended in the scope's cells (ok + errors)
  uint64_t errors = 0;
  uint64_t connects_opened = 0;  // of the scope's phases
  uint64_t connects_failed = 0;
  uint64_t dropped_iterations = 0;
  uint64_t retried = 0;    // requests whose first try failed and that were retried
  uint64_t recovered = 0;  // of them, those a retry made succeed
  uint64_t custom_hits = 0;   // kCustomRate: responses satisfying the condition, of custom_total; kCustomCounter: its count;
                              // group metrics: failed runs, of custom_total runs
  uint64_t custom_total = 0;
  double seconds = 0;            // the time base of throughput; 0 means the scope never ran
  metrics::Histogram histogram;  // latency or service time of the cells; empty for the other metrics

  void add(const Reduction& other);
  void reset();  // keeps the histogram's buffer
};

// Adds the SLA's cells of grid into out. out.seconds is the caller's: the run's duration, or the scoped
// phases' durations, or the seconds of a window.
void reduce(const Sla& sla, const metrics::StatsGrid& grid, Reduction& out);

// The SLA's metric in the unit of its threshold; nullopt when the metric saw no samples: no response for a
// statistic, no request for error_rate, no retried request for error_recovery_rate, no connect attempt for connections.failed_rate, no time
// (seconds == 0) for throughput, requests and dropped_iterations (a count of 0 over real time is data).
std::optional<double> measure(const Sla& sla, const Reduction& reduction);

// Nanoseconds in one of a duration threshold's units: ns, us, ms, s.
double ns_per_unit(const std::string& unit);

}  // namespace surge::sla
