// measure_recovery: finds each fault's healthy period in the time series and the first success that opens it.
#include "fault/recovery.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "core/clock.h"

namespace surge::fault {
namespace {

// The thresholds a healthy second keeps: the run's unscoped error_rate and p95(latency) SLAs.
struct HealthRule {
  std::vector<const sla::Sla*> error_rate;
  std::vector<const sla::Sla*> p95_latency;

  bool has_slas() const { return !error_rate.empty() || !p95_latency.empty(); }
};

HealthRule health_rule(const std::vector<sla::Sla>& slas) {
  HealthRule rule;
  for (const sla::Sla& sla : slas) {
    if (sla.window_s || sla.scope.names_phase) continue;
    if (sla.metric == sla::Metric::kErrorRate) rule.error_rate.push_back(&sla);
    if (sla.metric == sla::Metric::kLatency && sla.expression.statistic == sla::Statistic::kP95) {
      rule.p95_latency.push_back(&sla);
    }
  }
  return rule;
}

double in_ms(double value, const std::string& unit) {
  return unit == "s" ? value * 1e3 : unit == "us" ? value / 1e3 : unit == "ns" ? value / 1e6 : value;
}

// What a second's health and its fault errors are judged from (the series' rows are on disk: one pass copies
// this much of each, without the histograms and step rows).
struct SecondHealth {
  uint64_t second = 0;
  uint64_t requests = 0, ok = 0, errors = 0;
  std::array<uint64_t, metrics::kErrorKindCount> by_error{};
  std::optional<double> p95_ms;
  metrics::OutcomeTimes outcomes;
};

std::vector<SecondHealth> health_of(const results::TimeSeries& series) {
  std::vector<SecondHealth> seconds;
  seconds.reserve(series.size());
  for (const results::SecondRow& row : series) {
    std::optional<double> p95_ms;
    if (row.latency) p95_ms = row.latency->p95_ms;
    seconds.push_back({row.second, row.requests, row.ok, row.errors, row.by_error, p95_ms, row.outcomes});
  }
  return seconds;
}

bool is_healthy(const SecondHealth& row, const HealthRule& rule) {
  if (row.ok == 0) return false;
  if (!rule.has_slas()) return row.errors == 0;
  const double error_rate = static_cast<double>(row.errors) / static_cast<double>(row.requests);
  for (const sla::Sla* sla : rule.error_rate) {
    const double actual = sla->expression.unit == "%" ? error_rate * 100 : error_rate;
    if (!sla::holds(actual, sla->expression.comparison, sla->expression.threshold)) return false;
  }
  for (const sla::Sla* sla : rule.p95_latency) {
    const double threshold_ms = in_ms(sla->expression.threshold, sla->expression.unit);
    if (row.p95_ms && !sla::holds(*row.p95_ms, sla->expression.comparison, threshold_ms)) return false;
  }
  return true;
}

// Index into seconds of the row for second k (rows are in order; a missing second has none).
std::optional<size_t> row_of(const std::vector<SecondHealth>& seconds, uint64_t k) {
  for (size_t i = 0; i < seconds.size(); ++i) {
    if (seconds[i].second == k) return i;
  }
  return std::nullopt;
}

void measure_one(results::FaultOutcome& fault, const std::vector<SecondHealth>& seconds, int64_t start_ns,
                 const HealthRule& rule) {
  if (fault.end_s < 0 || seconds.empty()) return;
  const uint64_t end_second = static_cast<uint64_t>(std::floor(fault.end_s)) + 1;
  const size_t stable = static_cast<size_t>(std::max(1.0, std::ceil(fault.stable_s - 1e-9)));
  auto first = row_of(seconds, end_second);
  std::optional<int64_t> onset_ns;
  size_t onset_row = seconds.size() - 1;
  for (size_t h = first.value_or(seconds.size()); h + stable <= seconds.size(); ++h) {
    bool healthy = true;
    for (size_t i = h; i < h + stable && healthy; ++i) healthy = is_healthy(seconds[i], rule);
    if (!healthy) continue;
    // The period begins with the first success after the last failure before it: inside the last unhealthy
    // second when there is one after the fault's end, else inside this one.
    const metrics::OutcomeTimes& before = seconds[h > 0 ? h - 1 : h].outcomes;
    const metrics::OutcomeTimes& own = seconds[h].outcomes;
    const bool after_unhealthy = h > *first;
    if (after_unhealthy && before.first_ok_after_error_ns != 0 && before.last_error_ns != 0) {
      onset_ns = before.first_ok_after_error_ns;
      onset_row = h - 1;
    } else {
      onset_ns = after_unhealthy ? own.first_ok_ns : own.first_ok_after_error_ns;
      onset_row = h;
    }
    break;
  }
  const int64_t end_ns = start_ns + static_cast<int64_t>(std::llround(fault.end_s * core::kNsPerSec));
  if (onset_ns)
    fault.recovery_s = static_cast<double>(std::max<int64_t>(*onset_ns - end_ns, 0)) / core::kNsPerSec;
  const uint64_t begin_second = static_cast<uint64_t>(std::floor(fault.at_s)) + 1;
  for (size_t i = 0; i <= onset_row && i < seconds.size(); ++i) {
    if (seconds[i].second < begin_second) continue;
    fault.errors += seconds[i].errors;
    for (size_t kind = 0; kind < fault.errors_by_kind.size(); ++kind)
      fault.errors_by_kind[kind] += seconds[i].by_error[kind];
  }
}

}  // namespace

void measure_settle(std::vector<results::PhaseInfo>& phases, const results::TimeSeries& series,
                    int64_t start_ns, const std::vector<sla::Sla>& slas) {
  const HealthRule rule = health_rule(slas);
  const std::vector<SecondHealth> seconds = health_of(series);
  double run_s = 0;  // where the run ended: the end of the last phase that ran
  for (double start_s = 0; const results::PhaseInfo& phase : phases) {
    if (phase.duration_s > 0) run_s = start_s + phase.duration_s;
    start_s += phase.planned_duration_s;
  }
  double phase_start_s = 0;
  for (results::PhaseInfo& phase : phases) {
    phase.settle_measured = true;
    phase.settle_s.reset();
    // A phase start is a fault that ends at once: the system must settle into the new load from there. The
    // healthy period cannot be longer than what is left of the run (a short last phase can settle too).
    results::FaultOutcome start;
    start.at_s = start.end_s = phase_start_s;
    start.stable_s = std::min(phase.stable_s, std::max(1.0, std::floor(run_s - phase_start_s)));
    if (phase.duration_s > 0) measure_one(start, seconds, start_ns, rule);
    if (start.recovery_s && *start.recovery_s <= phase.duration_s) phase.settle_s = start.recovery_s;
    phase_start_s += phase.planned_duration_s;
  }
}

void measure_recovery(std::vector<results::FaultOutcome>& faults, const results::TimeSeries& series,
                      int64_t start_ns, const std::vector<sla::Sla>& slas) {
  const HealthRule rule = health_rule(slas);
  const std::vector<SecondHealth> seconds = health_of(series);
  for (results::FaultOutcome& fault : faults) measure_one(fault, seconds, start_ns, rule);
}

}  // namespace surge::fault
