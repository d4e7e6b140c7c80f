// Reductions and metric values. Percentiles come from the merged histogram of the cells in scope, so a
// scoped p95 is the p95 of exactly those requests, never an average of per-cell figures.
#include "sla/measure.h"

namespace surge::sla {
namespace {

bool reads_histogram(Metric metric) { return metric == Metric::kLatency || metric == Metric::kServiceTime; }
bool reads_custom(Metric metric) {
  return metric == Metric::kCustomRate || metric == Metric::kCustomCounter || metric == Metric::kCustomTrend;
}


double statistic_ns(Statistic statistic, const metrics::Histogram& histogram) {
  if (auto percentile = percentile_of(statistic)) {
    return static_cast<double>(histogram.value_at_percentile(*percentile));
  }
  if (statistic == Statistic::kMax) return static_cast<double>(histogram.max());
  if (statistic == Statistic::kMin) return static_cast<double>(histogram.min());
  return histogram.mean();
}

std::optional<double> ratio(uint64_t part, uint64_t whole, const std::string& unit) {
  if (whole == 0) return std::nullopt;
  double fraction = static_cast<double>(part) / static_cast<double>(whole);
  return unit == "%" ? fraction * 100 : fraction;
}

}  // namespace

double ns_per_unit(const std::string& unit) {
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return 1;  // ns
}

void Reduction::add(const Reduction& other) {
  requests += other.requests;
  errors += other.errors;
  connects_opened += other.connects_opened;
  connects_failed += other.connects_failed;
  dropped_iterations += other.dropped_iterations;
  retried += other.retried;
  recovered += other.recovered;
  custom_hits += other.custom_hits;
  custom_total += other.custom_total;
  seconds += other.seconds;
  histogram.add(other.histogram);
}

void Reduction::reset() {
  requests = errors = connects_opened = connects_failed = dropped_iterations = custom_hits = custom_total = 0;
  retried = recovered = 0;
  seconds = 0;
  histogram.reset();
}

void reduce(const Sla& sla, const metrics::StatsGrid& grid, Reduction& out) {
  const bool latency = sla.metric == Metric::kLatency;
  const bool histogram = reads_histogram(sla.metric);
  // A grid of another shape (a RunResult built without the plan's) has none of the scope's cells.
  for (size_t phase : sla.scope.phases) {
    if (phase >= grid.phase_count()) continue;
    out.connects_opened += grid.connections(phase).opened;
    out.connects_failed += grid.connections(phase).failed;
    out.dropped_iterations += grid.dropped_iterations(phase);
    if (reads_custom(sla.metric) && sla.custom_metric < grid.metric_count()) {
      const metrics::CustomMetricStats& custom = grid.custom(phase, sla.custom_metric);
      out.custom_hits += custom.hits;
      out.custom_total += custom.total;
      if (sla.metric == Metric::kCustomTrend) out.histogram.add(custom.values);
    }
    for (size_t group : sla.scope.groups) {
      if (group >= grid.group_count()) continue;
      const metrics::GroupStats& stats = grid.group(phase, group);
      out.custom_hits += stats.failed;
      out.custom_total += stats.runs;
      if (sla.metric == Metric::kGroupDuration) out.histogram.add(stats.duration);
    }
    for (size_t step : sla.scope.steps) {
      if (step >= grid.step_count()) continue;
      const metrics::RequestStats& cell = grid.cell(phase, step);
      if (cell.empty()) continue;
      out.requests += cell.total();
      out.errors += cell.errors();
      out.retried += cell.retried;
      out.recovered += cell.recovered;
      if (histogram) out.histogram.add(latency ? cell.latency : cell.service_time);
    }
  }
}

std::optional<double> measure(const Sla& sla, const Reduction& reduction) {
  const std::string& unit = sla.expression.unit;
  switch (sla.metric) {
    case Metric::kLatency:
    case Metric::kServiceTime:
      if (reduction.histogram.empty()) return std::nullopt;
      return statistic_ns(*sla.expression.statistic, reduction.histogram) / ns_per_unit(unit);
    case Metric::kErrorRate:
      return ratio(reduction.errors, reduction.requests, unit);
    case Metric::kErrorRecoveryRate:
      return ratio(reduction.recovered, reduction.retried, unit);
    case Metric::kCustomRate:
      return ratio(reduction.custom_hits, reduction.custom_total, unit);
    case Metric::kCustomCounter:
      if (reduction.seconds <= 0) return std::nullopt;
      return static_cast<double>(reduction.custom_hits);
    case Metric::kCustomTrend:
      // Values are kept × kTrendScale in an integer histogram (check_stats.h).
      if (reduction.histogram.empty()) return std::nullopt;
      return statistic_ns(*sla.expression.statistic, reduction.histogram) /
             metrics::CustomMetricStats::kTrendScale;
    case Metric::kGroupDuration:
      if (reduction.histogram.empty()) return std::nullopt;
      return statistic_ns(*sla.expression.statistic, reduction.histogram) / ns_per_unit(unit);
    case Metric::kGroupFailedRate:
      return ratio(reduction.custom_hits, reduction.custom_total, unit);
    case Metric::kConnectionsFailedRate:
      return ratio(reduction.connects_failed, reduction.connects_opened + reduction.connects_failed, unit);
    case Metric::kThroughput:
      if (reduction.seconds <= 0) return std::nullopt;
      return static_cast<double>(reduction.requests) / reduction.seconds;
    case Metric::kRequests:
      if (reduction.seconds <= 0) return std::nullopt;
      return static_cast<double>(reduction.requests);
    case Metric::kDroppedIterations:
      if (reduction.seconds <= 0) return std::nullopt;
      return static_cast<double>(reduction.dropped_iterations);
    case Metric::kRecovery:
    case Metric::kSettle:
      return std::nullopt;  // known only when the run has ended: measure_run reads them from the results
  }
  return std::nullopt;
}

}  // namespace surge::sla
