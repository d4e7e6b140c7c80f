// measure_recovery on hand-built seconds: recovery_s runs from the fault's end to the first success after the
// last failure before the healthy period (exact to the nanosecond times the workers record), the period must
// hold `stable` seconds, a fault the run never recovers from has none, and errors are counted from the
// fault's second to recovery.
#include "fault/recovery.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::fault {
namespace {

constexpr int64_t kStart = 1'000 * core::kNsPerSec;  // the run's monotonic start
constexpr int64_t at(double seconds_after_start) {
  return kStart + static_cast<int64_t>(seconds_after_start * 1e9);
}

// Second k covers [k - 1, k) s after the start.
results::SecondRow healthy(uint64_t k, uint64_t requests = 100) {
  results::SecondRow row;
  row.second = k;
  row.requests = row.ok = requests;
  row.outcomes.record_ok(at(static_cast<double>(k - 1) + 0.001));
  return row;
}

results::SecondRow failing(uint64_t k, uint64_t errors = 50) {
  results::SecondRow row;
  row.second = k;
  row.requests = row.errors = errors;
  row.by_error[static_cast<size_t>(metrics::ErrorKind::kRefused)] = errors;
  row.outcomes.record_error(at(static_cast<double>(k) - 0.01));
  return row;
}

results::FaultOutcome fault(double at_s, double for_s, double stable_s = 5) {
  results::FaultOutcome f;
  f.kind = "kill";
  f.at_s = at_s;
  f.for_s = for_s;
  f.end_s = at_s + for_s;
  f.stable_s = stable_s;
  return f;
}

// Seconds 1-2 healthy, 3-4 failing (the fault: 2 s to 4 s), second 5 failing until 4.2 s and succeeding from
// 4.35 s, then healthy to second `last`.
// The seconds as a run keeps them (on disk, read back in order).
results::TimeSeries series(const std::vector<results::SecondRow>& rows) {
  results::TimeSeries out;
  for (const results::SecondRow& row : rows) out.push_back(row);
  return out;
}

std::vector<results::SecondRow> kill_and_restart(uint64_t last = 12) {
  std::vector<results::SecondRow> seconds = {healthy(1), healthy(2), failing(3), failing(4)};
  results::SecondRow mixed;
  mixed.second = 5;
  mixed.requests = 80;
  mixed.errors = 20;
  mixed.ok = 60;
  mixed.by_error[static_cast<size_t>(metrics::ErrorKind::kRefused)] = 20;
  mixed.outcomes.record_error(at(4.1));
  mixed.outcomes.record_error(at(4.2));
  mixed.outcomes.record_ok(at(4.35));
  seconds.push_back(mixed);
  for (uint64_t k = 6; k <= last; ++k) seconds.push_back(healthy(k));
  return seconds;
}

TEST(Recovery, RunsFromTheFaultsEndToTheFirstSuccessAfterTheLastError) {
  std::vector<results::FaultOutcome> faults = {fault(2, 2)};
  measure_recovery(faults, series(kill_and_restart()), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 0.35, 1e-9);
  EXPECT_EQ(faults[0].errors, 50u + 50u + 20u);
  EXPECT_EQ(faults[0].errors_by_kind[static_cast<size_t>(metrics::ErrorKind::kRefused)], 120u);
}

TEST(Recovery, TheHealthyPeriodMustLastStableSeconds) {
  // Healthy from second 6 to 9 only: 4 seconds, short of the default 5, so never recovered.
  std::vector<results::SecondRow> seconds = kill_and_restart(9);
  std::vector<results::FaultOutcome> faults = {fault(2, 2)};
  measure_recovery(faults, series(seconds), kStart, {});
  EXPECT_FALSE(faults[0].recovery_s.has_value());
  EXPECT_EQ(faults[0].errors, 120u) << "errors to the end of the run";
  // With stable: 3s the same seconds recover.
  faults = {fault(2, 2, 3)};
  measure_recovery(faults, series(seconds), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 0.35, 1e-9);
}

TEST(Recovery, AFailingSecondInsideThePeriodMovesItLater) {
  std::vector<results::SecondRow> seconds = kill_and_restart(14);
  // Second 8 fails again (until 7.99 s); second 9 succeeds from 8.001 s, and 9-13 are healthy.
  seconds[7] = failing(8);
  std::vector<results::FaultOutcome> faults = {fault(2, 2)};
  measure_recovery(faults, series(seconds), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 8.001 - 4.0, 1e-9);
  EXPECT_EQ(faults[0].errors, 120u + 50u);
}

TEST(Recovery, AFaultThatHurtNothingRecoversAtTheFirstSuccess) {
  std::vector<results::SecondRow> seconds;
  for (uint64_t k = 1; k <= 12; ++k) seconds.push_back(healthy(k));
  std::vector<results::FaultOutcome> faults = {fault(2, 2)};
  measure_recovery(faults, series(seconds), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 0.001, 1e-9);
  EXPECT_EQ(faults[0].errors, 0u);
}

TEST(Recovery, FaultsBackToBackAreMeasuredEachFromItsOwnEnd) {
  // A second fault from 5 s to 7 s: seconds 6-7 fail, 8 recovers at 7.001 s.
  std::vector<results::SecondRow> seconds = kill_and_restart(14);
  seconds[5] = failing(6);
  seconds[6] = failing(7);
  std::vector<results::FaultOutcome> faults = {fault(2, 2), fault(5, 2)};
  measure_recovery(faults, series(seconds), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value() && faults[1].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 7.001 - 4.0, 1e-9) << "the first fault's period starts after the second";
  EXPECT_NEAR(*faults[1].recovery_s, 0.001, 1e-9);
  EXPECT_EQ(faults[1].errors, 100u);
}

TEST(Recovery, AnErrorRateSlaLetsASecondWithFewErrorsBeHealthy) {
  auto plan = plan::load_plan_string(R"(target: http://127.0.0.1:8080
phases: [{ name: p, duration: 20s, users: 1 }]
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
sla: ["error_rate < 5%"]
)",
                                     "p.yaml");
  ASSERT_TRUE(plan.has_value());
  auto slas = sla::compile_slas(*plan);
  ASSERT_TRUE(slas.has_value());
  std::vector<results::SecondRow> seconds = kill_and_restart();
  // Second 6 has 2 errors in 100 (2%, within the SLA) at 5.5 s, its first success after them at 5.6 s.
  seconds[5].errors = 2;
  seconds[5].ok = 98;
  seconds[5].outcomes.record_error(at(5.5));
  seconds[5].outcomes.record_ok(at(5.6));
  std::vector<results::FaultOutcome> faults = {fault(2, 2)};
  measure_recovery(faults, series(seconds), kStart, *slas);
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 0.35, 1e-9) << "second 6 is healthy under the SLA";
  faults = {fault(2, 2)};
  measure_recovery(faults, series(seconds), kStart, {});
  ASSERT_TRUE(faults[0].recovery_s.has_value());
  EXPECT_NEAR(*faults[0].recovery_s, 5.6 - 4.0, 1e-9) << "without SLAs any error makes a second unhealthy";
}

