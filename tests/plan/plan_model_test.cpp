// The small behaviours of the plan model itself: ramps, total duration, how a diagnostic prints.
#include <gtest/gtest.h>

#include "plan/plan.h"

namespace surge::plan {
namespace {

using namespace std::chrono_literals;

TEST(Ramp, StartsAtFromAndEndsAtTo) {
  Ramp ramp{5, 50};
  EXPECT_DOUBLE_EQ(ramp.at(0), 5);
  EXPECT_DOUBLE_EQ(ramp.at(1), 50);
}

TEST(Ramp, MovesLinearlyInBetween) {
  Ramp ramp{5, 50};
  EXPECT_DOUBLE_EQ(ramp.at(0.5), 27.5);
  EXPECT_DOUBLE_EQ(ramp.at(0.2), 14);
}

TEST(Ramp, RampsDown) { EXPECT_DOUBLE_EQ((Ramp{100, 0}).at(0.25), 75); }

TEST(Ramp, IsConstantWhenFromEqualsTo) { EXPECT_DOUBLE_EQ((Ramp{7, 7}).at(0.3), 7); }

TEST(Ramp, ClampsFractionsOutsideThePhase) {
  Ramp ramp{10, 20};
  EXPECT_DOUBLE_EQ(ramp.at(-0.5), 10);
  EXPECT_DOUBLE_EQ(ramp.at(1.5), 20);
}

TEST(Plan, TotalDurationIsTheSumOfThePhases) {
  Plan plan;
  plan.phases.push_back({"a", 5s, LoadModel::kClosed, {1, 1}});
  plan.phases.push_back({"b", 1500ms, LoadModel::kClosed, {1, 1}});
  EXPECT_EQ(plan.total_duration(), 6500ms);
}

TEST(Plan, TotalDurationOfNoPhasesIsZero) { EXPECT_EQ(Plan().total_duration(), 0ns); }

TEST(Diagnostic, PrintsFileLineColumnAndMessage) {
  Diagnostic diagnostic{{"quickstart.yaml", 12, 7}, "unknown key 'duraton' in phase"};
  EXPECT_EQ(diagnostic.to_string(), "quickstart.yaml:12:7: unknown key 'duraton' in phase");
}

TEST(Diagnostic, PrintsOnlyTheFileWithoutALine) {
  EXPECT_EQ((Diagnostic{{"p.yaml", 0, 0}, "plan is empty"}).to_string(), "p.yaml: plan is empty");
}

TEST(Diagnostic, PrintsOnlyTheMessageWithoutALocation) {
  EXPECT_EQ((Diagnostic{{}, "cannot read plan 'x.yaml': No such file or directory"}).to_string(),
            "cannot read plan 'x.yaml': No such file or directory");
}

}  // namespace
}  // namespace surge::plan
