// The text exposition, one family after another. It reads the grid cell by cell and never builds a merged
// RequestStats, which would copy two 196 KB histograms per step on every render.
#include "observe/exposition.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "observe/latency_buckets.h"

namespace surge::observe {
namespace {

using metrics::ErrorKind;

// Appends one family's lines: `family()` once, then a `sample()` chain per line.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name);
    out_.append(" ").append(type).append("\n");
  }
  Writer& sample(std::string_view name) {
    out_.append(name);
    has_labels_ = false;
    return *this;
  }
  Writer& label(std::string_view key, std::string_view value) {
    out_.append(has_labels_ ? "," : "{").append(key).append("=\"");
    append_label_value(out_, value);
    out_.append("\"");
    has_labels_ = true;
    return *this;
  }
  void value(uint64_t v) { end_labels().append(number(v)).append("\n"); }
  void value(double v) { end_labels().append(number(v)).append("\n"); }

 private:
  std::string& end_labels() { return out_.append(has_labels_ ? "} " : " "); }
  template <class T>
  std::string_view number(T v) {
    auto end = std::to_chars(buffer_.data(), buffer_.data() + buffer_.size(), v).ptr;  // shortest round trip
    return {buffer_.data(), size_t(end - buffer_.data())};
  }

  std::string& out_;
  std::array<char, 32> buffer_{};
  bool has_labels_ = false;
};

// One request step's figures summed over phases.
struct StepTotals {
  std::array<uint64_t, metrics::kMaxStatusCode + 1> by_status{};
  std::array<uint64_t, metrics::kErrorKindCount> by_error{};
  std::array<uint64_t, kBucketCount> buckets{};  // non-cumulative
  uint64_t responses = 0;
  double latency_sum_s = 0;
  metrics::RpcErrorCounts rpc_errors;
};

StepTotals sum_step(const metrics::StatsGrid& totals, size_t step) {
  StepTotals sum;
  for (size_t phase = 0; phase < totals.phase_count(); ++phase) {
    const metrics::RequestStats& cell = totals.cell(phase, step);
    for (size_t code = 0; code < sum.by_status.size(); ++code) sum.by_status[code] += cell.by_status[code];
    for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) sum.by_error[kind] += cell.by_error[kind];
    add_bucket_counts(cell.latency, sum.buckets);
    sum.responses += cell.latency.count();
    sum.rpc_errors.add(cell.rpc_errors);
    // The exact ns sum is private to the histogram; mean × count gives it back to double precision.
    sum.latency_sum_s += cell.latency.mean() * static_cast<double>(cell.latency.count()) / core::kNsPerSec;
  }
  return sum;
}

void write_requests(Writer& w, const results::StepName& name, const StepTotals& sum) {
  for (size_t code = 0; code < sum.by_status.size(); ++code) {
    if (sum.by_status[code] == 0) continue;
    // Slot 0 holds status codes outside 0..599, as results.json's "other".
    std::string status = code == 0 ? "other" : std::to_string(code);
    w.sample("surge_requests_total")
        .label("scenario", name.scenario)
        .label("step", name.name)
        .label("status", status)
        .value(sum.by_status[code]);
  }
  for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
    if (sum.by_error[kind] == 0 || !ends_without_response(ErrorKind(kind))) continue;
    w.sample("surge_requests_total")
        .label("scenario", name.scenario)
        .label("step", name.name)
        .label("status", metrics::kErrorKindNames[kind])
        .value(sum.by_error[kind]);
  }
}

void write_histogram(Writer& w, const results::StepName& name, const StepTotals& sum) {
  uint64_t cumulative = 0;
  for (size_t bucket = 0; bucket < kBucketCount; ++bucket) {
    cumulative += sum.buckets[bucket];
    w.sample("surge_request_duration_seconds_bucket")
        .label("scenario", name.scenario)
        .label("step", name.name)
        .label("le", bucket_label(bucket))
        .value(cumulative);
  }
  w.sample("surge_request_duration_seconds_sum")
      .label("scenario", name.scenario)
      .label("step", name.name)
      .value(sum.latency_sum_s);
  w.sample("surge_request_duration_seconds_count")
      .label("scenario", name.scenario)
      .label("step", name.name)
      .value(sum.responses);
}

void write_rpc_errors(Writer& w, const results::StepName& name, const metrics::RpcErrorCounts& errors) {
  for (size_t i = 0; i < metrics::RpcErrorCounts::kSlots && errors.counts[i] != 0; ++i) {
    w.sample("surge_rpc_errors_total")
        .label("scenario", name.scenario)
        .label("step", name.name)
        .label("code", std::to_string(errors.codes[i]))
        .value(errors.counts[i]);
  }
  if (errors.other == 0) return;
  w.sample("surge_rpc_errors_total")
      .label("scenario", name.scenario)
      .label("step", name.name)
      .label("code", "other")
      .value(errors.other);
}

