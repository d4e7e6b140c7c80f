// Checks and custom metrics of a run as results.json blocks. Trend values come out of the histogram in the unit
// they were recorded in (metrics::CustomMetricStats::kTrendScale undone).
#include "report/checks_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace surge::report {

using nlohmann::json;

json step_checks_block(const results::RunResult& result, size_t step) {
  json out = json::array();
  for (size_t i = 0; i < result.checks.size(); ++i) {
    if (result.checks[i].step != step) continue;
    metrics::CheckCounts counts = result.grid.check_count() > i ? result.grid.check_total(i) : metrics::CheckCounts{};
    out.push_back({{"name", result.checks[i].name}, {"passed", counts.passed}, {"failed", counts.failed}});
  }
  return out;
}

json checks_total_block(const results::RunResult& result) {
  metrics::CheckCounts sum;
  for (size_t i = 0; i < result.checks.size() && i < result.grid.check_count(); ++i) sum.add(result.grid.check_total(i));
  return {{"passed", sum.passed}, {"failed", sum.failed}};
}

json custom_metrics_block(const results::RunResult& result) {
  json out = json::object();
  for (size_t i = 0; i < result.custom_metrics.size(); ++i) {
    const results::CustomMetricName& metric = result.custom_metrics[i];
    metrics::CustomMetricStats stats = i < result.grid.metric_count() ? result.grid.custom_total(i)
                                                                      : metrics::CustomMetricStats{};
    if (metric.kind == "rate") {
      json entry = {{"type", "rate"}, {"hits", stats.hits}, {"total", stats.total}};
      entry["rate"] = stats.total > 0 ? json(static_cast<double>(stats.hits) / static_cast<double>(stats.total))
                                      : json(nullptr);
      out[metric.name] = entry;
    } else if (metric.kind == "counter") {
      double per_s = result.duration_s > 0 ? static_cast<double>(stats.hits) / result.duration_s : 0;
      out[metric.name] = {{"type", "counter"}, {"count", stats.hits}, {"rate_per_s", per_s}};
    } else {
      const metrics::Histogram& values = stats.values;
      constexpr double kScale = metrics::CustomMetricStats::kTrendScale;
      json entry = {{"type", "trend"}, {"count", values.count()}};
      if (values.count() > 0) {
        entry["min"] = static_cast<double>(values.min()) / kScale;
        entry["mean"] = values.mean() / kScale;
        for (auto [key, p] : {std::pair{"p50", 50.0}, {"p90", 90.0}, {"p95", 95.0}, {"p99", 99.0}}) {
          entry[key] = static_cast<double>(values.value_at_percentile(p)) / kScale;
        }
        entry["max"] = static_cast<double>(values.max()) / kScale;
      }
      out[metric.name] = entry;
    }
  }
  return out;
}

std::string checks_summary(const results::RunResult& result) {
  std::string out;
  // The name column fits the longest name up to 80 characters; longer ones are cut with "...".
  constexpr size_t kMaxName = 80;
  std::vector<std::string> names;
  size_t width = 40;
  for (const results::CheckName& check : result.checks) {
    const results::StepName& step = result.steps[check.step];
    std::string name = step.scenario + " / " + step.name + " / " + check.name;
    if (name.size() > kMaxName) name = name.substr(0, kMaxName - 3) + "...";
    width = std::max(width, name.size() + 2);
    names.push_back(std::move(name));
  }
  if (!result.checks.empty()) out += fmt::format("\n  {:<{}}{:>12}{:>12}\n", "checks", width + 2, "passed", "failed");
  for (size_t i = 0; i < result.checks.size(); ++i) {
    metrics::CheckCounts counts = i < result.grid.check_count() ? result.grid.check_total(i) : metrics::CheckCounts{};
    // "-": the check judged no response (a step that never ran), which is neither a pass nor a failure.
    std::string_view mark = counts.empty() ? "-" : counts.failed == 0 ? "✓" : "✗";
    out += fmt::format("  {} {:<{}}{:>12}{:>12}\n", mark, names[i], width, counts.passed,
                       counts.failed);
  }
  if (result.custom_metrics.empty()) return out;
  out += "\n  metrics\n";
  json block = custom_metrics_block(result);
  for (const results::CustomMetricName& metric : result.custom_metrics) {
    const json& entry = block[metric.name];
    if (metric.kind == "rate") {
      std::string rate = entry["rate"].is_null() ? "no data" : fmt::format("{:.2f}%", entry["rate"].get<double>() * 100);
      out += fmt::format("  {:<28}{} ({} of {})\n", metric.name, rate, entry["hits"].get<uint64_t>(),
                         entry["total"].get<uint64_t>());
    } else if (metric.kind == "counter") {
      out += fmt::format("  {:<28}{} ({:.1f}/s)\n", metric.name, entry["count"].get<uint64_t>(),
                         entry["rate_per_s"].get<double>());
    } else if (entry["count"].get<uint64_t>() == 0) {
      out += fmt::format("  {:<28}no data\n", metric.name);
    } else {
      out += fmt::format("  {:<28}mean {:.3g}  p50 {:.3g}  p95 {:.3g}  p99 {:.3g}  max {:.3g}  ({} values)\n",
                         metric.name, entry["mean"].get<double>(), entry["p50"].get<double>(),
                         entry["p95"].get<double>(), entry["p99"].get<double>(), entry["max"].get<double>(),
                         entry["count"].get<uint64_t>());
    }
  }
  return out;
}

}  // namespace surge::report
