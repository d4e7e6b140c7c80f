// Deltas, limits and noise into verdicts, scope by scope.
#include "compare/comparison.h"

#include <algorithm>
#include <cmath>

#include "compare/noise.h"
#include "core/clock.h"

namespace surge::compare {
namespace {

double ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

double clamp_to_extremes(const ScopeFigures& scope, double value_ms) {
  if (scope.latency_min_ms) value_ms = std::max(value_ms, *scope.latency_min_ms);
  if (scope.latency_max_ms) value_ms = std::min(value_ms, *scope.latency_max_ms);
  return value_ms;
}

// candidate - base in delta_unit: percentage points for the error rate, else % of the base (none from 0).
std::optional<double> delta_of(Metric metric, double base, double candidate) {
  if (metric == Metric::kErrorRate) return candidate - base;
  if (base == 0) return candidate == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (candidate - base) / base * 100.0;
}

ScopeComparison compare_scope(const ScopeFigures& base, const ScopeFigures& candidate, const Limits& limits) {
  ScopeComparison scope;
  scope.kind = base.kind;
  scope.label = scope_label(base);
  scope.scenario = base.scenario;
  scope.group = base.group;
  scope.name = base.name;
  for (Metric metric : kMetrics) scope.metrics.push_back(compare_metric(base, candidate, metric, limits));
  scope.base_distribution = latency_distribution(base);
  scope.candidate_distribution = latency_distribution(candidate);
  return scope;
}

// A note for a scope whose file has percentiles but no histogram (a results.json from before phases and
// steps carried latency_hdr).
void note_missing_histograms(const ScopeFigures& scope, const std::string& source,
                             std::vector<std::string>& notes) {
  if (scope.has_latency_histogram || !scope.latency_max_ms) return;
  notes.push_back(
      scope_label(scope) + ": '" + source +
      "' has no latency_hdr for it (written by an older surge), so its percentiles are not compared");
}

RunSummary summary_of(const RunFigures& run) {
  return {run.source, run.plan, run.surge_version, run.started_at_unix_ms, run.duration_s};
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kWithinNoise:
      return "within_noise";
    case Verdict::kNotJudged:
      return "not_judged";
    case Verdict::kNoData:
      return "no_data";
  }
  return "";
}

size_t Comparison::count(Verdict verdict) const {
  size_t n = 0;
  for (const ScopeComparison& scope : scopes) {
    for (const MetricDelta& metric : scope.metrics) n += metric.verdict == verdict ? 1 : 0;
  }
  return n;
}

std::optional<double> metric_value(const ScopeFigures& scope, Metric metric) {
  if (metric == Metric::kThroughput) return scope.throughput_rps;
  if (metric == Metric::kErrorRate) {
    if (scope.requests == 0) return std::nullopt;
    return 100.0 * static_cast<double>(scope.errors) / static_cast<double>(scope.requests);
  }
  if (scope.latency.empty()) return std::nullopt;
  return clamp_to_extremes(scope, ms(scope.latency.value_at_percentile(percentile_of(metric))));
}

MetricDelta compare_metric(const ScopeFigures& base, const ScopeFigures& candidate, Metric metric,
                           const Limits& limits) {
  MetricDelta out;
  out.metric = metric;
  out.base = metric_value(base, metric);
  out.candidate = metric_value(candidate, metric);
  out.limit = limits.of(metric);
  if (out.base && out.candidate) out.delta = delta_of(metric, *out.base, *out.candidate);
  if (!out.delta) {
    out.verdict = Verdict::kNoData;
    return out;
  }
  if (auto band = noise_band(base.values(metric), candidate.values(metric))) {
    if (metric == Metric::kErrorRate) {
      out.noise = *band;
    } else if (*out.base != 0) {
      out.noise = *band / *out.base * 100.0;
    }
  }
  if (!out.limit) {
    out.verdict = Verdict::kNotJudged;
  } else if (worse_direction(metric) * *out.delta <= *out.limit) {
    out.verdict = Verdict::kPass;
  } else if (out.noise && std::fabs(*out.delta) <= *out.noise) {
    out.verdict = Verdict::kWithinNoise;
  } else {
    out.verdict = Verdict::kRegressed;
  }
  return out;
}

std::vector<LatencyPoint> latency_distribution(const ScopeFigures& scope) {
  std::vector<LatencyPoint> points;
  if (scope.latency.empty()) return points;
  const double count = static_cast<double>(scope.latency.count());
  for (int tick = 0; tick <= 5 * 20; ++tick) {
    const double tail = std::pow(2.0, -tick / 5.0);  // the share of samples above this percentile
    if (1.0 / tail > count) break;
    const double percentile = 100.0 * (1.0 - tail);
    points.push_back(
        {percentile, clamp_to_extremes(scope, ms(scope.latency.value_at_percentile(percentile)))});
  }
  points.push_back({100.0, clamp_to_extremes(scope, ms(scope.latency.max()))});
  return points;
}

Comparison compare_runs(const RunFigures& base, const RunFigures& candidate, const Limits& limits) {
  Comparison comparison;
  comparison.base = summary_of(base);
  comparison.candidate = summary_of(candidate);
  comparison.limits = limits;
  comparison.scopes.push_back(compare_scope(base.run, candidate.run, limits));
  for (size_t i = 0; i < base.phases.size(); ++i)
    comparison.scopes.push_back(compare_scope(base.phases[i], candidate.phases[i], limits));
  for (size_t i = 0; i < base.steps.size(); ++i)
    comparison.scopes.push_back(compare_scope(base.steps[i], candidate.steps[i], limits));
  for (const RunFigures* run : {&base, &candidate}) {
    // A run cut short still compares, but its figures cover part of the plan: the reader must know.
    if (!run->incomplete.empty())
      comparison.notes.push_back("'" + run->source + "' did not run its whole plan (" + run->incomplete +
                                 ")");
    for (const ScopeFigures& phase : run->phases)
      note_missing_histograms(phase, run->source, comparison.notes);
    for (const ScopeFigures& step : run->steps) note_missing_histograms(step, run->source, comparison.notes);
  }
  return comparison;
}

}  // namespace surge::compare
