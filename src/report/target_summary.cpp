// Target summary arithmetic. Only sampled seconds count; a second without a sample (target gone) is skipped.
#include "report/target_summary.h"

#include <algorithm>

namespace surge::report {
namespace {

// One sampled second: when, and the target's resident memory then.
struct RssSample {
  uint64_t second = 0;
  uint64_t rss_bytes = 0;
};

// Slope of y over x (seconds) by least squares, times 60.
std::optional<double> slope_per_min(const std::vector<RssSample>& rows) {
  if (rows.size() < 3) return std::nullopt;
  double mean_x = 0, mean_y = 0;
  for (const RssSample& row : rows) {
    mean_x += static_cast<double>(row.second);
    mean_y += static_cast<double>(row.rss_bytes);
  }
  mean_x /= static_cast<double>(rows.size());
  mean_y /= static_cast<double>(rows.size());
  double covariance = 0, variance = 0;
  for (const RssSample& row : rows) {
    const double dx = static_cast<double>(row.second) - mean_x;
    covariance += dx * (static_cast<double>(row.rss_bytes) - mean_y);
    variance += dx * dx;
  }
  if (variance == 0) return std::nullopt;
  return covariance / variance * 60.0;
}

}  // namespace

std::optional<TargetSummary> summarize_target(const results::RunResult& result) {
  if (!result.target_monitoring) return std::nullopt;
  const results::TargetMonitoring& monitoring = *result.target_monitoring;
  TargetSummary summary;
  summary.pid = monitoring.pid;
  summary.baseline_rss_bytes = summary.peak_rss_bytes = monitoring.baseline.rss_bytes;
  summary.peak_open_fds = monitoring.baseline.open_fds;
  summary.peak_threads = monitoring.baseline.threads;
  // The rows are read back one at a time (TimeSeries): what is needed of them is copied, never pointed at.
  std::vector<RssSample> sampled;
  double last_cpu_s = 0;
  uint64_t busiest_connections = 0, busiest_rss_bytes = 0;
  for (const results::SecondRow& row : result.timeseries) {
    if (!row.target) continue;
    sampled.push_back({row.second, row.target->rss_bytes});
    last_cpu_s = row.target->cpu_s;
    summary.peak_rss_bytes = std::max(summary.peak_rss_bytes, row.target->rss_bytes);
    summary.peak_open_fds = std::max(summary.peak_open_fds, row.target->open_fds);
    summary.peak_threads = std::max(summary.peak_threads, row.target->threads);
    if (row.open_connections > busiest_connections) {
      busiest_connections = row.open_connections;
      busiest_rss_bytes = row.target->rss_bytes;
    }
  }
  if (!sampled.empty()) {
    summary.cpu_s = std::max(last_cpu_s - monitoring.baseline.cpu_s, 0.0);
    const double seconds = static_cast<double>(sampled.back().second);
    if (seconds > 0) summary.mean_cpu_percent = summary.cpu_s / seconds * 100.0;
  }
  if (busiest_connections > 0) {
    summary.bytes_per_connection =
        (static_cast<double>(busiest_rss_bytes) - static_cast<double>(monitoring.baseline.rss_bytes)) /
        static_cast<double>(busiest_connections);
  }
  summary.rss_growth_bytes_per_min = slope_per_min(sampled);
  return summary;
}

}  // namespace surge::report