void write_steps(Writer& w, const LiveView& view, const metrics::StatsGrid& totals) {
  std::vector<size_t> request_steps;
  std::vector<StepTotals> sums;
  for (size_t step = 0; step < view.shape.steps.size(); ++step) {
    if (!view.shape.steps[step].is_request) continue;
    request_steps.push_back(step);
    sums.push_back(sum_step(totals, step));
  }
  w.family(
      "surge_requests_total", "counter",
      "Requests that ended, by scenario, step and status: the HTTP status code, or the error kind when no "
      "response came (refused, connect, address, reset, timeout, eof, parse, tls, too_large, connect_timeout).");
  for (size_t i = 0; i < sums.size(); ++i) write_requests(w, view.shape.steps[request_steps[i]], sums[i]);
  w.family("surge_request_duration_seconds", "histogram",
           "Latency of requests that got a complete response, from the intended send time, in seconds.");
  for (size_t i = 0; i < sums.size(); ++i) write_histogram(w, view.shape.steps[request_steps[i]], sums[i]);
  bool has_rpc_errors = false;
  for (const StepTotals& sum : sums) has_rpc_errors = has_rpc_errors || !sum.rpc_errors.empty();
  if (!has_rpc_errors) return;
  w.family("surge_rpc_errors_total", "counter",
           "JSON-RPC error objects in answers, by scenario, step and error code (\"other\" past 8 codes a step).");
  for (size_t i = 0; i < sums.size(); ++i)
    write_rpc_errors(w, view.shape.steps[request_steps[i]], sums[i].rpc_errors);
}

void write_run_counters(Writer& w, const metrics::StatsGrid& totals) {
  std::array<uint64_t, metrics::kErrorKindCount> by_error{};
  uint64_t dropped = 0;
  for (size_t phase = 0; phase < totals.phase_count(); ++phase) {
    dropped += totals.dropped_iterations(phase);
    for (size_t step = 0; step < totals.step_count(); ++step) {
      const metrics::RequestStats& cell = totals.cell(phase, step);
      for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) by_error[kind] += cell.by_error[kind];
    }
  }
  w.family("surge_errors_total", "counter",
           "Requests that failed, by error kind (every kind, zeros included).");
  for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
    w.sample("surge_errors_total").label("kind", metrics::kErrorKindNames[kind]).value(by_error[kind]);
  }
  w.family("surge_dropped_iterations_total", "counter",
           "Open-model arrivals not started because every user was busy (max_users).");
  w.sample("surge_dropped_iterations_total").value(dropped);
  const metrics::ConnectionStats connections = totals.connections_total();
  w.family("surge_connections_opened_total", "counter", "Connections to the target that were established.");
  w.sample("surge_connections_opened_total").value(connections.opened);
  w.family("surge_connections_failed_total", "counter",
           "Connection attempts that failed (refused, timeout, ...).");
  w.sample("surge_connections_failed_total").value(connections.failed);
}

// surge_checks_total by check and verdict, and the custom metrics (docs/prometheus.md).
void write_checks(Writer& w, const LiveView& view, const metrics::StatsGrid& totals) {
  if (!view.shape.checks.empty()) {
    w.family("surge_checks_total", "counter", "Responses judged by an expect check or a capture, by verdict.");
  }
  for (size_t i = 0; i < view.shape.checks.size() && i < totals.check_count(); ++i) {
    const results::StepName& step = view.shape.steps[view.shape.checks[i].step];
    metrics::CheckCounts counts = totals.check_total(i);
    for (auto [result, count] : {std::pair{"pass", counts.passed}, {"fail", counts.failed}}) {
      w.sample("surge_checks_total")
          .label("scenario", step.scenario)
          .label("step", step.name)
          .label("check", view.shape.checks[i].name)
          .label("result", result)
          .value(count);
    }
  }
  const char* families[][3] = {
      {"rate", "surge_custom_rate_true_total", "Responses that satisfied a custom rate metric's condition."},
      {"rate", "surge_custom_rate_samples_total", "Responses a custom rate metric judged."},
      {"counter", "surge_custom_counter_total", "Responses that satisfied a custom counter's condition."}};
  for (const auto& [kind, name, help] : families) {
    bool first = true;
    for (size_t i = 0; i < view.shape.custom_metrics.size() && i < totals.metric_count(); ++i) {
      if (view.shape.custom_metrics[i].kind != kind) continue;
      if (first) w.family(name, "counter", help);
      first = false;
      metrics::CustomMetricStats stats = totals.custom_total(i);
      bool responses = std::string_view(name) == "surge_custom_rate_samples_total";
      w.sample(name)
          .label("name", view.shape.custom_metrics[i].name)
          .value(responses ? stats.total : stats.hits);
    }
  }
  bool first = true;
  for (size_t i = 0; i < view.shape.custom_metrics.size() && i < totals.metric_count(); ++i) {
    if (view.shape.custom_metrics[i].kind != "trend") continue;
    if (first) w.family("surge_custom_trend", "summary", "Values of a custom trend metric, over the run so far.");
    first = false;
    metrics::CustomMetricStats stats = totals.custom_total(i);
    constexpr double kScale = metrics::CustomMetricStats::kTrendScale;
    const std::string& metric = view.shape.custom_metrics[i].name;
    if (stats.values.count() > 0) {
      for (auto [quantile, p] : {std::pair{"0.5", 50.0}, {"0.9", 90.0}, {"0.95", 95.0}, {"0.99", 99.0}}) {
        double value = static_cast<double>(stats.values.value_at_percentile(p)) / kScale;
        w.sample("surge_custom_trend").label("name", metric).label("quantile", quantile).value(value);
      }
    }
    double sum = stats.values.mean() * static_cast<double>(stats.values.count()) / kScale;
    w.sample("surge_custom_trend_sum").label("name", metric).value(sum);
    w.sample("surge_custom_trend_count").label("name", metric).value(stats.values.count());
  }
}

