// Builds results.json from a RunResult. Keys a run cannot fill are absent, never zeros that were not
// measured.
#include "report/results_json.h"

#include <string>

#include "core/clock.h"
#include "metrics/hdr_log.h"
#include "report/checks_report.h"
#include "report/faults_report.h"
#include "report/groups_report.h"
#include "report/rpc_errors_report.h"
#include "report/target_summary.h"
#include "report/websocket_report.h"
#include "text/version.h"

namespace surge::report {
namespace {

using nlohmann::json;

double ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

json by_error_block(const std::array<uint64_t, metrics::kErrorKindCount>& by_error) {
  json out = json::object();
  for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
    if (by_error[kind] != 0) out[std::string(metrics::kErrorKindNames[kind])] = by_error[kind];
  }
  return out;
}

json requests_block(const metrics::RequestStats& stats) {
  json by_status = json::object();
  for (size_t code = 0; code < stats.by_status.size(); ++code) {
    if (stats.by_status[code] != 0)
      by_status[code == 0 ? "other" : std::to_string(code)] = stats.by_status[code];
  }
  return {{"total", stats.total()},
          {"ok", stats.ok},
          {"errors", stats.errors()},
          {"by_status", by_status},
          {"by_error", by_error_block(stats.by_error)},
          {"retries", stats.retries},
          {"retried", stats.retried},
          {"recovered", stats.recovered}};
}

json bytes_block(const metrics::RequestStats& stats) {
  return {{"sent", stats.bytes_sent},
          {"received", stats.bytes_received},
          {"body_received", stats.body_bytes_received}};
}

// The request-level blocks shared by the run, each phase and each step.
void add_request_blocks(json& out, const metrics::RequestStats& stats, double duration_s) {
  out["requests"] = requests_block(stats);
  out["throughput_rps"] = duration_s > 0 ? static_cast<double>(stats.total()) / duration_s : 0.0;
  if (!stats.latency.empty()) out["latency_ms"] = latency_block(stats.latency);
  if (!stats.service_time.empty()) out["service_time_ms"] = latency_block(stats.service_time);
  // The whole histogram (HdrHistogram V2, base64), so readers such as `surge compare` take any percentile of
  // the run, a phase or a step exactly, and add histograms across runs.
  if (!stats.latency.empty()) out["latency_hdr"] = metrics::encode_hdr_base64(stats.latency);
  out["bytes"] = bytes_block(stats);
}

json connections_block(const metrics::ConnectionStats& connections, uint64_t max_concurrent) {
  json block = {{"opened", connections.opened},
                {"failed", connections.failed},
                {"closed", connections.closed},
                {"max_concurrent", max_concurrent}};
  // Achieved rate between the first and the last successful connect; absent with fewer than two.
  if (double rate = connections.connect_rate_per_s(); rate > 0) block["connect_rate_per_s"] = rate;
  if (!connections.connect_time.empty()) block["connect_ms"] = latency_block(connections.connect_time);
  // Hold phases' failed connects by kind; absent when none failed.
  if (auto failed = by_error_block(connections.failed_by_error); !failed.empty())
    block["failed_by_error"] = failed;
  // Only when some connection of this scope used TLS; tls_resumed counts the handshakes that resumed a
  // session.
  if (!connections.tls_handshake.empty()) {
    block["tls_handshake_ms"] = latency_block(connections.tls_handshake);
    block["tls_resumed"] = connections.tls_resumed;
  }
  return block;
}

json second_latency_block(const results::SecondLatency& latency) {
  return {{"p50", latency.p50_ms}, {"p90", latency.p90_ms}, {"p95", latency.p95_ms},
          {"p99", latency.p99_ms}, {"max", latency.max_ms}};
}

// actual is null when the metric saw no samples; the window keys only for windowed SLAs (docs/results.md).
json sla_entry(const results::SlaOutcome& sla) {
  json entry = {{"expr", sla.expr},           {"comparison", sla.comparison}, {"threshold", sla.threshold},
                {"unit", sla.unit},           {"pass", sla.pass},             {"abort_on_fail", sla.abort_on_fail},
                {"stopped_run", sla.stopped_run}};
  entry["actual"] = sla.actual ? json(*sla.actual) : json(nullptr);
  if (sla.window_s) entry["window_s"] = *sla.window_s;
  if (sla.worst_window_at_s) entry["worst_window_at_s"] = *sla.worst_window_at_s;
  if (sla.breached_at_s) entry["breached_at_s"] = *sla.breached_at_s;
  return entry;
}

}  // namespace

