// A group's figures: runs and failed runs count, its duration histogram holds each run's length from the
// group's first step to the end of its last (think times included).
#include "report/groups_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/clock.h"
#include "report/results_json.h"

namespace surge::report {
namespace {

using nlohmann::json;

json group_figures(const metrics::GroupStats& stats) {
  json out = {{"runs", stats.runs}, {"passed", stats.runs - stats.failed}, {"failed", stats.failed}};
  if (!stats.duration.empty()) out["duration_ms"] = latency_block(stats.duration);
  return out;
}

std::string ms(int64_t ns) {
  double value = static_cast<double>(ns) / static_cast<double>(core::kNsPerMs);
  if (value >= 1000) return fmt::format("{:.2f}s", value / 1000);
  return fmt::format("{:.2f}ms", value);
}

}  // namespace

json groups_block(const results::RunResult& result) {
  json out = json::array();
  const metrics::StatsGrid& grid = result.grid;
  for (size_t i = 0; i < result.groups.size(); ++i) {
    const results::GroupName& group = result.groups[i];
    json entry = {{"scenario", group.scenario}, {"name", group.name}, {"path", group.path}};
    entry.update(group_figures(i < grid.group_count() ? grid.group_total(i) : metrics::GroupStats{}));
    entry["phases"] = json::array();
    for (size_t phase = 0; phase < result.phases.size() && i < grid.group_count(); ++phase) {
      const metrics::GroupStats& stats = grid.group(phase, i);
      if (stats.empty()) continue;
      json figures = {{"name", result.phases[phase].name}};
      figures.update(group_figures(stats));
      entry["phases"].push_back(figures);
    }
    out.push_back(entry);
  }
  return out;
}

std::string groups_summary(const results::RunResult& result) {
  if (result.groups.empty()) return "";
  size_t width = 28;
  for (const results::GroupName& group : result.groups)
    width = std::max(width, group.scenario.size() + group.path.size() + 5);
  std::string out = fmt::format("\n  {:<{}}{:>10}{:>8}{:>10}{:>10}{:>10}{:>10}\n", "group", width, "runs", "failed",
                                "p50", "p95", "p99", "max");
  for (size_t i = 0; i < result.groups.size(); ++i) {
    metrics::GroupStats stats = i < result.grid.group_count() ? result.grid.group_total(i) : metrics::GroupStats{};
    const metrics::Histogram& h = stats.duration;
    auto at = [&](double percentile) { return h.empty() ? std::string("-") : ms(h.value_at_percentile(percentile)); };
    out += fmt::format("  {:<{}}{:>10}{:>8}{:>10}{:>10}{:>10}{:>10}\n",
                       result.groups[i].scenario + " / " + result.groups[i].path, width, stats.runs, stats.failed,
                       at(50), at(95), at(99), h.empty() ? "-" : ms(h.max()));
  }
  return out;
}

}  // namespace surge::report
