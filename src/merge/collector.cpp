// Snapshot merging. Histograms and counters add exactly, so totals equal what one process would have seen.
#include "merge/collector.h"

#include <algorithm>
#include <optional>

#include "core/clock.h"

namespace surge::merge {
namespace {

double to_ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

std::optional<results::SecondLatency> latency_of(const metrics::Histogram& latency) {
  if (latency.empty()) return std::nullopt;
  return results::SecondLatency{
      to_ms(latency.value_at_percentile(50)), to_ms(latency.value_at_percentile(90)),
      to_ms(latency.value_at_percentile(95)), to_ms(latency.value_at_percentile(99)), to_ms(latency.max())};
}

}  // namespace

Collector::Collector(std::vector<std::string> phase_names, size_t step_count, size_t worker_count)
    : phase_names_(std::move(phase_names)),
      totals_(phase_names_.size(), step_count),
      scratch_(phase_names_.size(), step_count),
      last_sequence_(worker_count, 0),
      alive_(worker_count, true),
      phase_max_concurrent_(phase_names_.size(), 0) {}

core::Result<void> Collector::on_frame(std::string_view body) {
  auto decoded = metrics::decode_frame(body, scratch_);
  if (!decoded) return decoded;
  return on_snapshot(scratch_);
}

core::Result<void> Collector::on_snapshot(const metrics::Snapshot& snapshot) {
  if (snapshot.worker >= alive_.size()) return core::fail("snapshot from unknown worker");
  if (snapshot.phase >= phase_names_.size()) return core::fail("snapshot of an unknown phase");
  totals_.add(snapshot.grid);
  last_sequence_[snapshot.worker] = snapshot.sequence;
  if (snapshot.is_final) alive_[snapshot.worker] = false;

  PendingSecond& second = pending_.try_emplace(snapshot.sequence, totals_).first->second;
  second.grid.add(snapshot.grid);
  second.active_users += snapshot.active_users;
  second.open_connections += snapshot.open_connections;
  second.max_open_connections += snapshot.max_open_connections;
  second.phase = std::max(second.phase, snapshot.phase);
  second.outcomes.merge(snapshot.outcomes);
  return {};
}

void Collector::on_worker_gone(uint32_t worker) {
  if (worker < alive_.size()) alive_[worker] = false;
}

std::vector<CompletedSecond> Collector::take_completed_seconds() {
  uint64_t complete_up_to = UINT64_MAX;
  for (size_t w = 0; w < alive_.size(); ++w) {
    if (alive_[w]) complete_up_to = std::min(complete_up_to, last_sequence_[w]);
  }
  std::vector<CompletedSecond> seconds;
  while (!pending_.empty() && pending_.begin()->first <= complete_up_to) {
    auto node = pending_.extract(pending_.begin());
    seconds.push_back(finish_second(node.key(), node.mapped()));
  }
  return seconds;
}

void Collector::fill_result(results::RunResult& result, uint64_t max_requests) const {
  result.grid = totals_;
  result.max_concurrent = max_concurrent_;
  double phase_start_s = 0;
  for (size_t i = 0; i < result.phases.size(); ++i) {
    results::PhaseInfo& phase = result.phases[i];
    phase.duration_s = std::clamp(result.duration_s - phase_start_s, 0.0, phase.planned_duration_s);
    phase.max_concurrent = i < phase_max_concurrent_.size() ? phase_max_concurrent_[i] : 0;
    phase_start_s += phase.planned_duration_s;
  }
  if (max_requests > 0 && !result.phases.empty()) result.phases.back().duration_s = result.duration_s;
}

CompletedSecond Collector::finish_second(uint64_t second, PendingSecond& pending) {
  max_concurrent_ = std::max(max_concurrent_, pending.max_open_connections);
  uint64_t& phase_peak = phase_max_concurrent_[pending.phase];
  phase_peak = std::max(phase_peak, pending.max_open_connections);
  last_active_users_ = pending.active_users;

  results::SecondRow row;
  row.second = second;
  row.phase = phase_names_[pending.phase];
  // Reused sums: a second's totals allocate no histogram once the first second has (2 × ~100 KB per sum).
  metrics::RequestStats& total = second_total_;
  pending.grid.total_into(total);
  row.requests = total.total();
  row.ok = total.ok;
  row.errors = total.errors();
  row.by_error = total.by_error;
  row.active_users = pending.active_users;
  row.open_connections = pending.open_connections;
  row.outcomes = pending.outcomes;
  row.latency = latency_of(total.latency);
  total.latency.encode(row.latency_encoded);
  for (size_t step = 0; step < pending.grid.step_count(); ++step) {
    metrics::RequestStats& stats = second_step_;
    pending.grid.step_total_into(step, stats);
    if (stats.total() == 0) continue;
    row.steps.push_back(
        {step, stats.total(), stats.ok, stats.errors(), stats.by_error, latency_of(stats.latency)});
  }
  return {std::move(row), std::move(pending.grid), pending.phase, pending.max_open_connections};
}

}  // namespace surge::merge
