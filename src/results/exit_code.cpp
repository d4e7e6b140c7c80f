// The exit code a finished run (or a merge of segment runs) ends with, from its figures alone.
#include "results/exit_code.h"

namespace surge::results {

// A run that did not run its whole plan (stopped early, interrupted, a worker lost) failed, whatever its
// figures say: CI must not read a Ctrl-C as a pass. An SLA's abort_on_fail stop is the SLA failing (99), not
// the run; 1 wins over 99 because a broken run says nothing about the SLAs.
int decide_exit_code(const results::RunResult& result) {
  bool stopped_by_sla = false;
  bool sla_failed = false;
  for (const results::SlaOutcome& sla : result.slas) {
    stopped_by_sla = stopped_by_sla || sla.stopped_run;
    sla_failed = sla_failed || !sla.pass;
  }
  if ((!result.stop_reason.empty() && !stopped_by_sla) || result.interrupted) return kExitRunFailed;
  for (const results::WorkerOutcome& worker : result.workers) {
    if (worker.exit_code != 0 || worker.term_signal != 0) return kExitRunFailed;
  }
  // A run that sent requests failed when none succeeded; a hold run without `rate` sends none, and failed
  // when it tried to connect and could not open a single connection. A part that had nothing to do (a
  // segment of `-c 1` whose one user is another segment's) tried nothing and failed nothing.
  const metrics::RequestStats total = result.grid.total();
  const metrics::ConnectionStats connections = result.grid.connections_total();
  if (total.total() > 0 ? total.ok == 0 : connections.opened == 0 && connections.failed > 0) return kExitRunFailed;
  return sla_failed ? kExitSlaFailed : kExitPass;
}

}  // namespace surge::results
