// The comparison into JSON, scope by scope and metric by metric.
#include "compare/compare_json.h"

#include "text/version.h"

namespace surge::compare {
namespace {

using nlohmann::json;

json optional_number(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json run_block(const RunSummary& run) {
  return {{"file", run.source},
          {"plan", run.plan},
          {"surge_version", run.surge_version},
          {"started_at_unix_ms", run.started_at_unix_ms},
          {"duration_s", run.duration_s}};
}

std::string_view kind_name(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::kRun:
      return "run";
    case ScopeKind::kPhase:
      return "phase";
    case ScopeKind::kStep:
      return "step";
  }
  return "";
}

json metric_block(const MetricDelta& m) {
  return {{"metric", metric_name(m.metric)},
          {"unit", value_unit(m.metric)},
          {"base", optional_number(m.base)},
          {"new", optional_number(m.candidate)},
          {"delta", optional_number(m.delta)},
          {"delta_unit", delta_unit(m.metric)},
          // signed as --max writes it: +10 (% rise) for p50, -5 (% fall) for throughput
          {"limit", m.limit ? json(worse_direction(m.metric) * *m.limit) : json(nullptr)},
          {"noise", optional_number(m.noise)},
          {"verdict", verdict_name(m.verdict)}};
}

json points_block(const std::vector<LatencyPoint>& points) {
  json out = json::array();
  for (const LatencyPoint& point : points)
    out.push_back({{"percentile", point.percentile}, {"latency_ms", point.latency_ms}});
  return out;
}

json scope_block(const ScopeComparison& scope, bool with_distributions) {
  json out = {{"scope", kind_name(scope.kind)}, {"label", scope.label}, {"name", scope.name}};
  if (scope.kind == ScopeKind::kStep) out["scenario"] = scope.scenario;
  if (!scope.group.empty()) out["group"] = scope.group;
  out["metrics"] = json::array();
  for (const MetricDelta& m : scope.metrics) out["metrics"].push_back(metric_block(m));
  if (with_distributions) {
    out["distribution"] = {{"base", points_block(scope.base_distribution)},
                           {"new", points_block(scope.candidate_distribution)}};
  }
  return out;
}

}  // namespace

json to_compare_json(const Comparison& comparison, bool with_distributions) {
  json out = {{"surge_version", std::string(text::kVersion)},
              {"result", comparison.has_regression() ? "regressed" : "pass"},
              {"regressed", comparison.count(Verdict::kRegressed)},
              {"within_noise", comparison.count(Verdict::kWithinNoise)},
              {"base", run_block(comparison.base)},
              {"new", run_block(comparison.candidate)},
              {"notes", comparison.notes}};
  out["limits"] = json::object();
  for (Metric metric : kMetrics) {
    if (const auto& limit = comparison.limits.of(metric))
      out["limits"][std::string(metric_name(metric))] = {{"limit", worse_direction(metric) * *limit},
                                                         {"unit", delta_unit(metric)}};
  }
  out["scopes"] = json::array();
  for (const ScopeComparison& scope : comparison.scopes)
    out["scopes"].push_back(scope_block(scope, with_distributions));
  return out;
}

}  // namespace surge::compare