json latency_block(const metrics::Histogram& histogram) {
  return {{"min", ms(histogram.min())},
          {"mean", histogram.mean() / static_cast<double>(core::kNsPerMs)},
          {"p50", ms(histogram.value_at_percentile(50))},
          {"p90", ms(histogram.value_at_percentile(90))},
          {"p95", ms(histogram.value_at_percentile(95))},
          {"p99", ms(histogram.value_at_percentile(99))},
          {"p999", ms(histogram.value_at_percentile(99.9))},
          {"max", ms(histogram.max())}};
}

json timeseries_row(const results::SecondRow& row, const std::vector<results::StepName>& step_names) {
  json out = {{"t_s", row.second},       {"phase", row.phase},
              {"requests", row.requests}, {"ok", row.ok},
              {"errors", row.errors},     {"by_error", by_error_block(row.by_error)},
              {"active_users", row.active_users},
              {"open_connections", row.open_connections}};
  if (row.latency) out["latency_ms"] = second_latency_block(*row.latency);
  // The second's whole histogram, for the hlog report and for readers that merge or re-slice seconds. The
  // collector encoded it in this process, so it always decodes; the key is left out rather than faked if not.
  std::string_view encoded = row.latency_encoded;
  if (auto latency = metrics::Histogram::decode(encoded))
    out["latency_hdr"] = metrics::encode_hdr_base64(*latency);
  out["steps"] = json::array();
  for (const results::StepSecond& step : row.steps) {
    json entry = {{"scenario", step_names[step.step].scenario}, {"name", step_names[step.step].name},
                  {"requests", step.requests},                  {"ok", step.ok},
                  {"errors", step.errors},                      {"by_error", by_error_block(step.by_error)}};
    if (step.latency) entry["latency_ms"] = second_latency_block(*step.latency);
    out["steps"].push_back(entry);
  }
  if (row.target) {
    out["target"] = {{"cpu_s", row.target->cpu_s},
                     {"cpu_percent", row.target->cpu_percent},
                     {"rss_bytes", row.target->rss_bytes},
                     {"open_fds", row.target->open_fds},
                     {"threads", row.target->threads}};
  }
  return out;
}

