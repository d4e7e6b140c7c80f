// The scenario step syntax beyond a plain request: expect, capture, query, form, loops, exponential think,
// feeders and custom metrics — what each reads into, and the exact message and position of each mistake.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <variant>

#include "metrics/error_kind.h"
#include "plan_test_util.h"

namespace surge::plan {
namespace {

Plan load_ok(std::string_view yaml, const std::string& file = "p.yaml") {
  auto plan = load_plan_string(yaml, file);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().front().to_string());
  return plan ? *plan : Plan{};
}

constexpr std::string_view kHead = "target: builtin\nphases: [{ name: p, duration: 1s, users: 1 }]\n";

TEST(ScenarioSteps, ReadsExpectChecksAndCapturesInOrder) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http:
          url: /v1/login
          expect: { status: 200, header: { X-Cache: HIT }, contains: [ok, "\"user\""], json: { "$.ok": true },
                    json_exists: "$.token", condition: 'status < 300' }
          capture: { token: "$.token", where: { header: Location }, id: { regex: "id=(\\d+)" } }
)yaml");
  ASSERT_EQ(plan.scenarios.size(), 1u);
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  EXPECT_EQ(step.expect_status, 200);
  ASSERT_EQ(step.checks.size(), 6u);
  EXPECT_EQ(step.checks[0].name, "header X-Cache");
  EXPECT_EQ(step.checks[0].expected, "HIT");
  EXPECT_EQ(step.checks[1].name, "contains ok");
  EXPECT_EQ(step.checks[2].subject, "\"user\"");
  EXPECT_EQ(step.checks[3].name, "json $.ok");
  EXPECT_EQ(step.checks[3].expected, "true");
  EXPECT_EQ(step.checks[4].kind, Check::Kind::kJsonExists);
  EXPECT_EQ(step.checks[5].name, "status < 300");
  ASSERT_EQ(step.captures.size(), 3u);
  EXPECT_EQ(step.captures[0].variable, "token");
  EXPECT_EQ(step.captures[0].source, "$.token");
  EXPECT_EQ(step.captures[1].kind, Capture::Kind::kHeader);
  EXPECT_EQ(step.captures[1].source, "Location");
  EXPECT_EQ(step.captures[2].kind, Capture::Kind::kRegex);
  EXPECT_EQ(step.captures[2].source, "id=(\\d+)");
}

TEST(ScenarioSteps, AppendsAnEncodedQueryAndBuildsAFormBody) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: "/search?x=1", query: { q: "a b&c", page: "{{ iteration }}" }, method: POST,
                form: { user: "u{{ vu.id }}", note: "50%" } }
)yaml");
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  EXPECT_EQ(step.url, "/search?x=1&q=a%20b%26c&page={{ iteration }}");
  EXPECT_EQ(step.body, "user=u{{ vu.id }}&note=50%25");
  EXPECT_TRUE(step.body_is_form);
  ASSERT_EQ(step.headers.size(), 1u);
  EXPECT_EQ(step.headers[0].value, "application/x-www-form-urlencoded");
}

TEST(ScenarioSteps, LaysALoopOutFlatWithItsBodyCount) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { name: login, url: /, capture: { more: "$.more" } }
      - loop:
          count: 3
          steps:
            - http: { name: page, url: /json }
            - loop: { while: more, steps: [{ think: exp(20ms) }] }
      - http: { name: logout, url: / }
)yaml");
  const std::vector<Step>& steps = plan.scenarios[0].steps;
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(std::get<LoopStep>(steps[1]).count, 3u);
  EXPECT_EQ(std::get<LoopStep>(steps[1]).body_steps, 3u);
  EXPECT_EQ(std::get<LoopStep>(steps[3]).while_variable, "more");
  EXPECT_EQ(std::get<LoopStep>(steps[3]).count, 1000u) << "a while loop without count is capped";
  EXPECT_EQ(std::get<LoopStep>(steps[3]).body_steps, 1u);
  EXPECT_TRUE(std::get<ThinkStep>(steps[4]).exponential);
  EXPECT_EQ(std::get<ThinkStep>(steps[4]).min, std::chrono::milliseconds(20));
  EXPECT_EQ(std::get<HttpStep>(steps[5]).name, "logout");
}

TEST(ScenarioSteps, RejectsAJsonPathThatDoesNotParseAtItsColumn) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { token: "$.items[" } }
)yaml"),
            Lines{"p.yaml:6:51: JSON path '$.items[': unterminated '['"});
}

