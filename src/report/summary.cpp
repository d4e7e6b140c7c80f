// Summary rendering: plain text, fixed-width columns, every figure from the same RunResult as results.json.
#include "report/faults_report.h"
#include "report/summary.h"

#include "report/checks_report.h"
#include "report/rpc_errors_report.h"
#include "report/groups_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/clock.h"
#include "report/sla_table.h"
#include "report/target_summary.h"
#include "report/websocket_report.h"

namespace surge::report {
namespace {

std::string ms(int64_t ns) {
  double value = static_cast<double>(ns) / static_cast<double>(core::kNsPerMs);
  if (value >= 1000) return fmt::format("{:.2f}s", value / 1000);
  return fmt::format("{:.2f}ms", value);
}

std::string bytes(uint64_t count) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(count);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", count) : fmt::format("{:.2f} {}", value, units[unit]);
}

std::string latency_row(std::string_view label, const metrics::Histogram& h) {
  if (h.empty()) return fmt::format("  {:<14}(no completed responses)\n", label);
  return fmt::format("  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", label, ms(h.min()),
                     ms(static_cast<int64_t>(h.mean())), ms(h.value_at_percentile(50)), ms(h.value_at_percentile(90)),
                     ms(h.value_at_percentile(95)), ms(h.value_at_percentile(99)), ms(h.value_at_percentile(99.9)),
                     ms(h.max()));
}

std::string errors_line(const metrics::RequestStats& stats) {
  std::string line;
  for (size_t kind = 0; kind < metrics::kErrorKindCount; ++kind) {
    if (stats.by_error[kind] == 0) continue;
    line += fmt::format("{}{} {}", line.empty() ? "" : ", ", metrics::kErrorKindNames[kind], stats.by_error[kind]);
  }
  return line.empty() ? "none" : line;
}

std::string status_line(const metrics::RequestStats& stats) {
  std::string line;
  for (size_t code = 0; code < stats.by_status.size(); ++code) {
    if (stats.by_status[code] == 0) continue;
    line += fmt::format("{}{} x{}", line.empty() ? "" : ", ", code == 0 ? "other" : std::to_string(code),
                        stats.by_status[code]);
  }
  return line.empty() ? "none" : line;
}

// The name column fits the longest name (at least 28), so long step names keep the figures aligned.
std::string table_header(std::string_view first, size_t width) {
  return fmt::format("\n  {:<{}}{:>10}{:>10}{:>8}{:>10}{:>10}{:>10}\n", first, width, "requests", "req/s", "errors",
                     "p50", "p95", "p99");
}

std::string table_row(std::string_view name, size_t width, double duration_s, const metrics::RequestStats& stats) {
  const metrics::Histogram& h = stats.latency;
  double rate = duration_s > 0 ? static_cast<double>(stats.total()) / duration_s : 0.0;
  return fmt::format("  {:<{}}{:>10}{:>10.1f}{:>8}{:>10}{:>10}{:>10}\n", name, width, stats.total(), rate, stats.errors(),
                     h.empty() ? "-" : ms(h.value_at_percentile(50)), h.empty() ? "-" : ms(h.value_at_percentile(95)),
                     h.empty() ? "-" : ms(h.value_at_percentile(99)));
}

}  // namespace

