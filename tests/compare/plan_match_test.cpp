// Two files are compared only when they ran one plan; otherwise the user learns which steps match.
#include "compare/plan_match.h"

#include <gtest/gtest.h>

namespace surge::compare {
namespace {

RunFigures run_of(const std::string& plan, std::vector<std::string> phases,
                  std::vector<std::pair<std::string, std::string>> steps) {
  RunFigures run;
  run.plan = plan;
  for (const std::string& name : phases) run.phases.push_back(ScopeFigures{ScopeKind::kPhase, "", "", name});
  for (const auto& [scenario, name] : steps)
    run.steps.push_back(ScopeFigures{ScopeKind::kStep, scenario, "", name});
  return run;
}

TEST(PlanMatch, RunsOfOnePlanMatch) {
  const RunFigures run = run_of("shop", {"warm", "steady"}, {{"browse", "home"}, {"browse", "cart"}});
  EXPECT_FALSE(find_plan_mismatch(run, run));
}

TEST(PlanMatch, AnotherPlanSaysWhichStepsMatchAndWhichDoNot) {
  const RunFigures base = run_of("shop", {"steady"}, {{"browse", "home"}, {"browse", "cart"}});
  const RunFigures candidate = run_of("api", {"steady"}, {{"browse", "home"}, {"api", "users"}});
  const auto mismatch = find_plan_mismatch(base, candidate);
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->steps_in_both, std::vector<std::string>{"browse / home"});
  EXPECT_EQ(mismatch->steps_only_in_base, std::vector<std::string>{"browse / cart"});
  EXPECT_EQ(mismatch->steps_only_in_candidate, std::vector<std::string>{"api / users"});
  EXPECT_EQ(describe_plan_mismatch(*mismatch, "base.json", "new.json"),
            "'new.json' ran another plan than 'base.json': plan 'api' vs 'shop'\n"
            "  steps in both: browse / home\n"
            "  steps only in 'base.json': browse / cart\n"
            "  steps only in 'new.json': api / users");
}

TEST(PlanMatch, TheSamePlanNameWithOtherPhasesDoesNotMatch) {
  const RunFigures base = run_of("shop", {"warm", "steady"}, {{"browse", "home"}});
  const RunFigures candidate = run_of("shop", {"steady"}, {{"browse", "home"}});
  const auto mismatch = find_plan_mismatch(base, candidate);
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(describe_plan_mismatch(*mismatch, "a.json", "b.json"),
            "'b.json' ran another plan than 'a.json': both are plan 'shop', but its steps or phases differ\n"
            "  steps in both: browse / home\n"
            "  phases: 'a.json' has warm, steady; 'b.json' has steady");
}

TEST(PlanMatch, StepsOfOneNameAreCountedOneByOneAndTheirOrderMatters) {
  const RunFigures base = run_of("shop", {"steady"}, {{"s", "GET /"}, {"s", "GET /"}, {"s", "cart"}});
  const RunFigures twice = run_of("shop", {"steady"}, {{"s", "GET /"}, {"s", "cart"}});
  EXPECT_EQ(find_plan_mismatch(base, twice)->steps_only_in_base, std::vector<std::string>{"s / GET /"});
  const RunFigures reordered = run_of("shop", {"steady"}, {{"s", "cart"}, {"s", "GET /"}, {"s", "GET /"}});
  EXPECT_EQ(describe_plan_mismatch(*find_plan_mismatch(base, reordered), "a.json", "b.json"),
            "'b.json' ran another plan than 'a.json': both are plan 'shop', but its steps or phases differ\n"
            "  steps in both: s / GET /, s / GET /, s / cart\n"
            "  the steps are in another order");
}

}  // namespace
}  // namespace surge::compare
