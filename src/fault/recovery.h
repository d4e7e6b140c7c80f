// recovery_s and errors of each fault (docs/faults.md), from the run's seconds and the times inside them.
#pragma once

#include <cstdint>
#include <vector>

#include "results/run_result.h"
#include "sla/sla.h"

namespace surge::fault {

// A second is healthy when it had a success and stayed within the run's unscoped error_rate and p95(latency)
// SLAs, or, with neither, had no error at all. The healthy period of a fault is the first run of `stable_s`
// (rounded up to whole seconds) healthy seconds from the second its end_s falls in; recovery_s runs from
// end_s to the first success after the last failure before that period (monotonic times the workers record,
// so it is exact to the response, not to the second), 0 when the period starts at once. errors counts the
// failed requests, by kind, from the second the fault began to the second of that first success (to the run's
// end when it never recovered). start_ns is the monotonic start of the run (second 1 begins there).
void measure_recovery(std::vector<results::FaultOutcome>& faults, const results::TimeSeries& seconds,
                      int64_t start_ns, const std::vector<sla::Sla>& slas);

// settle_s of each phase that ran: the same healthy period, sought from the phase's start with the phase's
// stable_s (at most the whole seconds left in the run), and settle_s = from that start to the first success
// after the last failure before the period (exact), or to the first success of the period when only latency
// kept it unhealthy (to the second; a phase healthy from its start settled at its first success); set only
// when that moment lies within the phase's duration_s. Marks every phase settle_measured.
void measure_settle(std::vector<results::PhaseInfo>& phases, const results::TimeSeries& seconds,
                    int64_t start_ns, const std::vector<sla::Sla>& slas);

}  // namespace surge::fault
