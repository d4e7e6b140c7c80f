// Each validation rule of a plan: the exact message and the line:column it points at. Plans are written
// out in full so the positions can be checked by eye.
#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

TEST(PlanRules, ReportsAnUnknownKeyWithTheAllowedOnes) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: warm-up, duraton: 5s, users: 5 }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            (Lines{"p.yaml:3:22: unknown key 'duraton' in phase; expected one of: name, duration, users, "
                   "arrival_rate, max_users, arrivals, connections, rate, connect_rate, graceful_stop, stable",
                   "p.yaml:3:5: missing key 'duration' in phase"}));
}

TEST(PlanRules, ReportsAnUnknownPlanKey) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
slas: [p95(latency) < 1s]
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:1: unknown key 'slas' in plan; expected one of: name, target, target_pid, timeout, "
                  "headers, graceful_stop, environments, phases, scenarios, feeders, metrics, sla, secret_env, tls, "
                  "timeouts, limits, source_addrs, proxy, faults, schedule_slack"});
}

TEST(PlanRules, ReportsAWrongTypeWithWhatWasFound) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    weight: [1, 2]
    steps: [{ think: 1ms }]
)"),
            Lines{"p.yaml:5:13: weight: expected a number, found a sequence"});
}

TEST(PlanRules, ReportsAnInvalidDurationAtItsValue) {
  EXPECT_EQ(
      diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 10x, users: 1 }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
      Lines{"p.yaml:3:26: invalid duration \"10x\": expected a number with a unit ns, us, ms, s, m or h, "
            "like 10s or 1m30s"});
}

TEST(PlanRules, RejectsAZeroPhaseDuration) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 0s, users: 1 }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:26: phase duration must be > 0, found '0s'"});
}

TEST(PlanRules, RejectsAZeroRequestTimeout) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
timeout: 0
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:10: timeout must be > 0, found '0'"});
}

TEST(PlanRules, RejectsFractionalUsers) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 1s, users: 2.5 }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:37: users must be a whole number from 0 to 10000000, found '2.5'"});
}

TEST(PlanRules, RejectsNegativeRampEnds) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 1s, users: { from: -1, to: 5 } }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:45: users from must be a whole number from 0 to 10000000, found '-1'"});
}

TEST(PlanRules, RejectsARampWithoutAnEnd) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 1s, users: { from: 1 } }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:37: missing key 'to' in users"});
}

TEST(PlanRules, RejectsUsersGivenAsASequence) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: p, duration: 1s, users: [1, 5] }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:37: users: expected a whole number or { from, to }, found a sequence"});
}

TEST(PlanRules, RejectsAnEmptyPhaseList) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: []
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:9: plan has no phases; expected at least one"});
}

TEST(PlanRules, RejectsAnEmptyPhasesKeyAtTheKey) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:1: plan has no phases; expected at least one"});
}

TEST(PlanRules, ReportsMissingPlanKeysAtTheRoot) {
  EXPECT_EQ(diagnostics_of("name: x\n"),
            (Lines{"p.yaml:1:1: missing key 'target' in plan", "p.yaml:1:1: missing key 'phases' in plan",
                   "p.yaml:1:1: missing key 'scenarios' in plan"}));
}

TEST(PlanRules, RejectsAnEmptyScenarioList) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: []
)"),
            Lines{"p.yaml:3:12: plan has no scenarios; expected at least one"});
}

TEST(PlanRules, RejectsAScenarioWithoutSteps) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: browse
    steps: []
)"),
            Lines{"p.yaml:5:12: scenario 'browse' has no steps; expected at least one"});
}

TEST(PlanRules, ReportsAMissingKeyAtTheParentNode) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: GET }
)"),
            Lines{"p.yaml:6:15: missing key 'url' in http step"});
}

TEST(PlanRules, RejectsDuplicatePhaseNames) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - { name: warm-up, duration: 1s, users: 1 }
  - { name: warm-up, duration: 2s, users: 2 }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:4:13: duplicate phase name 'warm-up'; the first is at 3:13"});
}

