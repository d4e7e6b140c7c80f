// The exit-code contract of a finished run (results/exit_code.h), decided from its figures alone.
#include "results/exit_code.h"

#include <gtest/gtest.h>

namespace surge::results {
namespace {

// One phase, one step: `ok` and `errors` requests, `opened` and `failed` connects.
RunResult run_of(uint64_t ok, uint64_t errors, uint64_t opened = 1, uint64_t failed = 0) {
  RunResult result;
  result.grid = metrics::StatsGrid(1, 1);
  result.grid.cell(0, 0).ok = ok;
  result.grid.cell(0, 0).by_error[0] = errors;
  result.grid.connections(0).opened = opened;
  result.grid.connections(0).failed = failed;
  return result;
}

TEST(ExitCode, ARunWithSuccessesAndNoSlaPasses) { EXPECT_EQ(decide_exit_code(run_of(10, 2)), kExitPass); }

TEST(ExitCode, ARunWhoseRequestsAllFailedFailed) {
  EXPECT_EQ(decide_exit_code(run_of(0, 5)), kExitRunFailed);
}

TEST(ExitCode, AFailedSlaIsNinetyNine) {
  RunResult result = run_of(10, 0);
  result.slas.push_back(SlaOutcome{});
  result.slas.back().pass = false;
  EXPECT_EQ(decide_exit_code(result), kExitSlaFailed);
}

TEST(ExitCode, AnInterruptedRunFailedWhateverItsSlasSay) {
  RunResult result = run_of(10, 0);
  result.interrupted = true;
  result.slas.push_back(SlaOutcome{});
  result.slas.back().pass = false;
  EXPECT_EQ(decide_exit_code(result), kExitRunFailed);
}

TEST(ExitCode, AHoldRunWithoutRequestsPassesWhenItOpenedConnections) {
  EXPECT_EQ(decide_exit_code(run_of(0, 0, 100, 3)), kExitPass);
}

TEST(ExitCode, AHoldRunThatCouldNotOpenOneConnectionFailed) {
  EXPECT_EQ(decide_exit_code(run_of(0, 0, 0, 100)), kExitRunFailed);
}

// `-c 1 --segment 0/2`: the one user is segment 1's, so segment 0 sends nothing and tries no connection.
TEST(ExitCode, ASegmentWithNothingToDoPasses) { EXPECT_EQ(decide_exit_code(run_of(0, 0, 0, 0)), kExitPass); }

}  // namespace
}  // namespace surge::results
