// The four load models of a phase (closed, open, constant, hold): each read into exact values, and each rule
// about their keys with its exact message and line:column. Phases are written on line 3 of a small plan.
#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

using namespace std::chrono_literals;

std::string plan_with(std::string_view phases) {
  return "target: builtin\nphases:\n" + std::string(phases) +
         "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n";
}

Phase only_phase(std::string_view phases) {
  auto plan = load_plan_string(plan_with(phases), "p.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  if (!plan || plan->phases.size() != 1) return Phase{};
  return plan->phases[0];
}

void expect_ramp(const Ramp& ramp, double from, double to) {
  EXPECT_EQ(ramp.from, from);
  EXPECT_EQ(ramp.to, to);
}

TEST(LoadModel, HasAPrintableNameForEachModel) {
  EXPECT_EQ(to_string(LoadModel::kClosed), "closed");
  EXPECT_EQ(to_string(LoadModel::kOpen), "open");
  EXPECT_EQ(to_string(LoadModel::kConstant), "constant");
  EXPECT_EQ(to_string(LoadModel::kHold), "hold");
}

TEST(LoadModel, ReadsAClosedPhaseAndLeavesTheOtherModelsZero) {
  Phase phase = only_phase("  - { name: a, duration: 10s, users: { from: 10, to: 100 } }\n");
  EXPECT_EQ(phase.model, LoadModel::kClosed);
  expect_ramp(phase.users, 10, 100);
  expect_ramp(phase.arrival_rate_per_s, 0, 0);
  EXPECT_EQ(phase.max_users, 0u);
  EXPECT_EQ(phase.connections, 0u);
  expect_ramp(phase.rate_per_s, 0, 0);
  expect_ramp(phase.connect_rate_per_s, 0, 0);
  EXPECT_EQ(phase.graceful_stop, 30s);
}

TEST(LoadModel, ReadsAnOpenPhaseWithARampedArrivalRate) {
  Phase phase = only_phase(
      "  - { name: spike, duration: 30s, arrival_rate: { from: 200/s, to: 2000/s }, max_users: 5000 }\n");
  EXPECT_EQ(phase.name, "spike");
  EXPECT_EQ(phase.duration, 30s);
  EXPECT_EQ(phase.model, LoadModel::kOpen);
  expect_ramp(phase.arrival_rate_per_s, 200, 2000);
  EXPECT_EQ(phase.max_users, 5000u);
  expect_ramp(phase.users, 0, 0);
  EXPECT_EQ(phase.connections, 0u);
}

TEST(LoadModel, ReadsAConstantArrivalRateInAnyUnit) {
  Phase phase = only_phase("  - { name: p, duration: 1m, arrival_rate: 12000/m, max_users: 10 }\n");
  EXPECT_EQ(phase.model, LoadModel::kOpen);
  expect_ramp(phase.arrival_rate_per_s, 200, 200);
}

TEST(LoadModel, AllowsAnArrivalRateRampingDownToZero) {
  Phase phase =
      only_phase("  - { name: p, duration: 1m, arrival_rate: { from: 0.5/s, to: 0 }, max_users: 1 }\n");
  expect_ramp(phase.arrival_rate_per_s, 0.5, 0);
}

TEST(LoadModel, ReadsAConstantThroughputPhase) {
  Phase phase = only_phase("  - { name: steady, duration: 1m, connections: 50, rate: 1000/s }\n");
  EXPECT_EQ(phase.model, LoadModel::kConstant);
  EXPECT_EQ(phase.connections, 50u);
  expect_ramp(phase.rate_per_s, 1000, 1000);
  expect_ramp(phase.connect_rate_per_s, 0, 0);
  EXPECT_EQ(phase.max_users, 0u);
}

TEST(LoadModel, ReadsAConstantThroughputPhaseWithARampedRate) {
  Phase phase =
      only_phase("  - { name: p, duration: 1m, connections: 8, rate: { from: 100/s, to: 3600/h } }\n");
  EXPECT_EQ(phase.model, LoadModel::kConstant);
  expect_ramp(phase.rate_per_s, 100, 1);
}

TEST(LoadModel, ReadsAHoldPhaseWithoutTraffic) {
  Phase phase = only_phase("  - { name: hold, duration: 1m, connections: 100000, connect_rate: 20000/s }\n");
  EXPECT_EQ(phase.model, LoadModel::kHold);
  EXPECT_EQ(phase.connections, 100000u);
  expect_ramp(phase.connect_rate_per_s, 20000, 20000);
  expect_ramp(phase.rate_per_s, 0, 0);
}

TEST(LoadModel, ReadsAHoldPhaseWithKeepAliveTraffic) {
  Phase phase =
      only_phase("  - { name: hold, duration: 1m, rate: 10000/s, connections: 100, connect_rate: 50/s }\n");
  EXPECT_EQ(phase.model, LoadModel::kHold);
  EXPECT_EQ(phase.connections, 100u);
  expect_ramp(phase.connect_rate_per_s, 50, 50);
  expect_ramp(phase.rate_per_s, 10000, 10000);
}

TEST(LoadModel, AcceptsAHoldPhaseThatStartsConnectingLater) {
  Phase phase =
      only_phase("  - { name: p, duration: 1m, connections: 10, connect_rate: { from: 0, to: 100/s } }\n");
  expect_ramp(phase.connect_rate_per_s, 0, 100);
}

TEST(LoadModel, ReadsAPhaseGracefulStopIncludingZero) {
  auto plan = load_plan_string(plan_with("  - { name: a, duration: 1s, users: 1, graceful_stop: 5s }\n"
                                         "  - { name: b, duration: 1s, users: 1, graceful_stop: 0s }\n"),
                               "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error()[0].to_string();
  EXPECT_EQ(plan->phases[0].graceful_stop, 5s);
  EXPECT_EQ(plan->phases[1].graceful_stop, 0s);
}

TEST(LoadModel, TakesThePlanGracefulStopAsEveryPhaseDefault) {
  auto plan = load_plan_string(R"(target: builtin
graceful_stop: 10s
phases:
  - { name: a, duration: 1s, users: 1 }
  - { name: b, duration: 1s, users: 1, graceful_stop: 2s }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)",
                               "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error()[0].to_string();
  EXPECT_EQ(plan->phases[0].graceful_stop, 10s);
  EXPECT_EQ(plan->phases[1].graceful_stop, 2s);
}

TEST(LoadModel, KeepsTotalDurationTheSumOfAllModelsPhases) {
  auto plan = load_plan_string(plan_with("  - { name: a, duration: 1s, users: 1 }\n"
                                         "  - { name: b, duration: 2s, arrival_rate: 1, max_users: 1 }\n"
                                         "  - { name: c, duration: 3s, connections: 1, rate: 1 }\n"
                                         "  - { name: d, duration: 4s, connections: 1, connect_rate: 1 }\n"),
                               "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error()[0].to_string();
  EXPECT_EQ(plan->total_duration(), 10s);
}

TEST(LoadModelRules, RejectsClosedAndOpenKeysInOnePhase) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, users: 5, arrival_rate: 200/s }\n")),
            Lines{"p.yaml:3:40: phase mixes closed (users) and open (arrival_rate) keys; use one load model "
                  "per phase"});
}

