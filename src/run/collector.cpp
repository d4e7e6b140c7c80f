// Snapshot merging. Histograms and counters add exactly, so totals equal what one process would have seen.
#include "run/collector.h"

#include <algorithm>

#include "core/clock.h"

namespace surge::run {
namespace {

double to_ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

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
  if (scratch_.worker >= alive_.size()) return core::fail("snapshot from unknown worker");
  totals_.add(scratch_.grid);
  last_sequence_[scratch_.worker] = scratch_.sequence;
  if (scratch_.is_final) alive_[scratch_.worker] = false;

  PendingSecond& second = pending_[scratch_.sequence];
  const metrics::StatsGrid& grid = scratch_.grid;
  for (size_t phase = 0; phase < grid.phase_count(); ++phase) {
    for (size_t step = 0; step < grid.step_count(); ++step) {
      if (!grid.cell(phase, step).empty()) second.stats.add(grid.cell(phase, step));
    }
  }
  second.active_users += scratch_.active_users;
  second.open_connections += scratch_.open_connections;
  second.max_open_connections += scratch_.max_open_connections;
  second.phase = std::max(second.phase, scratch_.phase);
  return {};
}

void Collector::on_worker_gone(uint32_t worker) {
  if (worker < alive_.size()) alive_[worker] = false;
}

std::vector<report::SecondRow> Collector::take_completed_rows() {
  uint64_t complete_up_to = UINT64_MAX;
  for (size_t w = 0; w < alive_.size(); ++w) {
    if (alive_[w]) complete_up_to = std::min(complete_up_to, last_sequence_[w]);
  }
  std::vector<report::SecondRow> rows;
  while (!pending_.empty() && pending_.begin()->first <= complete_up_to) {
    auto node = pending_.extract(pending_.begin());
    rows.push_back(finish_second(node.key(), node.mapped()));
  }
  return rows;
}

report::SecondRow Collector::finish_second(uint64_t second, const PendingSecond& pending) {
  max_concurrent_ = std::max(max_concurrent_, pending.max_open_connections);
  uint64_t& phase_peak = phase_max_concurrent_[pending.phase];
  phase_peak = std::max(phase_peak, pending.max_open_connections);
  last_active_users_ = pending.active_users;

  report::SecondRow row;
  row.second = second;
  row.phase = phase_names_[pending.phase];
  row.requests = pending.stats.total();
  row.ok = pending.stats.ok;
  row.errors = pending.stats.errors();
  row.active_users = pending.active_users;
  row.open_connections = pending.open_connections;
  const metrics::Histogram& latency = pending.stats.latency;
  if (!latency.empty()) {
    row.p50_ms = to_ms(latency.value_at_percentile(50));
    row.p95_ms = to_ms(latency.value_at_percentile(95));
    row.p99_ms = to_ms(latency.value_at_percentile(99));
    row.max_ms = to_ms(latency.max());
  }
  return row;
}

}  // namespace surge::run