void write_gauges(Writer& w, const LiveView& view) {
  w.family("surge_active_users", "gauge", "Virtual users running an iteration, summed over workers.");
  w.sample("surge_active_users").value(view.active_users);
  w.family("surge_active_connections", "gauge", "Open connections to the target, summed over workers.");
  w.sample("surge_active_connections").value(view.open_connections);
  w.family("surge_phase", "gauge",
           "1 for the phase running now (the last one after the run), 0 for the others.");
  for (size_t phase = 0; phase < view.shape.phases.size(); ++phase) {
    w.sample("surge_phase")
        .label("name", view.shape.phases[phase].name)
        .value(uint64_t{phase == view.current_phase});
  }
  w.family("surge_running", "gauge", "1 while the load runs, 0 after it ended (while the endpoint lingers).");
  w.sample("surge_running").value(uint64_t{view.running});
  if (view.fault_kinds.empty()) return;
  w.family("surge_fault_active", "gauge",
           "1 while a fault of this kind from the plan's faults: is on (docs/faults.md), else 0.");
  for (const std::string& kind : view.fault_kinds) {
    const auto& active = view.active_fault_kinds;
    const bool on = view.running && std::find(active.begin(), active.end(), kind) != active.end();
    w.sample("surge_fault_active").label("kind", kind).value(uint64_t{on});
  }
}

void write_slas(Writer& w, const LiveView& view) {
  bool any_verdict = false, any_threshold = false;
  for (const SlaState& sla : view.slas) {
    any_verdict |= sla.verdict != SlaVerdict::kUnknown;
    any_threshold |= sla.latency_threshold_s.has_value();
  }
  if (any_verdict) {
    w.family("surge_sla_pass", "gauge",
             "1 when the SLA holds so far, 0 when it failed; absent while it has no data.");
    for (const SlaState& sla : view.slas) {
      if (sla.verdict != SlaVerdict::kUnknown)
        w.sample("surge_sla_pass").label("expr", sla.expr).value(uint64_t{sla.verdict == SlaVerdict::kPass});
    }
  }
  if (any_threshold) {
    w.family("surge_sla_latency_threshold_seconds", "gauge",
             "The bound of each latency SLA, for SLA lines on charts.");
    for (const SlaState& sla : view.slas) {
      if (sla.latency_threshold_s)
        w.sample("surge_sla_latency_threshold_seconds")
            .label("expr", sla.expr)
            .value(*sla.latency_threshold_s);
    }
  }
}

void write_target(Writer& w, const results::TargetSample& target) {
  w.family("surge_target_cpu_seconds_total", "counter", "User + system CPU time of the target process.");
  w.sample("surge_target_cpu_seconds_total").value(target.cpu_s);
  w.family("surge_target_resident_memory_bytes", "gauge", "Resident memory of the target process.");
  w.sample("surge_target_resident_memory_bytes").value(target.rss_bytes);
  w.family("surge_target_open_fds", "gauge",
           "Open file descriptors of the target process (sockets included).");
  w.sample("surge_target_open_fds").value(target.open_fds);
  w.family("surge_target_threads", "gauge", "Threads of the target process.");
  w.sample("surge_target_threads").value(target.threads);
}

}  // namespace

bool ends_without_response(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kRefused:
    case ErrorKind::kConnect:
    case ErrorKind::kAddress:
    case ErrorKind::kReset:
    case ErrorKind::kTimeout:
    case ErrorKind::kEof:
    case ErrorKind::kParse:
    case ErrorKind::kTls:
    case ErrorKind::kTooLarge:
    case ErrorKind::kConnectTimeout:
    case ErrorKind::kBind:
      return true;
    case ErrorKind::kStatus4xx:
    case ErrorKind::kStatus5xx:
    case ErrorKind::kCheck:
    case ErrorKind::kCount:
      return false;
  }
  return false;
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

void render_exposition(const LiveView& view, const metrics::StatsGrid& totals, std::string& out) {
  Writer w(out);
  write_steps(w, view, totals);
  write_run_counters(w, totals);
  write_checks(w, view, totals);
  write_gauges(w, view);
  write_slas(w, view);
  if (view.target) write_target(w, *view.target);
}

}  // namespace surge::observe
