// Run-time overrides of a plan: --env selection and header merge, --set by name, index and new key,
// --scale of durations and --max-users scaling of every load figure, with the exact messages of each misuse.
#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPlan = R"(target: http://localhost:8080/
timeout: 5s
headers: { X-Team: perf, X-Env: default }
environments:
  staging: { target: "http://staging:8080", headers: { x-env: s, X-Extra: "1" } }
  local: { timeout: 1s }
phases:
  - { name: warm-up, duration: 5m, users: 5 }
  - { name: ramp-up, duration: 1m, users: { from: 5, to: 50 } }
scenarios:
  - { name: browse, steps: [{ think: 1ms }] }
  - { name: buy, weight: 2, steps: [{ think: 1ms }] }
)";

Plan load(std::string_view yaml, const Overrides& overrides) {
  auto plan = load_plan_string(yaml, "p.yaml", overrides);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  return plan ? *plan : Plan{};
}

Lines diagnostics_with(std::string_view yaml, const Overrides& overrides) {
  auto plan = load_plan_string(yaml, "p.yaml", overrides);
  Lines lines;
  if (!plan) {
    for (const Diagnostic& diagnostic : plan.error()) lines.push_back(diagnostic.to_string());
  }
  return lines;
}

Overrides with_env(std::string name) {
  Overrides overrides;
  overrides.environment = std::move(name);
  return overrides;
}

Overrides with_sets(std::vector<std::pair<std::string, std::string>> sets) {
  Overrides overrides;
  overrides.sets = std::move(sets);
  return overrides;
}

TEST(Environments, AreCheckedButNotAppliedWithoutEnv) {
  Plan plan = load(kPlan, {});
  EXPECT_EQ(plan.target_url, "http://localhost:8080/");
  EXPECT_EQ(plan.request_timeout, 5s);
  ASSERT_EQ(plan.headers.size(), 2u);
  EXPECT_EQ(plan.headers[1].value, "default");
}

TEST(Environments, ReplaceTheTargetAndMergeHeadersWithTheEnvironmentWinning) {
  Plan plan = load(kPlan, with_env("staging"));
  EXPECT_EQ(plan.target_url, "http://staging:8080");
  EXPECT_FALSE(plan.builtin_target);
  EXPECT_EQ(plan.request_timeout, 5s);
  ASSERT_EQ(plan.headers.size(), 3u);
  EXPECT_EQ(plan.headers[0].name, "X-Team");
  EXPECT_EQ(plan.headers[0].value, "perf");
  EXPECT_EQ(plan.headers[1].name, "x-env");
  EXPECT_EQ(plan.headers[1].value, "s");
  EXPECT_EQ(plan.headers[2].name, "X-Extra");
  EXPECT_EQ(plan.headers[2].value, "1");
}

TEST(Environments, ReplaceOnlyWhatTheyName) {
  Plan plan = load(kPlan, with_env("local"));
  EXPECT_EQ(plan.target_url, "http://localhost:8080/");
  EXPECT_EQ(plan.request_timeout, 1s);
  EXPECT_EQ(plan.headers.size(), 2u);
}

TEST(Environments, CanSwitchToTheBuiltinTarget) {
  Plan plan = load(
      "target: http://x/\nenvironments: { ci: { target: builtin } }\n"
      "phases: [{ name: p, duration: 1s, users: 1 }]\nscenarios: [{ name: s, steps: [{ think: 1ms }] }]\n",
      with_env("ci"));
  EXPECT_TRUE(plan.builtin_target);
  EXPECT_EQ(plan.target_url, "");
}

TEST(Environments, ReportAnUnknownNameAtTheEnvironmentsKeyListingTheDefinedOnes) {
  EXPECT_EQ(diagnostics_with(kPlan, with_env("prod")),
            Lines{"p.yaml:4:1: unknown environment 'prod'; the plan defines: staging, local"});
}

TEST(Environments, ReportAnUnknownNameAtTheFileStartWhenThePlanHasNone) {
  EXPECT_EQ(diagnostics_with("target: builtin\nphases: [{ name: p, duration: 1s, users: 1 }]\n"
                             "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n",
                             with_env("prod")),
            Lines{"p.yaml:1:1: unknown environment 'prod'; the plan defines no environments"});
}