json results_head(const results::RunResult& result) {
  json out;
  out["surge_version"] = std::string(text::kVersion);
  out["plan"] = result.plan_name;
  out["target_url"] = result.target;
  out["mode"] = result.mode;
  out["result"] = result.exit_code == 0 ? "pass" : "fail";
  out["started_at_unix_ms"] = result.started_at_unix_ms;
  out["duration_s"] = result.duration_s;
  out["interrupted"] = result.interrupted;
  if (result.interrupted_at_s) out["interrupted_at_s"] = *result.interrupted_at_s;
  if (!result.stop_reason.empty()) out["stop_reason"] = result.stop_reason;
  const metrics::RequestStats total = result.grid.total();
  add_request_blocks(out, total, result.duration_s);
  // The whole run's service time histogram beside its latency_hdr (HdrHistogram V2, base64).
  if (!total.service_time.empty()) out["service_time_hdr"] = metrics::encode_hdr_base64(total.service_time);
  out["connections"] = connections_block(result.grid.connections_total(), result.max_concurrent);
  // Of the requests whose first try failed with a kind their step retries, the share a retry made succeed
  // (docs/faults.md#retries); null when no request was retried.
  out["error_recovery_rate"] =
      total.retried == 0 ? json(nullptr)
                         : json(static_cast<double>(total.recovered) / static_cast<double>(total.retried));

  // dropped_iterations exists only where it can be non-zero: in open and hold phases (and the run, if it has
  // one). interrupted_iterations (graceful_stop ran out) can happen in any phase.
  bool has_open_phase = false;
  uint64_t dropped = 0;
  uint64_t interrupted = 0;
  out["phases"] = json::array();
  for (size_t i = 0; i < result.phases.size(); ++i) {
    const results::PhaseInfo& phase = result.phases[i];
    json entry = {{"name", phase.name},
                  {"model", phase.model},
                  {"duration_s", phase.duration_s},
                  {"planned_duration_s", phase.planned_duration_s},
                  {"stable_s", phase.stable_s}};
    if (phase.settle_measured) entry["settle_s"] = phase.settle_s ? json(*phase.settle_s) : json(nullptr);
    // Closed phases drop iterations only when a unique feeder ran out of rows.
    if (phase.model == "open" || phase.model == "hold" || result.grid.dropped_iterations(i) > 0) {
      has_open_phase = true;
      dropped += result.grid.dropped_iterations(i);
      entry["dropped_iterations"] = result.grid.dropped_iterations(i);
    }
    interrupted += result.grid.interrupted_iterations(i);
    entry["interrupted_iterations"] = result.grid.interrupted_iterations(i);
    add_request_blocks(entry, result.grid.phase_total(i), phase.duration_s);
    entry["connections"] = connections_block(result.grid.connections(i), phase.max_concurrent);
    out["phases"].push_back(entry);
  }
  if (has_open_phase) out["dropped_iterations"] = dropped;
  out["interrupted_iterations"] = interrupted;
  out["steps"] = json::array();
  for (size_t i = 0; i < result.steps.size(); ++i) {
    if (!result.steps[i].is_request) continue;
    json entry = {{"scenario", result.steps[i].scenario}, {"name", result.steps[i].name}};
    if (!result.steps[i].group.empty()) entry["group"] = result.steps[i].group;
    const metrics::RequestStats step_total = result.grid.step_total(i);
    add_request_blocks(entry, step_total, result.duration_s);
    if (!step_total.rpc_errors.empty()) {
      entry["rpc_errors"] = rpc_errors_block(step_total.rpc_errors);
      entry["rpc_errors_total"] = step_total.rpc_errors.total();
    }
    entry["checks"] = step_checks_block(result, i);
    out["steps"].push_back(entry);
  }
  out["checks"] = checks_total_block(result);
  if (!result.groups.empty()) out["groups"] = groups_block(result);
  out["metrics"] = custom_metrics_block(result);
  if (nlohmann::json ws = websocket_block(result); !ws.is_null()) out["websocket"] = std::move(ws);
  out["sla"] = json::array();
  for (const results::SlaOutcome& sla : result.slas) out["sla"].push_back(sla_entry(sla));
  if (!result.faults.empty()) out["faults"] = faults_block(result);
  if (auto target = summarize_target(result)) {
    json block = {{"pid", target->pid},
                  {"cpu_s", target->cpu_s},
                  {"mean_cpu_percent", target->mean_cpu_percent},
                  {"baseline_rss_bytes", target->baseline_rss_bytes},
                  {"peak_rss_bytes", target->peak_rss_bytes},
                  {"peak_open_fds", target->peak_open_fds},
                  {"peak_threads", target->peak_threads}};
    if (target->bytes_per_connection) block["bytes_per_connection"] = *target->bytes_per_connection;
    if (target->rss_growth_bytes_per_min)
      block["rss_growth_bytes_per_min"] = *target->rss_growth_bytes_per_min;
    out["target"] = block;
  }
  out["generator"] = {{"cpu_s", result.generator_cpu_s}, {"peak_rss_bytes", result.generator_peak_rss_bytes}};
  out["workers"] = json::array();
  for (const results::WorkerOutcome& worker : result.workers) {
    json entry = {{"pid", worker.pid}, {"exit_code", worker.exit_code}};
    if (worker.term_signal != 0) entry["signal"] = worker.term_signal;
    out["workers"].push_back(entry);
  }
  if (!result.segment_keys.empty()) out.update(json::parse(result.segment_keys));  // built by merge/partial.cpp
  return out;
}

json to_results_json(const results::RunResult& result) {
  json out = results_head(result);
  out["timeseries"] = json::array();
  for (const results::SecondRow& row : result.timeseries)
    out["timeseries"].push_back(timeseries_row(row, result.steps));
  return out;
}

}  // namespace surge::report
