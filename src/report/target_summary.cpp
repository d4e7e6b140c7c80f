// Target summary arithmetic. Only sampled seconds count; a second without a sample (target gone) is skipped.
#include "report/target_summary.h"

#include <algorithm>

namespace surge::report {
namespace {

// Slope of y over x (seconds) by least squares, times 60.
std::optional<double> slope_per_min(const std::vector<const SecondRow*>& rows) {
  if (rows.size() < 3) return std::nullopt;
  double mean_x = 0, mean_y = 0;
  for (const SecondRow* row : rows) {
    mean_x += static_cast<double>(row->second);
    mean_y += static_cast<double>(row->target->rss_bytes);
  }
  mean_x /= static_cast<double>(rows.size());
  mean_y /= static_cast<double>(rows.size());
  double covariance = 0, variance = 0;
  for (const SecondRow* row : rows) {
    const double dx = static_cast<double>(row->second) - mean_x;
    covariance += dx * (static_cast<double>(row->target->rss_bytes) - mean_y);
    variance += dx * dx;
  }
  if (variance == 0) return std::nullopt;
  return covariance / variance * 60.0;
}

}  // namespace

std::optional<TargetSummary> summarize_target(const RunResult& result) {
  if (!result.target_monitoring) return std::nullopt;
  const TargetMonitoring& monitoring = *result.target_monitoring;
  TargetSummary summary;
  summary.pid = monitoring.pid;
  summary.baseline_rss_bytes = summary.peak_rss_bytes = monitoring.baseline.rss_bytes;
  summary.peak_open_fds = monitoring.baseline.open_fds;
  summary.peak_threads = monitoring.baseline.threads;
  std::vector<const SecondRow*> sampled;
  const SecondRow* busiest = nullptr;
  for (const SecondRow& row : result.timeseries) {
    if (!row.target) continue;
    sampled.push_back(&row);
    summary.peak_rss_bytes = std::max(summary.peak_rss_bytes, row.target->rss_bytes);
    summary.peak_open_fds = std::max(summary.peak_open_fds, row.target->open_fds);
    summary.peak_threads = std::max(summary.peak_threads, row.target->threads);
    if (row.open_connections > 0 && (!busiest || row.open_connections > busiest->open_connections)) busiest = &row;
  }
  if (!sampled.empty()) {
    summary.cpu_s = std::max(sampled.back()->target->cpu_s - monitoring.baseline.cpu_s, 0.0);
    const double seconds = static_cast<double>(sampled.back()->second);
    if (seconds > 0) summary.mean_cpu_percent = summary.cpu_s / seconds * 100.0;
  }
  if (busiest) {
    summary.bytes_per_connection =
        (static_cast<double>(busiest->target->rss_bytes) - static_cast<double>(monitoring.baseline.rss_bytes)) /
        static_cast<double>(busiest->open_connections);
  }
  summary.rss_growth_bytes_per_min = slope_per_min(sampled);
  return summary;
}

}  // namespace surge::report