std::string render_summary(const results::RunResult& result) {
  metrics::RequestStats total = result.grid.total();
  metrics::ConnectionStats connections = result.grid.connections_total();
  double rate = result.duration_s > 0 ? static_cast<double>(total.total()) / result.duration_s : 0.0;
  std::string out = fmt::format("\nsurge: {} -> {} ({} model, {} worker{})\n", result.plan_name, result.target,
                                result.mode, result.workers.size(), result.workers.size() == 1 ? "" : "s");
  out += fmt::format("  {} requests in {:.2f}s: {} ok, {} errors; {:.1f} requests/s\n", total.total(),
                     result.duration_s, total.ok, total.errors(), rate);
  out += fmt::format("\n  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}{:>10}\n", "", "min", "mean", "p50", "p90",
                     "p95", "p99", "p99.9", "max");
  out += latency_row("latency", total.latency);
  if (!connections.connect_time.empty()) out += latency_row("connect", connections.connect_time);
  if (!connections.tls_handshake.empty()) out += latency_row("tls handshake", connections.tls_handshake);
  out += "\n";
  out += fmt::format("  status       {}\n", status_line(total));
  out += fmt::format("  errors       {}\n", errors_line(total));
  if (total.retried > 0) {
    out += fmt::format("  retries      {} sent; {} of {} failed requests recovered ({:.1f}% error recovery)\n",
                       total.retries, total.recovered, total.retried,
                       100.0 * static_cast<double>(total.recovered) / static_cast<double>(total.retried));
  }
  uint64_t dropped = 0;
  for (size_t i = 0; i < result.phases.size(); ++i) dropped += result.grid.dropped_iterations(i);
  if (dropped > 0) out += fmt::format("  dropped      {} iterations (no free user, held connection or unique feeder row)\n", dropped);
  uint64_t interrupted = 0;
  for (size_t i = 0; i < result.phases.size(); ++i) interrupted += result.grid.interrupted_iterations(i);
  if (interrupted > 0) {
    out += fmt::format("  interrupted  {} iterations (cut when graceful_stop ran out)\n", interrupted);
  }
  // settle_s of each phase (a run of several phases only: a single phase's is its warm-up, in the table below).
  if (result.phases.size() > 1 && result.phases.front().settle_measured) {
    out += "  settled     ";
    for (size_t i = 0; i < result.phases.size(); ++i) {
      const results::PhaseInfo& phase = result.phases[i];
      out += fmt::format("{} {}", i == 0 ? "" : ",", phase.name);
      out += phase.settle_s ? fmt::format(" in {:.3f}s", *phase.settle_s)
                            : phase.duration_s > 0 ? std::string(" not within the phase") : std::string(" did not run");
    }
    out += fmt::format(" (healthy for stable_s: {})\n", "docs/faults.md#settle_s");
  }
  out += fmt::format("  connections  {} opened, {} failed, {} closed, {} max concurrent", connections.opened,
                     connections.failed, connections.closed, result.max_concurrent);
  if (double connect_rate = connections.connect_rate_per_s(); connect_rate > 0) {
    out += fmt::format(", {:.1f} connects/s", connect_rate);
  }
  if (uint64_t handshakes = connections.tls_handshake.count(); handshakes > 0) {
    out += fmt::format(", {} TLS handshakes ({} resumed)", handshakes, connections.tls_resumed);
  }
  out += "\n";
  out += fmt::format("  data         {} sent, {} received ({} of bodies)\n", bytes(total.bytes_sent),
                     bytes(total.bytes_received), bytes(total.body_bytes_received));
  out += fmt::format("  generator    {:.2f}s CPU ({:.1f} us/request), {} peak RSS\n", result.generator_cpu_s,
                     total.total() > 0 ? result.generator_cpu_s * 1e6 / static_cast<double>(total.total()) : 0.0,
                     bytes(result.generator_peak_rss_bytes));
  if (auto target = summarize_target(result)) {
    out += fmt::format("  target       {:.2f}s CPU ({:.0f}% of a core), {} peak RSS, {} peak fds", target->cpu_s,
                       target->mean_cpu_percent, bytes(target->peak_rss_bytes), target->peak_open_fds);
    if (target->bytes_per_connection) out += fmt::format(", {:.0f} B/connection", *target->bytes_per_connection);
    out += fmt::format(" (pid {})\n", target->pid);
  }

  size_t width = 28;
  for (const results::PhaseInfo& phase : result.phases)
    width = std::max(width, phase.name.size() + phase.model.size() + 5);
  for (const results::StepName& step : result.steps)
    width = std::max(width, step.scenario.size() + step.name.size() + 5);
  out += table_header("phase", width);
  for (size_t i = 0; i < result.phases.size(); ++i) {
    out += table_row(result.phases[i].name + " (" + result.phases[i].model + ")", width, result.phases[i].duration_s,
                     result.grid.phase_total(i));
  }
  out += table_header("step", width);
  for (size_t i = 0; i < result.steps.size(); ++i) {
    if (!result.steps[i].is_request) continue;
    out += table_row(result.steps[i].scenario + " / " + result.steps[i].name, width, result.duration_s,
                     result.grid.step_total(i));
  }
  out += groups_summary(result);
  out += websocket_summary(result);
  out += checks_summary(result);
  out += rpc_errors_summary(result);
  out += faults_summary(result);
  if (result.interrupted) out += "\n  interrupted: the run was stopped by a signal before its end\n";
  if (!result.stop_reason.empty()) out += fmt::format("\n  stopped early: {}\n", result.stop_reason);
  out += render_sla_table(result.slas);
  out += fmt::format("\n  result: {} (exit code {})\n", result.exit_code == 0 ? "pass" : "fail", result.exit_code);
  return out;
}

}  // namespace surge::report
