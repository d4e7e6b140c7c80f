// jsonrpc and mcp steps against servers that keep their own truth: fresh ids per request and answers matched
// by id, error objects counted by code, batches answered in any order, MCP sessions re-initialized after a
// 404, and JSON-RPC over an open WebSocket. The independent server is tests/e2e/node/jsonrpc_server.js
// (HTTP and the npm ws package); the MCP side is `surge serve`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

using nlohmann::json;

const std::string kNodeModules = source_dir() + "/tests/node/node_modules";

// The node JSON-RPC server, started by PID and stopped when the test ends. Fails the test (never skips)
// when node or the ws package is missing.
class RpcServer {
 public:
  RpcServer() : process_(start()) {
    const std::string line = process_.first_line();
    if (line.starts_with("listening on ")) address_ = line.substr(13);
    else ADD_FAILURE() << "jsonrpc_server.js did not start: " << line << process_.stderr_text();
  }
  const std::string& address() const { return address_; }
  json stats() const { return json::parse(http_get(address_, "/stats")); }

 private:
  static std::vector<std::string> start() {
    if (access((kNodeModules + "/ws/package.json").c_str(), R_OK) != 0) {
      ADD_FAILURE() << kNodeModules << "/ws is missing: run scripts/install-deps.sh (npm ci in tests/node)";
    }
    setenv("NODE_PATH", kNodeModules.c_str(), 1);
    return {"node", source_dir() + "/tests/e2e/node/jsonrpc_server.js"};
  }

  Process process_;
  std::string address_;
};

const json& step_named(const json& results, const std::string& name) {
  for (const json& step : results["steps"]) {
    if (step["name"] == name) return step;
  }
  ADD_FAILURE() << "no step " << name;
  static const json none = json::object();
  return none;
}

// {passed, failed} of the step's check with this name.
json check_of(const json& step, const std::string& name) {
  for (const json& check : step["checks"]) {
    if (check["name"] == name) return {{"passed", check["passed"]}, {"failed", check["failed"]}};
  }
  ADD_FAILURE() << "no check " << name << " in " << step.dump();
  return nullptr;
}

RunOutcome run_plan(const std::string& file, const std::string& address, const std::string& body) {
  return run_surge({write_temp_file(file, "target: http://" + address + "\n" + body), "--workers", "1"});
}

