// The exit codes of `surge run`, `surge merge` and `surge compare`, the contract CI reads (docs/cli.md),
// written here once.
//
//   0   the run ran its whole plan and every SLA passed (or it had none)
//   99  the run ran its whole plan (or an abort_on_fail SLA stopped it) and an SLA failed
//   2   bad usage or an invalid plan, found before any load: flags or a plan that do not parse or validate
//       (cli/), and at the start of a run: --start-at in the past, source addresses of the wrong family for
//       a target, --prometheus or the plan's proxy.listen naming an address surge cannot listen on,
//       --log-requests-file that cannot be opened; for surge merge, parts that do not fit together or do
//       not decode; for surge compare, a --max or --out that does not parse, a file that cannot be read or
//       is not a whole run's results.json (one segment's part included), or two files of different plans
//   1   the run itself failed: the built-in target could not start, the plan could not be compiled against
//       this machine (an unknown host, a CA file), a fault's process could not start, the workers could not
//       be forked, a worker crashed, the run was interrupted or stopped early other than by an SLA, no
//       request succeeded (or, in a run that sends none, no connection opened of those tried), or an output
//       could not be written. A run (a segment) with nothing to do passes. 1 wins over 99: a broken run says
//       nothing about the SLAs. For surge compare: an output could not be written.
//
// surge compare: 0 when no metric regressed, 99 (kExitRegressed) when one did: beyond its limit and beyond
// the runs' noise (docs/compare.md). A gate in CI reads 99 the same way for a failed SLA and a regression.
#pragma once

#include "results/run_result.h"

namespace surge::results {

constexpr int kExitPass = 0;
constexpr int kExitRunFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSlaFailed = 99;
constexpr int kExitRegressed = kExitSlaFailed;  // surge compare: a metric regressed

// A finished run's code from its figures alone (kExitRunFailed, kExitSlaFailed or kExitPass), shared by
// surge run and surge merge. result.slas must be judged already.
int decide_exit_code(const RunResult& result);

}  // namespace surge::results
