// SlaWatch: per SLA, the last window_s seconds of its scoped figures (counters, and the histogram encoded,
// which is a few KB where a live one is 196 KB) summed into a window every second; or a running sum of the
// run so far for abort_on_fail SLAs without a window.
#include "sla/watch.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/clock.h"
#include "results/sla_value.h"

namespace surge::sla {
namespace {

bool reads_histogram(const Sla& sla) {
  return sla.metric == Metric::kLatency || sla.metric == Metric::kServiceTime;
}

bool runs_in_scope(const Sla& sla, size_t phase) {
  if (!sla.scope.names_phase) return true;
  return std::find(sla.scope.phases.begin(), sla.scope.phases.end(), phase) != sla.scope.phases.end();
}

bool breaches(const Sla& sla, double value) {
  return !holds(value, sla.expression.comparison, sla.expression.threshold);
}

// Whether window value a is worse than b: a breach beats a pass; then the farther past the threshold in the
// direction the comparison forbids (the first one kept for !=).
bool is_worse(const Sla& sla, double a, double b) {
  if (breaches(sla, a) != breaches(sla, b)) return breaches(sla, a);
  const double threshold = sla.expression.threshold;
  switch (sla.expression.comparison) {
    case Comparison::kLess:
    case Comparison::kLessEqual:
      return a > b;
    case Comparison::kGreater:
    case Comparison::kGreaterEqual:
      return a < b;
    case Comparison::kEqual:
      return std::abs(a - threshold) > std::abs(b - threshold);
    case Comparison::kNotEqual:
      return false;
  }
  return false;
}

void copy_counts(const Reduction& from, Reduction& to) {
  to.requests = from.requests;
  to.errors = from.errors;
  to.connects_opened = from.connects_opened;
  to.connects_failed = from.connects_failed;
  to.dropped_iterations = from.dropped_iterations;
  to.retried = from.retried;
  to.recovered = from.recovered;
  to.seconds = from.seconds;
}

}  // namespace

SlaWatch::SlaWatch(std::vector<Sla> slas) : slas_(std::move(slas)), trackers_(slas_.size()) {}

std::optional<std::string> SlaWatch::on_second(uint64_t second, size_t phase, const metrics::StatsGrid& grid,
                                               bool is_whole) {
  std::optional<std::string> stop;
  for (size_t i = 0; i < slas_.size(); ++i) {
    const Sla& sla = slas_[i];
    Tracker& tracker = trackers_[i];
    std::optional<double> value;
    if (sla.window_s) {
      value = evaluate_window(sla, tracker, second, phase, grid);
    } else if (sla.abort_on_fail) {
      value = evaluate_so_far(sla, tracker, phase, grid);
    }
    const bool after_delay = static_cast<int64_t>(second) * core::kNsPerSec >= sla.delay_ns;
    if (!value || !breaches(sla, *value) || !sla.abort_on_fail || !after_delay || !is_whole || stopped_)
      continue;
    stopped_ = true;
    tracker.stopped_run = true;
    if (!tracker.breached_at_s) tracker.breached_at_s = second;
    std::string over = sla.window_s ? "over the " + std::to_string(*sla.window_s) + " s window ending at " +
                                          std::to_string(second) + " s"
                                    : "over the first " + std::to_string(second) + " s of the run";
    stop = "SLA '" + sla.expression.text +
           "' failed (abort_on_fail): " + results::format_sla_value(*value, sla.expression.unit) + " " + over;
  }
  return stop;
}

std::optional<double> SlaWatch::evaluate_window(const Sla& sla, Tracker& tracker, uint64_t second,
                                                size_t phase, const metrics::StatsGrid& grid) {
  if (tracker.pending) count_window(sla, *tracker.pending, tracker);  // a later second came: it was whole
  tracker.pending.reset();
  tracker.scratch.reset();
  reduce(sla, grid, tracker.scratch);
  tracker.scratch.seconds = runs_in_scope(sla, phase) ? 1 : 0;
  SecondSample sample;
  copy_counts(tracker.scratch, sample.counts);
  if (reads_histogram(sla)) tracker.scratch.histogram.encode(sample.histogram);
  tracker.recent.push_back(std::move(sample));
  if (tracker.recent.size() > *sla.window_s) tracker.recent.pop_front();
  if (tracker.recent.size() < *sla.window_s) return std::nullopt;

  tracker.scratch.reset();
  for (const SecondSample& past : tracker.recent) {
    tracker.scratch.add(past.counts);
    if (past.histogram.size() <= 1) continue;  // an empty histogram encodes as one byte
    std::string_view encoded = past.histogram;
    if (auto histogram = metrics::Histogram::decode(encoded)) tracker.scratch.histogram.add(*histogram);
  }
  tracker.pending = Window{second, measure(sla, tracker.scratch)};
  return tracker.pending->value;
}

void SlaWatch::count_window(const Sla& sla, const Window& window, Tracker& tracker) {
  tracker.counted_a_window = true;
  if (!window.value) return;
  if (!tracker.worst || is_worse(sla, *window.value, *tracker.worst)) {
    tracker.worst = window.value;
    tracker.worst_at_s = window.end_s;
  }
  if (breaches(sla, *window.value) && !tracker.breached_at_s) tracker.breached_at_s = window.end_s;
}

std::optional<double> SlaWatch::evaluate_so_far(const Sla& sla, Tracker& tracker, size_t phase,
                                                const metrics::StatsGrid& grid) {
  reduce(sla, grid, tracker.so_far);
  tracker.so_far.seconds += runs_in_scope(sla, phase) ? 1 : 0;
  return measure(sla, tracker.so_far);
}

std::vector<results::SlaOutcome> SlaWatch::outcomes(const results::RunResult& result) const {
  std::vector<results::SlaOutcome> outcomes;
  for (size_t i = 0; i < slas_.size(); ++i) {
    const Sla& sla = slas_[i];
    Tracker tracker = trackers_[i];  // a copy: the pending window is settled here, not in the watch
    if (tracker.pending && static_cast<double>(tracker.pending->end_s) <= result.duration_s) {
      count_window(sla, *tracker.pending, tracker);
    }
    results::SlaOutcome outcome;
    outcome.expr = sla.expression.text;
    outcome.comparison = std::string(to_string(sla.expression.comparison));
    outcome.threshold = sla.expression.threshold;
    outcome.unit = sla.expression.unit;
    outcome.window_s = sla.window_s;
    outcome.abort_on_fail = sla.abort_on_fail;
    if (sla.window_s && tracker.counted_a_window) {
      outcome.actual = tracker.worst;
      if (tracker.worst) outcome.worst_window_at_s = tracker.worst_at_s;
    } else {
      outcome.actual = measure_run(sla, result);
    }
    outcome.breached_at_s = tracker.breached_at_s;
    outcome.stopped_run = tracker.stopped_run;
    outcome.pass = outcome.actual && !breaches(sla, *outcome.actual) && !tracker.stopped_run;
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

namespace {

// recovery_s and settle_s, in seconds: the slowest of the applied faults or of the scope's phases that ran. A
// fault never recovered counts from its end to the end of the run, a phase never settled its whole length:
// lower bounds, so an SLA on them fails with a figure instead of "no data".
std::optional<double> slowest_s(const Sla& sla, const results::RunResult& result) {
  std::optional<double> slowest;
  auto take = [&](double value) { slowest = std::max(slowest.value_or(value), value); };
  if (sla.metric == Metric::kRecovery) {
    for (const results::FaultOutcome& fault : result.faults) {
      if (!fault.failure.empty()) continue;
      take(fault.recovery_s.value_or(std::max(result.duration_s - fault.end_s, 0.0)));
    }
    return slowest;
  }
  for (size_t phase : sla.scope.phases) {
    if (phase >= result.phases.size()) continue;
    const results::PhaseInfo& info = result.phases[phase];
    if (!info.settle_measured || info.duration_s <= 0) continue;
    take(info.settle_s.value_or(info.duration_s));
  }
  return slowest;
}

}  // namespace

std::optional<double> measure_run(const Sla& sla, const results::RunResult& result) {
  if (sla.metric == Metric::kRecovery || sla.metric == Metric::kSettle) {
    const std::optional<double> seconds = slowest_s(sla, result);
    if (!seconds) return std::nullopt;
    return *seconds * 1e9 / ns_per_unit(sla.expression.unit);
  }
  Reduction reduction;
  reduce(sla, result.grid, reduction);
  reduction.seconds = result.duration_s;
  if (sla.scope.names_phase) {
    reduction.seconds = 0;
    for (size_t phase : sla.scope.phases) {
      if (phase < result.phases.size()) reduction.seconds += result.phases[phase].duration_s;
    }
  }
  return measure(sla, reduction);
}

}  // namespace surge::sla