TEST(JsonRpcIds, EveryRequestOfAUserCarriesAnIdItNeverSentBefore) {
  RpcServer server;
  RunOutcome run = run_plan("rpc_ids.yaml", server.address(), R"yaml(
phases: [{ name: main, duration: 1s, users: 3 }]
scenarios:
  - name: rpc
    steps:
      - loop: { count: 4, steps: [{ jsonrpc: { url: /rpc, method: echo, params: { user: "{{ vu.id }}", text: hi },
                                               expect: { result: { text: hi } } } }] }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& step = step_named(run.results, "jsonrpc echo");
  uint64_t sent = step["requests"]["total"];
  EXPECT_GT(sent, 20u);
  EXPECT_EQ(step["requests"]["ok"], sent);
  json stats = server.stats();
  EXPECT_EQ(stats["requests"], sent);
  EXPECT_EQ(stats["repeated_ids"], 0) << "ids are drawn per request, not fixed per step";
  EXPECT_EQ(check_of(step, "jsonrpc id"), json::parse(R"({"passed":)" + std::to_string(sent) + R"(,"failed":0})"));
  EXPECT_EQ(check_of(step, "jsonrpc result")["passed"], sent);
}

TEST(JsonRpcIds, AnAnswerCarryingAnotherIdFailsTheJsonRpcIdCheck) {
  RpcServer server;
  RunOutcome run = run_plan("rpc_wrong_id.yaml", server.address(), R"yaml(
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: rpc
    steps:
      - jsonrpc: { url: /rpc, method: wrong_id }
      - jsonrpc: { url: /rpc, method: add, params: [1, 2] }  # a run where nothing succeeds exits 1
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& step = step_named(run.results, "jsonrpc wrong_id");
  uint64_t sent = step["requests"]["total"];
  EXPECT_GT(sent, 5u);
  EXPECT_EQ(step["requests"]["by_error"]["check"], sent);
  EXPECT_EQ(check_of(step, "jsonrpc id"), json::parse(R"({"passed":0,"failed":)" + std::to_string(sent) + "}"));
  EXPECT_EQ(check_of(step, "jsonrpc result")["failed"], sent) << "a result under a foreign id is no answer";
}

TEST(JsonRpcErrors, ErrorObjectsAreCheckErrorsCountedByTheirCode) {
  RpcServer server;
  RunOutcome run = run_plan("rpc_errors.yaml", server.address(), R"yaml(
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: rpc
    steps:
      - jsonrpc: { url: /rpc, method: boom }
      - jsonrpc: { url: /rpc, method: nope }
      - jsonrpc: { url: /rpc, method: add, params: [2, 3], expect: { result: 5 } }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& boom = step_named(run.results, "jsonrpc boom");
  const json& nope = step_named(run.results, "jsonrpc nope");
  const json& add = step_named(run.results, "jsonrpc add");
  uint64_t rounds = boom["requests"]["total"];
  EXPECT_GT(rounds, 5u);
  EXPECT_EQ(boom["rpc_errors"], json::parse(R"({"-32000":)" + std::to_string(rounds) + "}"));
  EXPECT_EQ(boom["rpc_errors_total"], rounds);
  EXPECT_EQ(boom["requests"]["by_error"]["check"], rounds);
  EXPECT_EQ(check_of(boom, "jsonrpc id")["passed"], rounds) << "an error answer still carries our id";
  EXPECT_EQ(check_of(boom, "jsonrpc result")["failed"], rounds);
  EXPECT_EQ(nope["rpc_errors"], json::parse(R"({"-32601":)" + nope["requests"]["total"].dump() + "}"));
  EXPECT_FALSE(add.contains("rpc_errors")) << "a step without error answers has no block";
  EXPECT_EQ(add["requests"]["ok"], add["requests"]["total"]);
  EXPECT_EQ(server.stats()["by_method"]["boom"], rounds);
}

TEST(JsonRpcErrors, TheSummaryListsErrorCodesPerStep) {
  RpcServer server;
  std::string plan = write_temp_file("rpc_summary.yaml", "target: http://" + server.address() + R"yaml(
phases: [{ name: main, duration: 300ms, users: 1 }]
scenarios:
  - name: rpc
    steps:
      - loop: { count: 2, steps: [{ jsonrpc: { url: /rpc, method: boom } }] }
      - jsonrpc: { url: /rpc, method: add, params: [1, 2] }
)yaml");
  Process surge({surge_binary(), "run", plan, "--workers", "1"});
  ASSERT_EQ(surge.wait(60), 0) << surge.stderr_text();
  const std::string out = surge.stdout_text();
  EXPECT_NE(out.find("\n  JSON-RPC errors by code\n    rpc / jsonrpc boom: -32000 x"), std::string::npos) << out;
}

TEST(JsonRpcBatch, ABatchIsJudgedByIdsWhateverTheOrderOfItsAnswers) {
  RpcServer server;
  RunOutcome run = run_plan("rpc_batch.yaml", server.address(), R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: rpc
    steps:
      - jsonrpc:
          url: /rpc
          batch:
            - { method: add, params: [1, 2] }
            - { method: log, params: { line: x }, notification: true }
            - { method: echo, params: { text: "v{{ vu.id }}" } }
          expect: { json: { "$[0].result.text": "v1" } }
          name: batch
      - jsonrpc: { url: /rpc, batch: [{ method: add, params: [1, 1] }, { method: boom }], name: half failed }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& batch = step_named(run.results, "batch");
  uint64_t sent = batch["requests"]["total"];
  EXPECT_GT(sent, 5u);
  EXPECT_EQ(check_of(batch, "jsonrpc id")["passed"], sent) << "answered in reverse order, matched by id";
  EXPECT_EQ(check_of(batch, "jsonrpc result")["passed"], sent);
  const json& half = step_named(run.results, "half failed");
  uint64_t halves = half["requests"]["total"];
  EXPECT_EQ(check_of(half, "jsonrpc id")["passed"], halves);
  EXPECT_EQ(check_of(half, "jsonrpc result")["failed"], halves);
  EXPECT_EQ(half["rpc_errors"], json::parse(R"({"-32000":)" + std::to_string(halves) + "}"));
  json stats = server.stats();
  EXPECT_EQ(stats["batches"], sent + halves);
  EXPECT_EQ(stats["notifications"], sent);
  EXPECT_EQ(stats["requests"], 2 * sent + 2 * halves);
}

// serve ends each session after 3 requests: initialized, echo, echo. The third echo of a session gets 404, so
// of every iteration's 9 echoes, the 3rd, 6th and 9th fail and each starts a new session.
TEST(McpReinitialize, A404StartsANewSessionAndTheLaterCallsSucceed) {
  Process serve({surge_binary(), "serve", "--port", "0", "--mcp-session-requests", "3"});
  const std::string address = listen_address(serve);
  RunOutcome run = run_plan("mcp_reinit.yaml", address, R"yaml(
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: { client: surge } }
      - loop: { count: 9, steps: [{ mcp: { call: echo, arguments: { message: hi } } }] }
      - mcp: { close: true }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& echo = step_named(run.results, "mcp tools/call echo");
  uint64_t iterations = step_named(run.results, "mcp close")["requests"]["ok"];
  EXPECT_GT(iterations, 3u);
  EXPECT_EQ(step_named(run.results, "mcp close")["requests"]["total"], iterations);
  EXPECT_EQ(echo["requests"]["total"], 9 * iterations) << "the failed call is not retried";
  EXPECT_EQ(echo["requests"]["by_status"]["404"], 3 * iterations);
  EXPECT_EQ(echo["requests"]["ok"], 6 * iterations);
  EXPECT_EQ(step_named(run.results, "mcp initialize")["requests"]["ok"], 4 * iterations);
  EXPECT_EQ(step_named(run.results, "mcp initialized")["requests"]["ok"], 4 * iterations);
  json sessions = serve_stats(address)["mcp"]["sessions"];
  EXPECT_EQ(sessions["opened"], 4 * iterations);
  EXPECT_EQ(sessions["expired"], 3 * iterations);
  EXPECT_EQ(sessions["unknown"], 3 * iterations) << "one 404 per expired session, then a new one";
  EXPECT_EQ(sessions["closed"], iterations);
  EXPECT_EQ(serve_stats(address)["mcp"]["by_tool"]["echo"], 6 * iterations);
}

TEST(JsonRpcOverWebSocket, AnswersAreMatchedByIdSkippingTheServersNotifications) {
  RpcServer server;
  RunOutcome run = run_plan("rpc_ws.yaml", server.address(), R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: rpc
    steps:
      - ws: { connect: / }
      - jsonrpc: { ws: true, method: add, params: [2, 3], expect: { result: 5 }, timeout: 2s }
      - jsonrpc: { ws: true, method: log, params: [x], notification: true }
      - jsonrpc: { ws: true, batch: [{ method: add, params: [1, 1] }, { method: echo, params: { text: b } }], name: ws batch }
      - jsonrpc: { ws: true, method: nope, name: ws nope }
      - jsonrpc: { ws: true, method: wrong_id, timeout: 100ms, name: ws wrong id }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& add = step_named(run.results, "ws jsonrpc add");
  uint64_t iterations = add["requests"]["total"];
  EXPECT_GT(iterations, 5u);
  EXPECT_EQ(add["requests"]["ok"], iterations);
  EXPECT_TRUE(add.contains("latency_ms")) << "the round trip is the step's latency";
  EXPECT_EQ(step_named(run.results, "ws jsonrpc log")["requests"]["ok"], iterations);
  EXPECT_EQ(step_named(run.results, "ws batch")["requests"]["ok"], iterations);
  const json& nope = step_named(run.results, "ws nope");
  EXPECT_EQ(nope["requests"]["by_error"]["check"], iterations);
  EXPECT_EQ(nope["rpc_errors"], json::parse(R"({"-32601":)" + std::to_string(iterations) + "}"));
  EXPECT_EQ(step_named(run.results, "ws wrong id")["requests"]["by_error"]["timeout"], iterations)
      << "an answer under another id is not ours: the step waits for its own";
  json stats = server.stats();
  EXPECT_EQ(stats["repeated_ids"], 0);
  EXPECT_EQ(stats["by_method"]["add"], 2 * iterations);
  EXPECT_EQ(stats["notifications"], iterations);
}

}  // namespace
}  // namespace surge::e2e