TEST(Environments, AreValidatedEvenWhenNotSelected) {
  EXPECT_EQ(
      diagnostics_of("target: builtin\nenvironments:\n  old: { target: ftp://x, colour: red }\n"
                     "phases: [{ name: p, duration: 1s, users: 1 }]\n"
                     "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n"),
      (Lines{"p.yaml:3:27: unknown key 'colour' in environment 'old'; expected one of: target, headers, "
             "timeout",
             "p.yaml:3:18: target must be builtin or an http:// or https:// URL, found 'ftp://x'"}));
}

TEST(Environments, MustHaveUniqueNames) {
  EXPECT_EQ(diagnostics_of("target: builtin\nenvironments:\n  a: { timeout: 1s }\n  a: { timeout: 2s }\n"
                           "phases: [{ name: p, duration: 1s, users: 1 }]\n"
                           "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n"),
            Lines{"p.yaml:4:3: duplicate environment name 'a'; the first is at 3:3"});
}

TEST(Environments, MustBeAMap) {
  EXPECT_EQ(
      diagnostics_of("target: builtin\nenvironments: [staging]\n"
                     "phases: [{ name: p, duration: 1s, users: 1 }]\n"
                     "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n"),
      Lines{"p.yaml:2:15: environments: expected a map of names to { target, headers, timeout }, found a "
            "sequence"});
}

TEST(Environments, CanGiveTheTargetThePlanLeavesOut) {
  constexpr std::string_view kNoTarget =
      "environments: { dev: { target: \"http://dev:1\" } }\n"
      "phases: [{ name: p, duration: 1s, users: 1 }]\nscenarios: [{ name: s, steps: [{ think: 1ms }] }]\n";
  EXPECT_EQ(load(kNoTarget, with_env("dev")).target_url, "http://dev:1");
  EXPECT_EQ(diagnostics_of(kNoTarget), Lines{"p.yaml:1:1: missing key 'target' in plan"});
}

TEST(ParseSetFlag, SplitsAtTheFirstEquals) {
  auto set = parse_set_flag("target=http://x/?a=b");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->first, "target");
  EXPECT_EQ(set->second, "http://x/?a=b");
}

TEST(ParseSetFlag, AllowsAnEmptyValue) {
  auto set = parse_set_flag("phases.0.name=");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->first, "phases.0.name");
  EXPECT_EQ(set->second, "");
}

TEST(ParseSetFlag, RejectsAFlagWithoutEquals) {
  EXPECT_EQ(parse_set_flag("phases.0.users").error().message,
            "invalid --set \"phases.0.users\": expected KEY=VALUE like phases.0.users=10");
}

TEST(ParseSetFlag, RejectsAnEmptyKey) {
  EXPECT_EQ(parse_set_flag("=5").error().message,
            "invalid --set \"=5\": expected KEY=VALUE like phases.0.users=10");
}

TEST(ParseSetFlag, RejectsAnEmptyPartOfThePath) {
  EXPECT_EQ(
      parse_set_flag("phases..users=1").error().message,
      "invalid --set \"phases..users=1\": the key 'phases..users' has an empty part; expected a dotted path "
      "like phases.ramp-up.duration");
}

TEST(SetOverride, ReplacesTopLevelScalars) {
  Plan plan = load(kPlan, with_sets({{"target", "http://127.0.0.1:9000"}, {"timeout", "2s"}}));
  EXPECT_EQ(plan.target_url, "http://127.0.0.1:9000");
  EXPECT_EQ(plan.request_timeout, 2s);
}

TEST(SetOverride, SelectsAPhaseByName) {
  Plan plan = load(kPlan, with_sets({{"phases.ramp-up.duration", "30s"}}));
  EXPECT_EQ(plan.phases[0].duration, 5min);
  EXPECT_EQ(plan.phases[1].duration, 30s);
}

TEST(SetOverride, SelectsAPhaseByIndexAndReplacesARampWithAScalar) {
  Plan plan = load(kPlan, with_sets({{"phases.1.users", "10"}}));
  EXPECT_EQ(plan.phases[1].users.from, 10);
  EXPECT_EQ(plan.phases[1].users.to, 10);
  EXPECT_EQ(plan.phases[0].users.from, 5);
}

TEST(SetOverride, ReachesInsideARamp) {
  Plan plan = load(kPlan, with_sets({{"phases.ramp-up.users.to", "80"}}));
  EXPECT_EQ(plan.phases[1].users.from, 5);
  EXPECT_EQ(plan.phases[1].users.to, 80);
}

TEST(SetOverride, SelectsAScenarioByName) {
  Plan plan = load(kPlan, with_sets({{"scenarios.browse.weight", "5"}}));
  EXPECT_EQ(plan.scenarios[0].weight, 5);
  EXPECT_EQ(plan.scenarios[1].weight, 2);
}

