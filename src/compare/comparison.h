// The comparison itself: for the run, each phase and each step of two runs of one plan, every metric's base
// and new figure, the delta, its limit, the noise band and the verdict. A pure function of the figures.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compare/limits.h"
#include "compare/metric.h"
#include "compare/run_figures.h"

namespace surge::compare {

// pass: within its limit. regressed: beyond its limit in the worse direction and beyond the noise band (or
// with no noise estimate). within_noise: beyond its limit, but no farther from the base than the runs' own
// second-to-second variation explains, so not a failure. not_judged: the metric has no limit. no_data: one
// run has no figure (no request or no response in the scope, or a base of 0 for a relative delta).
enum class Verdict { kPass, kRegressed, kWithinNoise, kNotJudged, kNoData };
std::string_view verdict_name(Verdict verdict);  // pass, regressed, within_noise, not_judged, no_data

struct MetricDelta {
  Metric metric = Metric::kThroughput;
  std::optional<double> base, candidate;  // in value_unit(metric)
  std::optional<double> delta;            // candidate - base in delta_unit(metric): % of base, or pp
  std::optional<double> limit;            // Limits' max change in the worse direction, in delta_unit
  std::optional<double> noise;            // the noise band in delta_unit (noise_band, relative to the base)
  Verdict verdict = Verdict::kNoData;
};

// A point of the HdrHistogram percentile distribution: the latency (ms) at that percentile.
struct LatencyPoint {
  double percentile = 0;
  double latency_ms = 0;
};

struct ScopeComparison {
  ScopeKind kind = ScopeKind::kRun;
  std::string label;  // scope_label
  std::string scenario, group, name;
  std::vector<MetricDelta> metrics;  // one per kMetrics entry, in that order
  std::vector<LatencyPoint> base_distribution, candidate_distribution;  // empty without a histogram
};

struct RunSummary {
  std::string source, plan, surge_version;
  int64_t started_at_unix_ms = 0;
  double duration_s = 0;
};

struct Comparison {
  RunSummary base, candidate;
  Limits limits;
  std::vector<ScopeComparison> scopes;  // the run, then each phase, then each step
  std::vector<std::string> notes;       // what could not be compared and why
  size_t count(Verdict verdict) const;
  bool has_regression() const { return count(Verdict::kRegressed) > 0; }
};

// The metric's figure for the whole scope in value_unit: results.json's throughput_rps; errors / requests
// (%); the percentile of the scope's histogram, kept within its exact latency_ms min and max. nullopt when
// the scope has no request (error_rate) or no histogram (latency).
std::optional<double> metric_value(const ScopeFigures& scope, Metric metric);

// One metric of one scope judged against its limit and the noise band of the two runs' seconds.
MetricDelta compare_metric(const ScopeFigures& base, const ScopeFigures& candidate, Metric metric,
                           const Limits& limits);

// HdrHistogram's percentile distribution of a scope: 5 points per halving of the tail (50 %, 56.5 %, ...)
// while the count still resolves the rank, then 100 % at the max; the same points as the HTML report's.
std::vector<LatencyPoint> latency_distribution(const ScopeFigures& scope);

// Compares scope by scope. base and candidate must be of one plan (find_plan_mismatch gives nullopt).
Comparison compare_runs(const RunFigures& base, const RunFigures& candidate, const Limits& limits);

}  // namespace surge::compare