TEST(ScenarioSteps, RejectsABadRegexAndABadCondition) {
  auto lines = diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { id: { regex: "id=(" } }, expect: { condition: 'status ==' } }
)yaml");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].starts_with("p.yaml:6:92: condition 'status ==': expected a literal after '==', found the end")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("p.yaml:6:")) << lines[1];
  EXPECT_NE(lines[1].find("regex 'id=(':"), std::string::npos) << lines[1];
}

TEST(ScenarioSteps, RejectsALoopWhileOnAnUnknownVariable) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { token: "$.t" } }
      - loop: { while: mroe, steps: [{ think: 1ms }] }
)yaml"),
            Lines{"p.yaml:7:9: loop while 'mroe': no capture or feeder column of that name; defined: token"});
}

TEST(ScenarioSteps, RejectsACaptureIntoABuiltInName) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { uuid: "$.id" } }
)yaml"),
            Lines{"p.yaml:6:36: capture 'uuid': the name is a built-in template value; choose another"});
}

TEST(ScenarioSteps, RejectsAnUnknownCaptureSource) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { id: { cookie: sid } } }
)yaml"),
            Lines{"p.yaml:6:40: capture 'id': unknown source 'cookie'; expected one of: json, header, regex"});
}

class FeederFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir();
    std::ofstream(dir_ + "users.csv") << "email,password\na@x.io,1\nb@x.io,2\n";
    std::ofstream(dir_ + "broken.csv") << "email,password\na@x.io\n";
  }
  std::string dir_;
};

TEST_F(FeederFile, ReadsAFeederNextToThePlanAndKnowsItsColumns) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(feeders: [{ name: users, file: users.csv, order: unique, recycle: true }]
scenarios:
  - name: s
    steps:
      - http: { url: "/login?u={{ users.email }}" }
)yaml", dir_ + "plan.yaml");
  ASSERT_EQ(plan.feeders.size(), 1u);
  EXPECT_EQ(plan.feeders[0].order, Feeder::Order::kUnique);
  EXPECT_TRUE(plan.feeders[0].recycle);
  EXPECT_EQ(plan.feeders[0].columns, (std::vector<std::string>{"email", "password"}));
  EXPECT_EQ(plan.feeders[0].rows.size(), 2u);
}

TEST_F(FeederFile, ReportsAMalformedFeederFileWithItsLine) {
  auto plan = load_plan_string(std::string(kHead) + R"yaml(feeders: [{ name: users, file: broken.csv }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)yaml", dir_ + "plan.yaml");
  ASSERT_FALSE(plan.has_value());
  ASSERT_EQ(plan.error().size(), 1u);
  std::string text = plan.error()[0].to_string();
  EXPECT_EQ(text, dir_ + "plan.yaml:3:32: " + dir_ + "broken.csv:2: expected 2 fields as in the header, found 1")
      << text;
}

TEST(ScenarioSteps, ReadsCustomMetricsAndRejectsOneWithTwoKinds) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(metrics:
  - { name: cache_hit, rate: 'header("X-Cache") == "HIT"' }
  - { name: tokens, trend: 'json("$.usage.tokens")' }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)yaml");
  ASSERT_EQ(plan.metrics.size(), 2u);
  EXPECT_EQ(plan.metrics[0].kind, CustomMetric::Kind::kRate);
  EXPECT_EQ(plan.metrics[1].kind, CustomMetric::Kind::kTrend);
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(metrics:
  - { name: both, rate: 'status == 200', trend: 'json("$.x")' }
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)yaml"),
            Lines{"p.yaml:4:5: metric must have exactly one of: rate, counter, trend"});
}

}  // namespace
}  // namespace surge::plan

namespace surge::plan {
namespace {

TEST(RpcSteps, AnMcpSessionBecomesHttpStepsWithSessionVariables) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - mcp: { initialize: { client: me } }
      - mcp: { list: tools }
      - mcp: { call: echo, arguments: { message: hi } }
      - mcp: { close: true }
)yaml");
  const std::vector<Step>& steps = plan.scenarios[0].steps;
  ASSERT_EQ(steps.size(), 7u) << "initialize, initialized, list, loop, next page, call, close";
  const auto& initialize = std::get<HttpStep>(steps[0]);
  EXPECT_EQ(initialize.name, "mcp initialize");
  EXPECT_EQ(initialize.body,
            R"({"jsonrpc":"2.0","id":{{ rpc.id }},"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
            R"("capabilities":{},"clientInfo":{"name":"me","version":"0.1.0"}}})");
  EXPECT_EQ(initialize.captures[0].variable, "mcp_session");
  EXPECT_EQ(std::get<HttpStep>(steps[1]).expect_status, 202);
  EXPECT_EQ(std::get<LoopStep>(steps[3]).while_variable, "mcp_cursor");
  EXPECT_TRUE(std::get<HttpStep>(steps[4]).captures[0].optional);
  const auto& call = std::get<HttpStep>(steps[5]);
  EXPECT_EQ(call.body, R"({"jsonrpc":"2.0","id":{{ rpc.id }},"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}})");
  EXPECT_EQ(call.rpc->calls, 1u);
  EXPECT_TRUE(call.rpc->session) << "a 404 re-initializes";
  EXPECT_TRUE(initialize.rpc->initialize);
  EXPECT_EQ(std::get<HttpStep>(steps[1]).rpc->calls, 0u) << "notifications/initialized expects no answer";
  EXPECT_EQ(std::get<HttpStep>(steps[6]).method, "DELETE");
}