TEST(LoadModelRules, RejectsOpenAndHoldKeysInOnePhase) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s, arrival_rate: 1, max_users: 2, connections: 3, "
                               "connect_rate: 4 }\n")),
      Lines{"p.yaml:3:61: phase mixes open (arrival_rate, max_users) and hold (connections, connect_rate) "
            "keys; use one load model per phase"});
}

TEST(LoadModelRules, NamesEveryModelOfAThreeWayMix) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s, rate: 1, users: 2, arrival_rate: 3 }\n")),
      Lines{"p.yaml:3:39: phase mixes constant (rate), closed (users) and open (arrival_rate) keys; use "
            "one load model per phase"});
}

TEST(LoadModelRules, RejectsAPhaseWithoutALoadModel) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s }\n")),
      Lines{"p.yaml:3:5: phase has no load model; add users (closed), arrival_rate and max_users (open), "
            "connections and rate (constant) or connections and connect_rate (hold)"});
}

TEST(LoadModelRules, RejectsAnArrivalRateWithoutMaxUsers) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s, arrival_rate: 200/s }\n")),
      Lines{"p.yaml:3:30: phase has arrival_rate without max_users; add max_users, the most iterations in "
            "flight at once, like max_users: 1000"});
}

TEST(LoadModelRules, RejectsMaxUsersWithoutAnArrivalRate) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s, max_users: 10 }\n")),
      Lines{"p.yaml:3:30: phase has max_users without arrival_rate; add arrival_rate, like arrival_rate: "
            "200/s"});
}

TEST(LoadModelRules, RejectsConnectionsWithoutRateOrConnectRate) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, connections: 50 }\n")),
            Lines{"p.yaml:3:30: phase has connections without rate or connect_rate; add rate (constant "
                  "throughput, like rate: 1000/s) or connect_rate (hold, like connect_rate: 1000/s)"});
}

TEST(LoadModelRules, RejectsARateWithoutConnections) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, rate: 1000/s }\n")),
            Lines{"p.yaml:3:30: phase has rate without connections; add connections, like connections: 50"});
}

TEST(LoadModelRules, RejectsAConnectRateWithoutConnections) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, connect_rate: 10/s, rate: 1/s }\n")),
            Lines{"p.yaml:3:30: phase has connect_rate without connections; add connections, like "
                  "connections: 50"});
}