TEST(SetOverride, AddsANewKeyToAnExistingMap) {
  Plan plan = load(kPlan, with_sets({{"phases.warm-up.graceful_stop", "1s"}}));
  EXPECT_EQ(plan.phases[0].graceful_stop, 1s);
  EXPECT_EQ(plan.phases[1].graceful_stop, 30s);
}

TEST(SetOverride, ChangesAnEnvironmentBeforeItIsSelected) {
  Overrides overrides = with_env("staging");
  overrides.sets = {{"environments.staging.target", "http://other:1"}};
  EXPECT_EQ(load(kPlan, overrides).target_url, "http://other:1");
}

TEST(SetOverride, ValidatesANewKeyLikeOneInTheFile) {
  EXPECT_EQ(
      diagnostics_with(kPlan, with_sets({{"phases.0.colour", "red"}})),
      Lines{"(--set): unknown key 'colour' in phase; expected one of: name, duration, users, arrival_rate, "
            "max_users, arrivals, connections, rate, connect_rate, graceful_stop, stable"});
}

TEST(SetOverride, ValidatesASetValueLikeOneInTheFile) {
  EXPECT_EQ(diagnostics_with(kPlan, with_sets({{"phases.0.users", "many"}})),
            Lines{"(--set): users must be a whole number from 0 to 10000000, found 'many'"});
}

TEST(SetOverride, ReportsAMissingElementName) {
  EXPECT_EQ(diagnostics_with(kPlan, with_sets({{"phases.nope.duration", "1s"}})),
            Lines{"(--set): phases.nope.duration: no element named 'nope' in phases"});
}

TEST(SetOverride, ReportsAnIndexOutOfRange) {
  EXPECT_EQ(diagnostics_with(kPlan, with_sets({{"phases.2.users", "1"}})),
            Lines{"(--set): phases.2.users: no element 2 in phases, which has 2 elements"});
}

TEST(SetOverride, ReportsDescendingIntoAScalar) {
  EXPECT_EQ(
      diagnostics_with(kPlan, with_sets({{"phases.warm-up.users.from", "1"}})),
      Lines{"(--set): phases.warm-up.users.from: cannot descend into phases.warm-up.users: expected a "
            "map or a sequence, found '5'"});
}

TEST(SetOverride, ReportsAMissingKeyOnTheWay) {
  EXPECT_EQ(diagnostics_with(kPlan, with_sets({{"sla.p95", "1s"}})),
            Lines{"(--set): sla.p95: no key 'sla' in plan"});
}

TEST(SetOverride, KeepsReportingThePlansOwnErrors) {
  std::string yaml(kPlan);
  yaml.replace(yaml.find("timeout: 5s"), 11, "timeout: 0s");
  EXPECT_EQ(diagnostics_with(yaml, with_sets({{"phases.nope.users", "1"}})),
            (Lines{"(--set): phases.nope.users: no element named 'nope' in phases",
                   "p.yaml:2:10: timeout must be > 0, found '0s'"}));
}

TEST(ScaleOverride, MultipliesDurationsAndGracefulStopsExactly) {
  Overrides overrides;
  overrides.scale = 0.01;
  Plan plan = load(kPlan, overrides);
  EXPECT_EQ(plan.phases[0].duration, 3s);
  EXPECT_EQ(plan.phases[1].duration, 600ms);
  EXPECT_EQ(plan.phases[0].graceful_stop, 300ms);
  EXPECT_EQ(plan.total_duration(), 3600ms);
  EXPECT_EQ(plan.phases[1].users.to, 50);
}

TEST(ScaleOverride, CanLengthenAPlan) {
  Overrides overrides;
  overrides.scale = 2.5;
  EXPECT_EQ(load(kPlan, overrides).phases[1].duration, 150s);
}

TEST(ScaleOverride, RejectsAScaleThatIsNotPositive) {
  for (double scale : {0.0, -1.0}) {
    Overrides overrides;
    overrides.scale = scale;
    EXPECT_EQ(diagnostics_with(kPlan, overrides), Lines{"(--scale): --scale must be a number > 0, found " +
                                                        std::string(scale == 0 ? "0" : "-1")});
  }
}

