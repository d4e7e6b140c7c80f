// The round trips of a run: every step flagged is_round_trip (a ws send with expect, JSON-RPC over WebSocket
// included), over all phases. A failed round trip (timeout, closed connection) has no latency, as for http.
#include "report/websocket_report.h"

#include <optional>

#include <fmt/format.h>

#include "core/clock.h"
#include "report/results_json.h"

namespace surge::report {
namespace {

struct RoundTrips {
  metrics::RequestStats stats;
  nlohmann::json steps = nlohmann::json::array();
};

std::optional<RoundTrips> collect(const results::RunResult& result) {
  RoundTrips out;
  bool any = false;
  for (size_t i = 0; i < result.steps.size(); ++i) {
    if (!result.steps[i].is_round_trip) continue;
    any = true;
    out.steps.push_back(result.steps[i].scenario + " / " + result.steps[i].name);
    if (i < result.grid.step_count()) out.stats.add(result.grid.step_total(i));
  }
  if (!any) return std::nullopt;
  return out;
}

std::string ms(int64_t ns) {
  return fmt::format("{:.2f}ms", static_cast<double>(ns) / static_cast<double>(core::kNsPerMs));
}

}  // namespace

nlohmann::json websocket_block(const results::RunResult& result) {
  std::optional<RoundTrips> trips = collect(result);
  if (!trips) return nullptr;
  nlohmann::json out = {{"round_trips", trips->stats.total()},
                        {"ok", trips->stats.ok},
                        {"failed", trips->stats.errors()},
                        {"steps", trips->steps}};
  if (!trips->stats.latency.empty()) out["rtt_ms"] = latency_block(trips->stats.latency);
  return out;
}

std::string websocket_summary(const results::RunResult& result) {
  std::optional<RoundTrips> trips = collect(result);
  if (!trips) return "";
  const metrics::Histogram& rtt = trips->stats.latency;
  std::string out = fmt::format("\n  ws rtt       {} round trips, {} failed", trips->stats.total(),
                                trips->stats.errors());
  if (!rtt.empty()) {
    out += fmt::format("  p50 {}  p95 {}  p99 {}  max {}", ms(rtt.value_at_percentile(50)),
                       ms(rtt.value_at_percentile(95)), ms(rtt.value_at_percentile(99)), ms(rtt.max()));
  }
  return out + "\n";
}

}  // namespace surge::report
