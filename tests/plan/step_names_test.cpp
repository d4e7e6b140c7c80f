// Step names: an unnamed step takes its kind's default, numbered "#2", "#3"... when that name is taken, and a
// name written in the plan must be unique within its scenario (docs/plan.md#scenarios-and-steps).
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

constexpr std::string_view kHead = "target: builtin\nphases: [{ name: p, duration: 1s, users: 1 }]\n";

// The names of the scenario's named steps (http, ws and group) in order; think and loop steps have none.
std::vector<std::string> step_names(std::string_view scenarios) {
  auto plan = load_plan_string(std::string(kHead) + std::string(scenarios), "p.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().front().to_string());
  std::vector<std::string> names;
  if (!plan) return names;
  for (const Step& step : plan->scenarios[0].steps) {
    if (const auto* http = std::get_if<HttpStep>(&step)) names.push_back(http->name);
    if (const auto* ws = std::get_if<WsStep>(&step)) names.push_back(ws->name);
    if (const auto* group = std::get_if<GroupStep>(&step)) names.push_back(group->name);
  }
  return names;
}

TEST(StepNames, UnnamedStepsOfOneKindAreNumberedInTheOrderWritten) {
  EXPECT_EQ(step_names(R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: a }
      - ws: { send: b }
      - ws: { ping: true }
      - ws: { send: c }
      - ws: { ping: true }
)yaml"),
            (Lines{"ws connect /ws", "ws send", "ws send #2", "ws ping", "ws send #3", "ws ping #2"}));
}

TEST(StepNames, UnnamedHttpStepsInsideLoopsAndGroupsShareTheScenarioNumbering) {
  EXPECT_EQ(step_names(R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /a }
      - loop: { count: 2, steps: [{ http: { url: /a } }] }
      - group: { name: g, steps: [{ http: { url: /a } }, { http: { method: POST, url: /a } }] }
)yaml"),
            (Lines{"GET /a", "GET /a #2", "g", "GET /a #3", "POST /a"}));
}

TEST(StepNames, AnUnnamedStepSkipsANameWrittenBeforeIt) {
  EXPECT_EQ(step_names(R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: a, name: "ws send" }
      - ws: { send: b, name: "ws send #3" }
      - ws: { send: c }
      - ws: { send: d }
)yaml"),
            (Lines{"ws connect /ws", "ws send", "ws send #3", "ws send #2", "ws send #4"}));
}

TEST(StepNames, RepeatedUnnamedMcpAndJsonRpcCallsAreNumbered) {
  EXPECT_EQ(step_names(R"yaml(scenarios:
  - name: s
    steps:
      - mcp: { initialize: { client: me } }
      - mcp: { call: echo, arguments: { message: a } }
      - mcp: { call: echo, arguments: { message: b } }
      - ws: { connect: /ws }
      - jsonrpc: { ws: true, method: add, params: [1, 2] }
      - jsonrpc: { ws: true, method: add, params: [3, 4] }
)yaml"),
            (Lines{"mcp initialize", "mcp initialized", "mcp tools/call echo", "mcp tools/call echo #2",
                   "ws connect /ws", "ws jsonrpc add", "ws jsonrpc add #2"}));
}

TEST(StepNames, AWrittenNameUsedTwiceIsAnErrorAtTheSecond) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: a, name: edit }
      - ws: { send: b, name: edit }
)yaml"),
            Lines{"p.yaml:8:9: duplicate step name 'edit'; the first is at 7:9"});
}

TEST(StepNames, AWrittenNameThatAnEarlierUnnamedStepTookIsAnErrorThatSaysSo) {
  EXPECT_EQ(
      diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: a }
      - ws: { send: b, name: "ws send" }
      - http: { url: /a }
      - http: { url: /b, name: "GET /a" }
)yaml"),
      (Lines{"p.yaml:8:9: duplicate step name 'ws send'; the first is at 7:9, an unnamed step named so",
             "p.yaml:10:32: duplicate step name 'GET /a'; the first is at 9:9, an unnamed step named so"}));
}

TEST(StepNames, AGroupNameTakenByAnEarlierUnnamedStepIsAnErrorThatSaysSo) {
  EXPECT_EQ(
      diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /a }
      - group: { name: "GET /a", steps: [{ http: { url: /b } }] }
)yaml"),
      Lines{"p.yaml:7:24: duplicate group name 'GET /a'; the first is at 6:9, an unnamed step named so"});
}

}  // namespace
}  // namespace surge::plan