TEST(LoadModelRules, RejectsZeroMaxUsers) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, arrival_rate: 1, max_users: 0 }\n")),
            Lines{"p.yaml:3:58: max_users must be a whole number from 1 to 10000000, found '0'"});
}

TEST(LoadModelRules, RejectsZeroConnections) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, connections: 0, rate: 1 }\n")),
            Lines{"p.yaml:3:43: connections must be a whole number from 1 to 10000000, found '0'"});
}

TEST(LoadModelRules, RejectsAHoldPhaseWhoseConnectionsNeverOpen) {
  EXPECT_EQ(
      diagnostics_of(plan_with("  - { name: p, duration: 1s, connections: 5, connect_rate: 0/s }\n")),
      Lines{"p.yaml:3:60: connect_rate is 0 for the whole phase, so its connections never open; expected "
            "> 0 at some point"});
}

TEST(LoadModelRules, RejectsAHoldRampThatStaysAtZero) {
  EXPECT_EQ(
      diagnostics_of(
          plan_with("  - { name: p, duration: 1s, connections: 5, connect_rate: { from: 0, to: 0/m } }\n")),
      Lines{"p.yaml:3:60: connect_rate is 0 for the whole phase, so its connections never open; expected "
            "> 0 at some point"});
}

TEST(LoadModelRules, ReportsAnInvalidRateAtItsValue) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, arrival_rate: 20x/s, max_users: 5 }\n")),
            Lines{"p.yaml:3:44: invalid rate \"20x/s\": expected a number per second like 200/s, 12000/m or "
                  "0.5/s"});
}

TEST(LoadModelRules, ReportsANegativeRateInsideARamp) {
  EXPECT_EQ(diagnostics_of(
                plan_with("  - { name: p, duration: 1s, connections: 1, rate: { from: 5/s, to: -1/s } }\n")),
            Lines{"p.yaml:3:69: invalid rate \"-1/s\": a rate cannot be negative"});
}

TEST(LoadModelRules, RejectsARateGivenAsASequence) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, arrival_rate: [1, 2], max_users: 5 }\n")),
            Lines{"p.yaml:3:44: arrival_rate: expected a rate like 200/s or { from, to }, found a sequence"});
}

TEST(LoadModelRules, RejectsARampEndThatIsNotARate) {
  EXPECT_EQ(diagnostics_of(plan_with(
                "  - { name: p, duration: 1s, arrival_rate: { from: 1, to: {} }, max_users: 5 }\n")),
            Lines{"p.yaml:3:59: to: expected a rate like 200/s, found a map"});
}

TEST(LoadModelRules, RejectsARateRampWithoutTo) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, connections: 1, rate: { from: 5/s } }\n")),
            Lines{"p.yaml:3:52: missing key 'to' in rate"});
}

TEST(LoadModelRules, RejectsANegativeGracefulStop) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, users: 1, graceful_stop: -1s }\n")),
            Lines{"p.yaml:3:55: invalid duration \"-1s\": a duration cannot be negative"});
}

TEST(LoadModelRules, RejectsAnInvalidPlanGracefulStop) {
  EXPECT_EQ(
      diagnostics_of("target: builtin\ngraceful_stop: soon\nphases: [{ name: p, duration: 1s, users: 1 }]\n"
                     "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n"),
      Lines{"p.yaml:2:16: invalid duration \"soon\": expected a number with a unit ns, us, ms, s, m or h, "
            "like 10s or 1m30s"});
}

TEST(LoadModel, ScheduleSlackDefaultsToOneMillisecondAndTakesZero) {
  auto plain = load_plan_string(plan_with("  - { name: a, duration: 1s, arrival_rate: 10/s, max_users: 5 }\n"), "p.yaml");
  ASSERT_TRUE(plain.has_value()) << plain.error()[0].to_string();
  EXPECT_EQ(plain->schedule_slack, 1ms);
  auto exact = load_plan_string("schedule_slack: 0s\n" + plan_with("  - { name: a, duration: 1s, arrival_rate: 10/s, max_users: 5 }\n"),
                                "p.yaml");
  ASSERT_TRUE(exact.has_value()) << exact.error()[0].to_string();
  EXPECT_EQ(exact->schedule_slack, 0ms);
}

TEST(LoadModel, RefusesAScheduleSlackOverAHundredMilliseconds) {
  auto plan = load_plan_string("schedule_slack: 250ms\n" + plan_with("  - { name: a, duration: 1s, users: 1 }\n"),
                               "p.yaml");
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error()[0].to_string(), "p.yaml:1:17: schedule_slack must be at most 100ms");
}

}  // namespace
}  // namespace surge::plan
