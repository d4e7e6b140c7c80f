// `arrivals:` of an open phase: uniform (the default) or poisson, read into Phase::arrivals; any other value,
// or the key on a phase of another model, is a plan error with its line:column. Phases are on line 3.
#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

std::string plan_with(std::string_view phases) {
  return "target: builtin\nphases:\n" + std::string(phases) +
         "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n";
}

Arrivals arrivals_of(std::string_view phases) {
  auto plan = load_plan_string(plan_with(phases), "p.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  if (!plan || plan->phases.size() != 1) return Arrivals::kUniform;
  return plan->phases[0].arrivals;
}

TEST(Arrivals, AreUniformWhenAnOpenPhaseNamesNone) {
  EXPECT_EQ(arrivals_of("  - { name: p, duration: 1s, arrival_rate: 200/s, max_users: 10 }\n"),
            Arrivals::kUniform);
}

TEST(Arrivals, ReadsPoissonOnAnOpenPhase) {
  EXPECT_EQ(arrivals_of("  - { name: open, duration: 60s, arrival_rate: 1000/s, max_users: 500, arrivals: "
                        "poisson }\n"),
            Arrivals::kPoisson);
}

TEST(Arrivals, ReadsPoissonOnARampedOpenPhase) {
  EXPECT_EQ(arrivals_of("  - { name: p, duration: 1s, arrival_rate: { from: 1/s, to: 9/s }, max_users: 1, "
                        "arrivals: poisson }\n"),
            Arrivals::kPoisson);
}

TEST(Arrivals, ReadsUniformWrittenOut) {
  EXPECT_EQ(arrivals_of("  - { name: p, duration: 1s, arrival_rate: 5, max_users: 1, arrivals: uniform }\n"),
            Arrivals::kUniform);
}

TEST(ArrivalsRules, RejectsAnUnknownSpacingWithWhatIsExpected) {
  EXPECT_EQ(diagnostics_of(plan_with(
                "  - { name: p, duration: 1s, arrival_rate: 5, max_users: 1, arrivals: exponential }\n")),
            Lines{"p.yaml:3:71: arrivals 'exponential': expected uniform or poisson"});
}

TEST(ArrivalsRules, RejectsArrivalsOnAClosedPhase) {
  EXPECT_EQ(diagnostics_of(plan_with("  - { name: p, duration: 1s, users: 5, arrivals: poisson }\n")),
            Lines{"p.yaml:3:40: arrivals applies to open phases (arrival_rate) only; this phase is closed; "
                  "remove arrivals, or use arrival_rate and max_users"});
}

TEST(ArrivalsRules, RejectsArrivalsOnAConstantThroughputPhase) {
  EXPECT_EQ(diagnostics_of(
                plan_with("  - { name: p, duration: 1s, connections: 2, rate: 100/s, arrivals: poisson }\n")),
            Lines{"p.yaml:3:59: arrivals applies to open phases (arrival_rate) only; this phase is constant; "
                  "remove arrivals, or use arrival_rate and max_users"});
}

TEST(ArrivalsRules, RejectsArrivalsOnAHoldPhase) {
  EXPECT_EQ(diagnostics_of(plan_with(
                "  - { name: p, duration: 1s, connections: 2, connect_rate: 100/s, arrivals: uniform }\n")),
            Lines{"p.yaml:3:67: arrivals applies to open phases (arrival_rate) only; this phase is hold; "
                  "remove arrivals, or use arrival_rate and max_users"});
}

TEST(ArrivalsRules, RejectsAMapWhereASpacingNameBelongs) {
  EXPECT_EQ(
      diagnostics_of(plan_with(
          "  - { name: p, duration: 1s, arrival_rate: 5, max_users: 1, arrivals: { kind: poisson } }\n")),
      Lines{"p.yaml:3:71: arrivals: expected a string, found a map"});
}

}  // namespace
}  // namespace surge::plan
