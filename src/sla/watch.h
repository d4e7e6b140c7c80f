// Follows the SLAs while a run goes, one completed second at a time: windowed SLAs on their sliding windows,
// abort_on_fail SLAs without a window on the run so far. It says when an abort_on_fail SLA breached (so the
// coordinator can stop the workers), and gives every SLA's verdict at the end.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "metrics/request_stats.h"
#include "results/run_result.h"
#include "sla/measure.h"
#include "sla/sla.h"

namespace surge::sla {

class SlaWatch {
 public:
  explicit SlaWatch(std::vector<Sla> slas);

  // One completed second: `second` is k (it covers [k-1, k) s after the start), `phase` the index of the
  // phase that ran in it, `grid` the second's cells summed over the workers. Seconds come in order. is_whole
  // is false for a last second the end of the run cut short: it may not stop the run (its throughput reads
  // low). Returns the stop reason the first time an abort_on_fail SLA breaches at or after its delay, else
  // nullopt.
  std::optional<std::string> on_second(uint64_t second, size_t phase, const metrics::StatsGrid& grid,
                                       bool is_whole = true);

  // Every SLA's verdict, in plan order. A windowed SLA reports its worst window of whole seconds (or, when
  // the run was shorter than the window, the whole run); any other SLA reports the whole run from `result`,
  // whose duration_s also tells whether the last second fed was whole.
  std::vector<results::SlaOutcome> outcomes(const results::RunResult& result) const;

 private:
  struct SecondSample {
    Reduction counts;       // its histogram stays empty: the encoded one below is far smaller
    std::string histogram;  // metrics::Histogram::encode of the second's scoped histogram
  };
  struct Window {
    uint64_t end_s = 0;
    std::optional<double> value;  // none: no samples in it
  };
  struct Tracker {
    std::deque<SecondSample> recent;  // windowed: the last window_s seconds
    Reduction scratch;                // one second's reduction, then a window's sum
    Reduction so_far;                 // abort_on_fail without a window: the run so far
    // The latest window counts once a later second (or the run's duration) shows its last second was whole.
    std::optional<Window> pending;
    bool counted_a_window = false;
    std::optional<double> worst;
    uint64_t worst_at_s = 0;
    std::optional<uint64_t> breached_at_s;
    bool stopped_run = false;
  };

  static void count_window(const Sla& sla, const Window& window, Tracker& tracker);
  static std::optional<double> evaluate_window(const Sla& sla, Tracker& tracker, uint64_t second,
                                               size_t phase, const metrics::StatsGrid& grid);
  static std::optional<double> evaluate_so_far(const Sla& sla, Tracker& tracker, size_t phase,
                                               const metrics::StatsGrid& grid);

  std::vector<Sla> slas_;
  std::vector<Tracker> trackers_;
  bool stopped_ = false;
};

// The SLA's metric over the whole run: the run's cells, timed by the run's duration (or the scoped phases').
std::optional<double> measure_run(const Sla& sla, const results::RunResult& result);

}  // namespace surge::sla