TEST(PlanRules, RejectsDuplicateScenarioNames) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - { name: s, steps: [{ think: 1ms }] }
  - { name: s, steps: [{ think: 1ms }] }
)"),
            Lines{"p.yaml:5:13: duplicate scenario name 's'; the first is at 4:13"});
}

TEST(PlanRules, RejectsADuplicateExplicitStepNameEvenWhenTheStepHasOtherErrors) {
  EXPECT_EQ(
      diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { name: home, url: / }
      - http: { name: home, url: nope }
)"),
      (Lines{"p.yaml:7:34: url must be a path starting with / or an http:// or https:// URL, found 'nope'",
             "p.yaml:7:23: duplicate step name 'home'; the first is at 6:23"}));
}

TEST(PlanRules, RejectsAnEmptyStepName) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { name: "", url: / }
)"),
            Lines{"p.yaml:6:23: step name must not be empty"});
}

TEST(PlanRules, AllowsTheSameStepNameInTwoScenarios) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - { name: a, steps: [{ http: { url: /a } }] }
  - { name: b, steps: [{ http: { url: /a } }] }
)"),
            Lines{});
}

TEST(PlanRules, RejectsAZeroWeight) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - { name: s, weight: 0, steps: [{ think: 1ms }] }
)"),
            Lines{"p.yaml:4:24: weight must be > 0, found '0'"});
}

TEST(PlanRules, RejectsANegativeWeight) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - { name: s, weight: -2.5, steps: [{ think: 1ms }] }
)"),
            Lines{"p.yaml:4:24: weight must be > 0, found '-2.5'"});
}

TEST(PlanRules, RejectsAThinkRangeWithMinAboveMax) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - think: 500ms..100ms
)"),
            Lines{"p.yaml:6:16: think range '500ms..100ms': min is greater than max"});
}

TEST(PlanRules, RejectsAThinkRangeWithABadBound) {
  EXPECT_EQ(
      diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - think: 100ms..
)"),
      Lines{"p.yaml:6:16: think: invalid duration \"\": expected a number with a unit ns, us, ms, s, m or h, like "
            "10s or 1m30s"});
}

TEST(PlanRules, RejectsAMissingTarget) {
  EXPECT_EQ(diagnostics_of(R"(name: x
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:1:1: missing key 'target' in plan"});
}

TEST(PlanRules, RejectsATargetWithAnotherScheme) {
  EXPECT_EQ(
      diagnostics_of(R"(target: ftp://example.com
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
      Lines{"p.yaml:1:9: target must be builtin or an http:// or https:// URL, found 'ftp://example.com'"});
}

TEST(PlanRules, RejectsATargetWithABadPort) {
  EXPECT_EQ(
      diagnostics_of(R"(target: http://localhost:99999/
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
      Lines{"p.yaml:1:9: target 'http://localhost:99999/' has an invalid port '99999'; expected 1 to 65535"});
}

TEST(PlanRules, RejectsATargetWithoutAHost) {
  EXPECT_EQ(diagnostics_of(R"(target: "http://:8080"
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:1:9: target 'http://:8080' has no host"});
}

TEST(PlanRules, RejectsATemplateNamingAnUndefinedVariableAtItsColumn) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { url: "/items/{{ item.id }}" }
)"),
            Lines{"p.yaml:6:30: unknown variable 'item.id': no captures or feeder columns are defined"});
}

TEST(PlanRules, RejectsAnUndefinedVariableInAPlanWideHeader) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
headers: { Authorization: "Bearer {{ token }}" }
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:35: unknown variable 'token': no captures or feeder columns are defined"});
}

TEST(PlanRules, RejectsASigningFunctionWithAWrongArgumentCountAtItsColumn) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
headers: { X-Sig: "{{ hmac_sha256('k') }}" }
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: POST, url: /x, body: "{{ base64(sha265(concat('a', now_s))) }}" }
)"),
            (Lines{"p.yaml:7:47: unknown function 'sha265': expected random.int(A, B), random.string(N), sha256, "
                   "sha256_b64, hmac_sha256, hmac_sha256_b64, base64, base64url, urlencode, jwt_hs256 or concat",
                   "p.yaml:2:20: hmac_sha256 expects two arguments: hmac_sha256(key, x)"}));
}

