// --prometheus during a run: the live view built from the run's shape and SLAs, each second's gauges and SLA
// states, and the final figures shown for --linger (observe/ serves them; this is what the run tells it).
#pragma once

#include <vector>

#include "metrics/request_stats.h"
#include "observe/exporter.h"
#include "plan/plan.h"
#include "results/run_result.h"
#include "run/coordinator.h"
#include "sla/sla.h"

namespace surge::run {

// The plan's fault kinds (each once), the run's shape, and every SLA as not yet known.
observe::LiveView live_view(const plan::Plan& plan, const results::RunShape& shape,
                            const std::vector<sla::Sla>& slas);

// One more second for /metrics: its gauges, and surge_sla_pass of each SLA on the run so far (windowed ones
// too; their verdict on the worst window replaces it when the run ends).
void export_second(observe::Exporter& exporter, const results::SecondRow& row,
                   const std::vector<sla::Sla>& slas, const metrics::StatsGrid& totals);

// After the outputs: /metrics shows the final figures and verdicts for --linger (a signal ends it; an
// interrupted run does not linger).
void linger_with_final_figures(observe::Exporter& exporter, const results::RunResult& result,
                               const RunOptions& options);

}  // namespace surge::run