TEST(RpcSteps, AnMcpCallBeforeInitializeIsAPlanError) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - mcp: { call: echo }
)yaml"),
            Lines{"p.yaml:6:9: mcp step before any mcp initialize step in this scenario; start the session first"});
}

TEST(RpcSteps, AnMcpListOfAnUnknownKindIsAPlanError) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - mcp: { initialize: {} }
      - mcp: { list: toolz }
)yaml"),
            Lines{"p.yaml:7:22: mcp list 'toolz': expected tools, resources or prompts"});
}

TEST(RpcSteps, AJsonRpcNotificationHasNoIdAndNoChecks) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - jsonrpc: { url: /rpc, method: log, params: [1, "x"], notification: true }
)yaml");
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  EXPECT_EQ(step.body, R"({"jsonrpc":"2.0","method":"log","params":[1,"x"]})");
  EXPECT_TRUE(step.checks.empty());
  EXPECT_EQ(step.rpc->calls, 0u);
}

TEST(RpcSteps, ABatchNamesOneFreshIdPerCallAndNoneForNotifications) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - jsonrpc:
          url: /rpc
          batch: [{ method: add, params: [1, 2] }, { method: log, notification: true }, { method: ping }]
)yaml");
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  EXPECT_EQ(step.name, "jsonrpc batch");
  EXPECT_EQ(step.body, R"([{"jsonrpc":"2.0","id":{{ rpc.id(0) }},"method":"add","params":[1,2]},)"
                       R"({"jsonrpc":"2.0","method":"log"},{"jsonrpc":"2.0","id":{{ rpc.id(1) }},"method":"ping"}])");
  EXPECT_EQ(step.rpc->calls, 2u);
  EXPECT_TRUE(step.rpc->batch);
}

TEST(RpcSteps, ABatchStepWithAMethodOfItsOwnIsAPlanError) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - jsonrpc: { url: /rpc, method: add, batch: [{ method: add }] }
)yaml"),
            Lines{"p.yaml:6:31: jsonrpc method: a batch step names its messages inside `batch`"});
}

TEST(RpcSteps, AnExpectedResultOfABatchIsAPlanError) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - jsonrpc: { url: /rpc, batch: [{ method: add }], expect: { result: 3 } }
)yaml"),
            Lines{"p.yaml:6:75: expect result: a batch has no single result; use json paths"});
}

TEST(RpcSteps, AJsonRpcStepOverWebSocketBecomesAWsSendThatAwaitsItsAnswer) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - jsonrpc: { ws: true, method: add, params: [2, 3], expect: { result: 5 }, timeout: 2s }
)yaml");
  const auto& step = std::get<WsStep>(plan.scenarios[0].steps[1]);
  EXPECT_EQ(step.name, "ws jsonrpc add");
  EXPECT_EQ(step.action, WsStep::Action::kSend);
  EXPECT_EQ(step.message, R"({"jsonrpc":"2.0","id":{{ rpc.id }},"method":"add","params":[2,3]})");
  EXPECT_TRUE(step.expects);
  ASSERT_EQ(step.json.size(), 1u);
  EXPECT_EQ(step.json[0], (std::pair<std::string, std::string>("$.result", "5")));
}

TEST(RpcSteps, AJsonRpcStepOverWebSocketWithAUrlIsAPlanError) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - jsonrpc: { ws: true, url: /rpc, method: add }
)yaml"),
            Lines{"p.yaml:6:30: jsonrpc url: a step with ws: true sends on the open WebSocket (ws connect)"});
}

}  // namespace
}  // namespace surge::plan