TEST(PlanRules, RejectsBodyAndJsonTogether) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: POST, url: /, body: x, json: { a: 1 } }
)"),
            Lines{"p.yaml:6:15: http step has more than one of body, json and form; use one"});
}

TEST(PlanRules, RejectsALowercaseMethod) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: get, url: / }
)"),
            Lines{"p.yaml:6:25: method must be an uppercase token like GET or POST, found 'get'"});
}

TEST(PlanRules, RejectsAnExpectedStatusOutOfRange) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { url: /, expect: { status: 700 } }
)"),
            Lines{"p.yaml:6:43: expect status must be a whole number from 100 to 599, found '700'"});
}

TEST(PlanRules, RejectsAUrlThatIsNeitherAPathNorAbsolute) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { url: example.com/x }
)"),
            Lines{"p.yaml:6:22: url must be a path starting with / or an http:// or https:// URL, found "
                  "'example.com/x'"});
}

TEST(PlanRules, RejectsAnInvalidHeaderName) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
headers: { "X Team": perf }
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:12: header name 'X Team' is not a valid token"});
}

TEST(PlanRules, RejectsAHeaderValueMapWithoutValueAndSecret) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
headers: { X-Team: { a: 1 } }
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            (Lines{"p.yaml:2:22: unknown key 'a' in header 'X-Team'; expected one of: value, secret",
                   "p.yaml:2:20: missing key 'value' in header 'X-Team'"}));
}

TEST(PlanRules, RejectsAStepWithTwoKinds) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - { http: { url: / }, think: 1s }
)"),
            Lines{"p.yaml:6:9: step must have exactly one of: http, think, loop, group, ws, mcp, jsonrpc"});
}

TEST(PlanRules, RejectsAnUnknownStepKind) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - grpc: { call: /x }
)"),
            Lines{"p.yaml:6:9: unknown key 'grpc' in step; expected one of: http, think, loop, group, ws, mcp, jsonrpc"});
}

TEST(PlanRules, RejectsADuplicateKey) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
target: http://localhost/
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:2:1: duplicate key 'target' in plan; the first is at 1:1"});
}

TEST(PlanRules, RejectsAPhaseThatIsNotAMap) {
  EXPECT_EQ(diagnostics_of(R"(target: builtin
phases:
  - warm-up
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)"),
            Lines{"p.yaml:3:5: phase: expected a map, found 'warm-up'"});
}

TEST(PlanRules, CollectsErrorsFromEverySection) {
  EXPECT_EQ(
      diagnostics_of(R"(target: gopher://x
timeout: soon
phases:
  - { name: a, duration: 1s, users: -3 }
  - { name: b, duration: 1s }
scenarios:
  - name: s
    weight: 0
    steps:
      - http: { url: /, expect: { status: 99 } }
      - think: 1s..1ms
)"),
      (Lines{"p.yaml:1:9: target must be builtin or an http:// or https:// URL, found 'gopher://x'",
             "p.yaml:2:10: invalid duration \"soon\": expected a number with a unit ns, us, ms, s, m or h, "
             "like 10s or 1m30s",
             "p.yaml:4:37: users must be a whole number from 0 to 10000000, found '-3'",
             "p.yaml:5:5: phase has no load model; add users (closed), arrival_rate and max_users (open), "
             "connections and rate (constant) or connections and connect_rate (hold)",
             "p.yaml:8:13: weight must be > 0, found '0'",
             "p.yaml:10:43: expect status must be a whole number from 100 to 599, found '99'",
             "p.yaml:11:16: think range '1s..1ms': min is greater than max"}));
}

}  // namespace
}  // namespace surge::plan
