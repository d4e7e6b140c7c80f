// Merges the workers' snapshots: adds every delta into the run totals, and sums each second over workers.
// A second is complete when every worker still running has reported it; completed seconds become rows.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "metrics/snapshot.h"
#include "results/run_result.h"

namespace surge::merge {

// A completed second: its row for the time series, and the second's own cells (a delta over all workers,
// phases × steps) for whoever needs more than the row (sliding SLA windows).
struct CompletedSecond {
  results::SecondRow row;
  metrics::StatsGrid grid;
  uint32_t phase = 0;                 // index of row.phase
  uint64_t max_open_connections = 0;  // sum over workers of their peaks within the second
};

class Collector {
 public:
  Collector(std::vector<std::string> phase_names, size_t step_count, size_t worker_count);

  // Decodes one frame body and adds it in.
  core::Result<void> on_frame(std::string_view body);
  // Adds one decoded snapshot (surge merge feeds each part's seconds here, one part as one worker).
  core::Result<void> on_snapshot(const metrics::Snapshot& snapshot);
  // The worker will send nothing more (exited or crashed): seconds stop waiting for it.
  void on_worker_gone(uint32_t worker);
  // Seconds completed since the last call, in order.
  std::vector<CompletedSecond> take_completed_seconds();

  const metrics::StatsGrid& totals() const { return totals_; }
  // The run's figures the collector holds, into result: the totals grid, max_concurrent, and each phase's
  // max_concurrent and duration_s (its planned time, or until the run ended at result.duration_s, which must
  // be set; with a request budget the last phase lasts until the end). surge run and surge merge both end
  // here.
  void fill_result(results::RunResult& result, uint64_t max_requests) const;
  uint64_t max_concurrent() const { return max_concurrent_; }
  const std::vector<uint64_t>& phase_max_concurrent() const { return phase_max_concurrent_; }
  uint64_t active_users() const { return last_active_users_; }

 private:
  struct PendingSecond {
    explicit PendingSecond(const metrics::StatsGrid& shape) : grid(shape.phase_count(), shape.step_count()) {}
    metrics::StatsGrid grid;
    uint64_t active_users = 0;
    uint64_t open_connections = 0;
    uint64_t max_open_connections = 0;
    uint32_t phase = 0;
    metrics::OutcomeTimes outcomes;
  };

  CompletedSecond finish_second(uint64_t second, PendingSecond& pending);

  std::vector<std::string> phase_names_;
  metrics::StatsGrid totals_;
  metrics::Snapshot scratch_;
  metrics::RequestStats second_total_;  // finish_second's sums, kept for their histograms' buffers
  metrics::RequestStats second_step_;
  std::vector<uint64_t> last_sequence_;
  std::vector<bool> alive_;
  std::map<uint64_t, PendingSecond> pending_;
  std::vector<uint64_t> phase_max_concurrent_;
  uint64_t max_concurrent_ = 0;
  uint64_t last_active_users_ = 0;
};

}  // namespace surge::merge