namespace surge::plan {
namespace {

TEST(WsSteps, ReadsEachActionWithItsDefaults) {
  Plan plan = load_ok(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: /ws/room/a, headers: { X-User: "{{ vu.id }}" }, subprotocols: [chat, v2] }
      - ws: { send: 'hi {{ vu.id }}', binary: true, expect: { contains: [hi, "{"], json: { "$.op": "edit" }, timeout: 2s } }
      - ws: { expect: { contains: bye } }
      - ws: { ping: true }
      - ws: { close: 1001 }
)yaml");
  const std::vector<Step>& steps = plan.scenarios[0].steps;
  ASSERT_EQ(steps.size(), 5u);
  const auto& connect = std::get<WsStep>(steps[0]);
  EXPECT_EQ(connect.name, "ws connect /ws/room/a");
  EXPECT_EQ(connect.subprotocols, (std::vector<std::string>{"chat", "v2"}));
  const auto& send = std::get<WsStep>(steps[1]);
  EXPECT_EQ(send.action, WsStep::Action::kSend);
  EXPECT_TRUE(send.binary);
  EXPECT_TRUE(send.expects);
  EXPECT_EQ(send.contains, (std::vector<std::string>{"hi", "{"}));
  EXPECT_EQ(send.json[0].second, "\"edit\"");
  EXPECT_EQ(send.timeout, std::chrono::seconds(2));
  EXPECT_EQ(std::get<WsStep>(steps[2]).action, WsStep::Action::kExpect);
  EXPECT_EQ(std::get<WsStep>(steps[3]).name, "ws ping");
  EXPECT_EQ(std::get<WsStep>(steps[4]).close_code, 1001);
}

TEST(WsSteps, RejectsAnHttpUrlAndTwoActionsInOneStep) {
  EXPECT_EQ(diagnostics_of(std::string(kHead) + R"yaml(scenarios:
  - name: s
    steps:
      - ws: { connect: "https://example.org/ws" }
      - ws: { send: x, ping: true }
)yaml"),
            (Lines{"p.yaml:6:24: ws connect: expected a path starting with /, a ws:// or a wss:// URL, found "
                   "'https://example.org/ws'",
                   "p.yaml:7:9: ws step must have exactly one of: connect, send, expect, ping, close"}));
}

TEST(ScenarioSteps, ReadsARetryWithItsDefaultsAndItsKinds) {
  Plan plan = load_ok(std::string(kHead) + R"(scenarios:
  - name: s
    steps:
      - http: { url: /a, retry: { attempts: 3 } }
      - http: { url: /b, retry: { attempts: 2, backoff: 50ms, on: [5xx, check, timeout] } }
)");
  ASSERT_EQ(plan.scenarios.size(), 1u);
  const auto& first = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  ASSERT_TRUE(first.retry.has_value());
  EXPECT_EQ(first.retry->attempts, 3u);
  EXPECT_EQ(first.retry->backoff_min, std::chrono::milliseconds(100));
  EXPECT_EQ(first.retry->backoff_max, std::chrono::seconds(2));
  using metrics::ErrorKind;
  auto bit = [](ErrorKind kind) { return uint32_t{1} << static_cast<size_t>(kind); };
  EXPECT_EQ(first.retry->on, bit(ErrorKind::kRefused) | bit(ErrorKind::kConnect) | bit(ErrorKind::kReset) |
                                 bit(ErrorKind::kTimeout) | bit(ErrorKind::kEof) | bit(ErrorKind::kConnectTimeout) |
                                 bit(ErrorKind::kStatus5xx));
  const auto& second = std::get<HttpStep>(plan.scenarios[0].steps[1]);
  EXPECT_EQ(second.retry->backoff_min, std::chrono::milliseconds(50));
  EXPECT_EQ(second.retry->backoff_max, std::chrono::milliseconds(50));
  EXPECT_EQ(second.retry->on, bit(ErrorKind::kStatus5xx) | bit(ErrorKind::kCheck) | bit(ErrorKind::kTimeout));
  const auto& plain = load_ok(std::string(kHead) + "scenarios: [{ name: s, steps: [{ http: { url: / } }] }]\n");
  EXPECT_FALSE(std::get<HttpStep>(plain.scenarios[0].steps[0]).retry.has_value());
}

TEST(ScenarioSteps, RejectsRetryAttemptsOutOfRange) {
  auto plan = load_plan_string(std::string(kHead) + "scenarios: [{ name: s, steps: [{ http: { url: /, retry: { attempts: 0 } } }] }]\n",
                               "p.yaml");
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error()[0].to_string(), "p.yaml:3:69: attempts must be a whole number from 1 to 100, found '0'");
}

}  // namespace
}  // namespace surge::plan
