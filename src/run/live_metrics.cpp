// What a run tells its /metrics exporter, from the start to the linger (live_metrics.h).
#include "run/live_metrics.h"

#include <algorithm>
#include <optional>
#include <string>

#include "sla/measure.h"

namespace surge::run {
namespace {

// The dashboard's SLA lines are the bounds of the latency SLAs, in seconds.
std::optional<double> latency_threshold_s(const sla::Sla& sla) {
  const std::string& unit = sla.expression.unit;
  const double seconds_per_unit = unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "us" ? 1e-6 : 1e-9;
  if (sla.metric != sla::Metric::kLatency || !sla.expression.statistic) return std::nullopt;
  return sla.expression.threshold * seconds_per_unit;
}

}  // namespace

observe::LiveView live_view(const plan::Plan& plan, const results::RunShape& shape,
                            const std::vector<sla::Sla>& slas) {
  observe::LiveView view;
  for (const plan::FaultEntry& fault : plan.faults) {
    std::string kind(plan::to_string(fault.kind));
    if (std::find(view.fault_kinds.begin(), view.fault_kinds.end(), kind) == view.fault_kinds.end()) {
      view.fault_kinds.push_back(std::move(kind));
    }
  }
  view.shape = shape;
  for (const sla::Sla& sla : slas) {
    view.slas.push_back({sla.expression.text, observe::SlaVerdict::kUnknown, latency_threshold_s(sla)});
  }
  return view;
}

void export_second(observe::Exporter& exporter, const results::SecondRow& row,
                   const std::vector<sla::Sla>& slas, const metrics::StatsGrid& totals) {
  exporter.on_second(row);
  for (size_t i = 0; i < slas.size(); ++i) {
    sla::Reduction so_far;
    sla::reduce(slas[i], totals, so_far);
    so_far.seconds = static_cast<double>(row.second);  // second k ends k seconds after the start
    const sla::Expression& expression = slas[i].expression;
    const std::optional<double> actual = sla::measure(slas[i], so_far);
    const bool holds = actual && sla::holds(*actual, expression.comparison, expression.threshold);
    exporter.view().slas[i].verdict = !actual ? observe::SlaVerdict::kUnknown
                                      : holds ? observe::SlaVerdict::kPass
                                              : observe::SlaVerdict::kFail;
  }
  exporter.publish(totals);
}

void linger_with_final_figures(observe::Exporter& exporter, const results::RunResult& result,
                               const RunOptions& options) {
  for (size_t i = 0; i < result.slas.size() && i < exporter.view().slas.size(); ++i) {
    exporter.view().slas[i].verdict =
        result.slas[i].pass ? observe::SlaVerdict::kPass : observe::SlaVerdict::kFail;
  }
  exporter.finish(result.grid);
  exporter.linger(options.linger, result.interrupted);
}

}  // namespace surge::run