results::PhaseInfo phase(const std::string& name, double planned_s, double ran_s, double stable_s = 2) {
  results::PhaseInfo info;
  info.name = name;
  info.planned_duration_s = planned_s;
  info.duration_s = ran_s;
  info.stable_s = stable_s;
  return info;
}

// Phase a: seconds 1-2, healthy at once: it settled at its first success, 1 ms in. Phase b from 2 s: failing
// until 4.2 s, a success at 4.35 s, then healthy: it settled 2.35 s after its start. Phase c from 8 s:
// healthy again.
TEST(Settle, RunsFromThePhaseStartToTheFirstSuccessOfItsHealthyPeriod) {
  std::vector<results::PhaseInfo> phases = {phase("a", 2, 2), phase("b", 6, 6), phase("c", 4, 4)};
  measure_settle(phases, series(kill_and_restart(12)), kStart, {});
  ASSERT_TRUE(phases[0].settle_s.has_value());
  EXPECT_NEAR(*phases[0].settle_s, 0.001, 1e-9);
  ASSERT_TRUE(phases[1].settle_s.has_value());
  EXPECT_NEAR(*phases[1].settle_s, 2.35, 1e-9);
  ASSERT_TRUE(phases[2].settle_s.has_value());
  EXPECT_NEAR(*phases[2].settle_s, 0.001, 1e-6);
  for (const auto& p : phases) EXPECT_TRUE(p.settle_measured);
}

TEST(Settle, APhaseThatSettlesOnlyAfterItsEndHasNone) {
  // Phase b lasts 2 s (2 s to 4 s): the success at 4.35 s comes after it ended.
  std::vector<results::PhaseInfo> phases = {phase("a", 2, 2), phase("b", 2, 2), phase("c", 8, 8)};
  measure_settle(phases, series(kill_and_restart(12)), kStart, {});
  EXPECT_FALSE(phases[1].settle_s.has_value());
  EXPECT_TRUE(phases[1].settle_measured);
  ASSERT_TRUE(phases[2].settle_s.has_value());
  EXPECT_NEAR(*phases[2].settle_s, 0.35, 1e-9) << "phase c starts at 4 s, in the last failing second";
}

TEST(Settle, APhaseThatNeverRanOrNeverHoldsStableHasNone) {
  // b asks for 30 healthy seconds, cut to the 10 left in the run; only 7 come (seconds 6 to 12).
  std::vector<results::PhaseInfo> phases = {phase("a", 2, 2), phase("b", 6, 6, 30), phase("c", 4, 4),
                                            phase("d", 4, 0)};
  measure_settle(phases, series(kill_and_restart(12)), kStart, {});
  EXPECT_FALSE(phases[1].settle_s.has_value()) << "10 healthy seconds never came";
  EXPECT_TRUE(phases[2].settle_s.has_value()) << "4 s left from its start: 4 healthy seconds will do";
  EXPECT_FALSE(phases[3].settle_s.has_value()) << "the run ended before phase d";
}

}  // namespace
}  // namespace surge::fault
