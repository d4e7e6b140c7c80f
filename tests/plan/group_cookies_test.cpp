// `group` steps and a scenario's `cookies` key: what they read into, and the exact message and position of
// each mistake.
#include <gtest/gtest.h>

#include <variant>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

constexpr std::string_view kHead = "target: builtin\nphases: [{ name: p, duration: 1s, users: 1 }]\n";

Plan load_ok(std::string_view yaml) {
  auto plan = load_plan_string(yaml, "p.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().front().to_string());
  return plan ? *plan : Plan{};
}

TEST(GroupSteps, LaysAGroupOutFlatWithItsBodyCountInsideAndAroundLoops) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - loop:
          count: 3
          steps:
            - group:
                name: checkout
                steps:
                  - http: { url: /cart }
                  - group: { name: pay, steps: [ { http: { url: /pay } }, { think: 50ms } ] }
      - http: { url: /done }
)yaml");
  const std::vector<Step>& steps = plan.scenarios.at(0).steps;
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_EQ(std::get<LoopStep>(steps[0]).body_steps, 5u);
  const auto& checkout = std::get<GroupStep>(steps[1]);
  EXPECT_EQ(checkout.name, "checkout");
  EXPECT_EQ(checkout.body_steps, 4u);
  EXPECT_EQ(checkout.where.line, 9);
  EXPECT_EQ(std::get<GroupStep>(steps[3]).name, "pay");
  EXPECT_EQ(std::get<GroupStep>(steps[3]).body_steps, 2u);
  EXPECT_EQ(std::get<HttpStep>(steps[6]).url, "/done");
}

TEST(GroupSteps, RejectsAGroupWithoutAName) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - group: { steps: [ { http: { url: / } } ] }
)yaml"),
            Lines{"p.yaml:6:16: missing key 'name' in group"});
}

TEST(GroupSteps, RejectsAGroupWithoutSteps) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - group: { name: checkout }
)yaml"),
            Lines{"p.yaml:6:16: missing key 'steps' in group"});
}

TEST(GroupSteps, RejectsAGroupWithAnEmptyStepList) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - group: { name: checkout, steps: [] }
)yaml"),
            Lines{"p.yaml:6:41: steps: expected at least one step"});
}

TEST(GroupSteps, RejectsTwoGroupsOfTheSameName) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - group: { name: checkout, steps: [ { http: { url: /a } } ] }
      - group: { name: checkout, steps: [ { http: { url: /b } } ] }
)yaml"),
            Lines{"p.yaml:7:24: duplicate group name 'checkout'; the first is at 6:24"});
}

TEST(GroupSteps, RejectsAGroupNamedLikeAStep) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { name: login, url: /login }
      - group: { name: login, steps: [ { http: { url: /b } } ] }
)yaml"),
            Lines{"p.yaml:7:24: duplicate group name 'login'; the first is at 6:23"});
}

TEST(GroupSteps, RejectsANameHoldingThePathSeparator) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - group: { name: "a::b", steps: [ { http: { url: /b } } ] }
)yaml"),
            Lines{"p.yaml:6:24: group name 'a::b' must not contain '::'"});
}

TEST(Cookies, AreOffUnlessAScenarioTurnsThemOn) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - { name: plain, steps: [ { http: { url: / } } ] }
  - { name: user, cookies: true, steps: [ { http: { url: / } } ] }
  - { name: off, cookies: false, steps: [ { http: { url: / } } ] }
  - { name: fresh, cookies: { clear: iteration }, steps: [ { http: { url: / } } ] }
  - { name: kept, cookies: { clear: never }, steps: [ { http: { url: / } } ] }
)yaml");
  ASSERT_EQ(plan.scenarios.size(), 5u);
  EXPECT_EQ(plan.scenarios[0].cookies, CookieMode::kOff);
  EXPECT_EQ(plan.scenarios[1].cookies, CookieMode::kPerUser);
  EXPECT_EQ(plan.scenarios[2].cookies, CookieMode::kOff);
  EXPECT_EQ(plan.scenarios[3].cookies, CookieMode::kPerIteration);
  EXPECT_EQ(plan.scenarios[4].cookies, CookieMode::kPerUser);
}

TEST(Cookies, RejectsAValueThatIsNeitherABooleanNorAClearMap) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - { name: s, cookies: yes please, steps: [ { http: { url: / } } ] }
)yaml"),
            Lines{"p.yaml:4:25: cookies: expected true, false or { clear: iteration | never }, found 'yes please'"});
}

TEST(Cookies, RejectsAnUnknownClearMode) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - { name: s, cookies: { clear: request }, steps: [ { http: { url: / } } ] }
)yaml"),
            Lines{"p.yaml:4:34: cookies clear 'request': expected iteration or never"});
}

}  // namespace
}  // namespace surge::plan