TEST(ScaleOverride, RejectsAScaleThatLeavesAPhaseNoTime) {
  Overrides overrides;
  overrides.scale = 2e-12;  // 5 min becomes 0.6 ns, rounded to 1; 1 min 0.12 ns
  EXPECT_EQ(diagnostics_with(kPlan, overrides),
            Lines{"(--scale): --scale 2e-12 makes phase 'ramp-up' last 0s; expected a duration > 0"});
}

// Six phases peaking at 10,000 users, scaled to 100: every figure is divided by 100.
constexpr std::string_view kSixPhases = R"(target: builtin
phases:
  - { name: warm-up,   duration: 1s, users: 1000 }
  - { name: ramp-up,   duration: 1s, users: { from: 1000, to: 10000 } }
  - { name: spike,     duration: 1s, arrival_rate: { from: 200/s, to: 2000/s }, max_users: 5000 }
  - { name: steady,    duration: 1s, connections: 50, rate: 1000/s }
  - { name: hold,      duration: 1s, connections: 10000, connect_rate: 2000/s, rate: 500/s }
  - { name: cool-down, duration: 1s, users: { from: 10, to: 0 } }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)";

Overrides with_max_users(uint64_t max_users) {
  Overrides overrides;
  overrides.max_users = max_users;
  return overrides;
}

TEST(MaxUsersOverride, ScalesEveryPhaseByOneFactorSoThePeakIsN) {
  Plan plan = load(kSixPhases, with_max_users(100));
  ASSERT_EQ(plan.phases.size(), 6u);
  EXPECT_EQ(plan.phases[0].users.from, 10);
  EXPECT_EQ(plan.phases[1].users.from, 10);
  EXPECT_EQ(plan.phases[1].users.to, 100);
  EXPECT_EQ(plan.phases[2].arrival_rate_per_s.from, 2);
  EXPECT_EQ(plan.phases[2].arrival_rate_per_s.to, 20);
  EXPECT_EQ(plan.phases[2].max_users, 50u);
  EXPECT_EQ(plan.phases[3].connections, 1u);  // 0.5 rounds up
  EXPECT_EQ(plan.phases[3].rate_per_s.from, 10);
  EXPECT_EQ(plan.phases[4].connections, 100u);
  EXPECT_EQ(plan.phases[4].connect_rate_per_s.to, 20);
  EXPECT_EQ(plan.phases[4].rate_per_s.from, 5);
}

TEST(MaxUsersOverride, KeepsAtLeastOneWhereThereWasOneAndZeroWhereThereWasNone) {
  Plan plan = load(kSixPhases, with_max_users(100));
  EXPECT_EQ(plan.phases[5].users.from, 1);  // 10 * 100 / 10000 = 0.1
  EXPECT_EQ(plan.phases[5].users.to, 0);
  EXPECT_EQ(plan.phases[0].connections, 0u);
  EXPECT_EQ(plan.phases[0].max_users, 0u);
}

TEST(MaxUsersOverride, ScalesUpToo) {
  Plan plan = load(kPlan, with_max_users(200));
  EXPECT_EQ(plan.phases[0].users.from, 20);
  EXPECT_EQ(plan.phases[1].users.to, 200);
}

TEST(MaxUsersOverride, LeavesAPlanWithoutUsersAlone) {
  Plan plan = load(
      "target: builtin\nphases: [{ name: p, duration: 1s, users: 0 }]\n"
      "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n",
      with_max_users(100));
  EXPECT_EQ(plan.phases[0].users.to, 0);
}

TEST(MaxUsersOverride, AppliesTogetherWithScale) {
  Overrides overrides = with_max_users(10);
  overrides.scale = 0.5;
  Plan plan = load(kPlan, overrides);
  EXPECT_EQ(plan.phases[1].duration, 30s);
  EXPECT_EQ(plan.phases[1].users.to, 10);
  EXPECT_EQ(plan.phases[1].users.from, 1);
}

TEST(MaxUsersOverride, RejectsZero) {
  EXPECT_EQ(diagnostics_with(kPlan, with_max_users(0)),
            Lines{"(--max-users): --max-users must be a whole number from 1 to 10000000, found 0"});
}

TEST(MaxUsersOverride, RejectsARateRaisedAboveTheMaximum) {
  EXPECT_EQ(diagnostics_with("target: builtin\n"
                             "phases: [{ name: a, duration: 1s, arrival_rate: 1000000000/s, max_users: 1 }]\n"
                             "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n",
                             with_max_users(2)),
            Lines{"(--max-users): --max-users 2 raises a rate of phase 'a' to 2e+09/s; the maximum is "
                  "1000000000/s"});
}

}  // namespace
}  // namespace surge::plan
