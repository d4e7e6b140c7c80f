// MCP over WebSocket both ways round, and serve's JSON-RPC over WebSocket (/rpc). The official SDK's
// WebSocketClientTransport runs a session against `surge serve`'s /mcp; surge's own mcp steps with
// `transport: websocket` run against serve and against an independent server (the SDK's McpServer behind the
// npm ws package, tests/e2e/node/mcp_ws_server.js); `jsonrpc: { ws: true }` runs against serve's /rpc. Every
// count is compared with the server's own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

namespace surge::e2e {
namespace {

using nlohmann::json;

const std::string kNodeModules = source_dir() + "/tests/node/node_modules";

// Fails the test (never skips) when an npm package is missing; points NODE_PATH at tests/node.
bool has_package(const std::string& package) {
  setenv("NODE_PATH", kNodeModules.c_str(), 1);
  if (access((kNodeModules + "/" + package + "/package.json").c_str(), R_OK) == 0) return true;
  ADD_FAILURE() << kNodeModules << "/" << package << " is missing: run scripts/install-deps.sh (npm ci in tests/node)";
  return false;
}

const json& step_named(const json& results, const std::string& name) {
  for (const json& step : results["steps"]) {
    if (step["name"] == name) return step;
  }
  ADD_FAILURE() << "no step " << name << " in " << results["steps"].dump();
  static const json none = json::object();
  return none;
}

uint64_t ok_of(const json& results, const std::string& step) {
  return step_named(results, step)["requests"]["ok"].get<uint64_t>();
}

RunOutcome run_plan(const std::string& file, const std::string& target, const std::string& body) {
  return run_surge({write_temp_file(file, "target: " + target + "\n" + body), "--workers", "1"});
}

TEST(McpOverWebSocket, TheSdkClientRunsASessionAgainstServeWhichCountsItExactly) {
  ASSERT_TRUE(has_package("@modelcontextprotocol/sdk"));
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Process node({"node", source_dir() + "/tests/e2e/node/mcp_ws_client_check.js", "ws://" + address + "/mcp"});
  int code = node.wait(120);
  ASSERT_NE(code, 127) << "node is not installed or not in PATH (scripts/install-deps.sh installs Node.js)";
  json seen = json::parse(node.stdout_text(), nullptr, false);
  ASSERT_EQ(code, 0) << node.stdout_text() << node.stderr_text();
  ASSERT_FALSE(seen.is_discarded()) << node.stdout_text() << node.stderr_text();
  EXPECT_EQ(seen["errors"], json::array());
  EXPECT_EQ(seen["subprotocol"], "mcp");
  EXPECT_EQ(seen["server"], json::parse(R"({"name":"surge serve","version":"0.1.0"})"));
  EXPECT_EQ(seen["tools"], json::parse(R"(["echo","sleep","complete"])"));
  EXPECT_EQ(seen["echo"], "Echo: hello \"ws\"");
  EXPECT_EQ(seen["echo_is_error"], false);
  EXPECT_EQ(seen["sleep"], "Slept 200 ms");
  EXPECT_GE(seen["sleep_elapsed_ms"].get<int>(), 195) << "the answer waits for the sleep over WebSocket too";
  EXPECT_EQ(seen["unknown_tool_is_error"], true);
  EXPECT_EQ(seen["resources"], json::parse(R"(["surge://docs/1","surge://docs/2","surge://docs/3",)"
                                           R"("surge://docs/4","surge://docs/5"])"));
  EXPECT_EQ(seen["read_text"], "# Doc 2\n\nA surge serve test document.\n");
  EXPECT_EQ(seen["prompts"], json::parse(R"(["review"])"));
  EXPECT_EQ(seen["unknown_method_code"], -32601);

  json stats = serve_stats(address);
  json counted = stats["mcp"];
  uint64_t messages = 0;
  for (const auto& [method, calls] : seen["calls"].items()) {
    EXPECT_EQ(counted["by_method"][method], calls) << method;
    messages += calls.get<uint64_t>();
  }
  EXPECT_EQ(messages, 13u);
  for (const auto& [tool, calls] : seen["tool_calls"].items())
    EXPECT_EQ(counted["by_tool"][tool == "nope" ? "unknown" : tool], calls) << tool;
  EXPECT_EQ(counted["sessions"],
            json::parse(R"({"opened":1,"closed":1,"evicted":0,"expired":0,"open":0,"unknown":0,"missing":0,)"
                        R"("websocket":1})"));
  EXPECT_EQ(stats["by_path"]["/mcp"], 1) << "one upgrade (101); the messages are not HTTP requests";
  EXPECT_EQ(stats["by_status"]["101"], 1);
  EXPECT_EQ(stats["ws"]["messages_in"], messages);
  EXPECT_EQ(stats["ws"]["messages_out"], messages - 1) << "every message but the notification is answered";
}

TEST(McpOverWebSocket, ServeRefusesAnUpgradeThatDoesNotOfferTheMcpSubprotocol) {
  Process serve({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(serve);
  RunOutcome run = run_plan("mcp_ws_refused.yaml", "http://" + address, R"yaml(
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: plain
    steps:
      - ws: { connect: /mcp, subprotocols: [chat] }
      - think: 100ms
)yaml");
  const json& connect = step_named(run.results, "ws connect /mcp");
  uint64_t refused = connect["requests"]["total"];
  EXPECT_GT(refused, 0u);
  EXPECT_EQ(connect["requests"]["by_error"]["status_4xx"], refused) << connect.dump();
  json stats = serve_stats(address);
  EXPECT_EQ(stats["by_status"]["400"], refused);
  EXPECT_EQ(stats["by_path"]["/mcp"], refused);
  EXPECT_EQ(stats["mcp"]["sessions"]["opened"], 0);
}

// A session per iteration: initialize, tools/list, 3 echoes, an unknown tool (isError: a failed check), ping,
// close. Steps' counts must equal serve's by method and tool, and every session must be opened and closed.
TEST(McpOverWebSocket, SurgeSessionsAgainstServeMatchItsCounts) {
  Process serve({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(serve);
  RunOutcome run = run_plan("mcp_ws_serve.yaml", "http://" + address, R"yaml(
phases: [{ name: main, duration: 2s, users: 3 }]
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: { client: surge }, transport: websocket }
      - mcp: { list: tools, expect: { contains: '"complete"' } }
      - mcp: { list: resources }
      - loop: { count: 3, steps: [{ mcp: { call: echo, arguments: { message: "u{{ vu.id }}" }, expect: { contains: "Echo: u" } } }] }
      - mcp: { call: nope, name: unknown tool }
      - mcp: { ping: true }
      - mcp: { close: true }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& results = run.results;
  uint64_t sessions = ok_of(results, "mcp close");
  ASSERT_GT(sessions, 2u);
  EXPECT_EQ(ok_of(results, "mcp connect"), sessions);
  EXPECT_EQ(ok_of(results, "mcp initialize"), sessions);
  EXPECT_EQ(ok_of(results, "mcp initialized"), sessions);
  EXPECT_EQ(ok_of(results, "mcp tools/list"), sessions);
  EXPECT_EQ(ok_of(results, "mcp tools/call echo"), 3 * sessions);
  EXPECT_EQ(ok_of(results, "mcp ping"), sessions);
  const json& unknown = step_named(results, "unknown tool");
  EXPECT_EQ(unknown["requests"]["ok"], 0);
  EXPECT_EQ(unknown["requests"]["by_error"]["check"], sessions) << "isError: true fails the step";

  json stats = serve_stats(address);
  json mcp = stats["mcp"];
  // A user stopped at the end of the run may have sent a call whose step was cut short: compare what both
  // sides finished, the server's counts never below surge's.
  uint64_t users_cut = step_named(results, "mcp connect")["requests"]["total"].get<uint64_t>() - sessions;
  EXPECT_LE(users_cut, 3u);
  EXPECT_EQ(mcp["sessions"]["websocket"], sessions + users_cut);
  EXPECT_EQ(mcp["sessions"]["opened"], sessions + users_cut);
  EXPECT_EQ(mcp["sessions"]["closed"], sessions + users_cut) << "every connection's end closes its session";
  EXPECT_EQ(mcp["by_method"]["initialize"], sessions + users_cut);
  EXPECT_EQ(mcp["by_method"]["ping"], ok_of(results, "mcp ping"));
  EXPECT_EQ(mcp["by_tool"]["unknown"], sessions);
  uint64_t echoes = step_named(results, "mcp tools/call echo")["requests"]["total"];
  EXPECT_EQ(mcp["by_tool"]["echo"], echoes);
  EXPECT_EQ(mcp["by_method"]["tools/list"], step_named(results, "mcp tools/list")["requests"]["total"]);
  // serve pages resources two at a time: the first page, then the pages its nextCursor led to, over the socket.
  const uint64_t first_pages = step_named(results, "mcp resources/list")["requests"]["total"];
  const uint64_t next_pages = step_named(results, "mcp resources/list next page")["requests"]["total"];
  EXPECT_EQ(mcp["by_method"]["resources/list"], first_pages + next_pages);
  EXPECT_GE(ok_of(results, "mcp resources/list next page"), ok_of(results, "mcp resources/list"))
      << "every first page names a next one";
  EXPECT_EQ(stats["by_path"]["/mcp"], sessions + users_cut);
}

// The independent server: the SDK's McpServer behind the ws package (sessions, get-sum, Zod-checked input).
TEST(McpOverWebSocket, SurgeSessionsAgainstTheSdkServerMatchItsCounts) {
  ASSERT_TRUE(has_package("@modelcontextprotocol/sdk"));
  ASSERT_TRUE(has_package("ws"));
  Process server({"node", source_dir() + "/tests/e2e/node/mcp_ws_server.js"});
  const std::string line = server.first_line();
  ASSERT_TRUE(line.starts_with("listening on ")) << line << server.stderr_text();
  const std::string address = line.substr(13);
  RunOutcome run = run_plan("mcp_ws_sdk.yaml", "http://" + address, "phases: [{ name: main, duration: 2s, users: 2 }]\n"
                            R"yaml(
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: { client: surge }, url: "ws://)yaml" + address + R"yaml(/mcp" }
      - mcp: { list: tools, expect: { contains: get-sum } }
      - mcp: { call: get-sum, arguments: { a: 2, b: 3 }, expect: { contains: "is 5." } }
      - mcp: { call: echo, arguments: { message: hi }, expect: { json: { "$.result.content[0].text": "Echo: hi" } } }
      - mcp: { call: get-sum, arguments: { a: oops, b: 3 }, name: bad arguments }
      - mcp: { close: true }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& results = run.results;
  uint64_t sessions = ok_of(results, "mcp close");
  ASSERT_GT(sessions, 2u);
  EXPECT_EQ(ok_of(results, "mcp initialize"), sessions);
  EXPECT_EQ(ok_of(results, "mcp tools/call get-sum"), sessions);
  EXPECT_EQ(ok_of(results, "mcp tools/call echo"), sessions);
  const json& bad = step_named(results, "bad arguments");
  EXPECT_EQ(bad["requests"]["by_error"]["check"], sessions) << "the SDK answers invalid input with isError";
  json stats = json::parse(http_get(address, "/stats"));
  uint64_t users_cut = step_named(results, "mcp connect")["requests"]["total"].get<uint64_t>() - sessions;
  EXPECT_LE(users_cut, 2u);
  EXPECT_EQ(stats["rejected_protocol"], 0) << "surge offered subprotocol mcp";
  EXPECT_EQ(stats["connections"], sessions + users_cut);
  EXPECT_EQ(stats["by_method"]["initialize"], sessions + users_cut);
  EXPECT_EQ(stats["by_method"]["notifications/initialized"], ok_of(results, "mcp initialized"));
  EXPECT_EQ(stats["by_tool"]["get-sum"],
            step_named(results, "mcp tools/call get-sum")["requests"]["total"].get<uint64_t>() +
                bad["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(stats["by_tool"]["echo"], step_named(results, "mcp tools/call echo")["requests"]["total"]);
}

TEST(McpOverWebSocket, AnUnknownTransportIsAPlanErrorWithItsPosition) {
  std::string plan = write_temp_file("mcp_ws_bad.yaml", R"yaml(target: http://127.0.0.1:1
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: {}, transport: pigeon }
)yaml");
  Process validate({surge_binary(), "validate", plan});
  EXPECT_EQ(validate.wait(60), 2);
  EXPECT_NE(validate.stderr_text().find("mcp_ws_bad.yaml:6:43: mcp transport 'pigeon': expected http or websocket"),
            std::string::npos)
      << validate.stderr_text();
}

// serve's /rpc: add, echo, boom, an unknown method, a notification and a batch per iteration; the step
// counts must equal the server's.
TEST(JsonRpcOverWebSocketServe, StepsMatchServesCounts) {
  Process serve({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(serve);
  RunOutcome run = run_plan("rpc_ws_serve.yaml", "http://" + address, R"yaml(
phases: [{ name: main, duration: 2s, users: 2 }]
scenarios:
  - name: rpc
    steps:
      - ws: { connect: /rpc }
      - jsonrpc: { ws: true, method: add, params: [2, 3], expect: { result: 5 } }
      - jsonrpc: { ws: true, method: echo, params: { text: "hi" }, expect: { json: { "$.result.text": "hi" } } }
      - jsonrpc: { ws: true, method: boom, name: ws boom }
      - jsonrpc: { ws: true, method: nope, name: ws nope }
      - jsonrpc: { ws: true, method: add, params: [1, 1], notification: true, name: ws tick }
      - jsonrpc: { ws: true, batch: [{ method: add, params: [1, 1] }, { method: echo, params: [b] }], name: ws batch }
      - ws: { close: 1000 }
)yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& results = run.results;
  uint64_t iterations = ok_of(results, "ws close");
  ASSERT_GT(iterations, 2u);
  const json& add = step_named(results, "ws jsonrpc add");
  EXPECT_EQ(add["requests"]["ok"], add["requests"]["total"]);
  EXPECT_EQ(step_named(results, "ws jsonrpc echo")["requests"]["errors"], 0);
  const json& boom = step_named(results, "ws boom");
  EXPECT_EQ(boom["requests"]["by_error"]["check"], boom["requests"]["total"]);
  EXPECT_EQ(boom["rpc_errors"], json::parse(R"({"-32000":)" + boom["requests"]["total"].dump() + "}"));
  const json& nope = step_named(results, "ws nope");
  EXPECT_EQ(nope["rpc_errors"], json::parse(R"({"-32601":)" + nope["requests"]["total"].dump() + "}"));
  EXPECT_EQ(step_named(results, "ws batch")["requests"]["errors"], 0);

  json rpc = serve_stats(address)["rpc"];
  uint64_t adds = add["requests"]["total"], ticks = step_named(results, "ws tick")["requests"]["total"];
  uint64_t batches = step_named(results, "ws batch")["requests"]["total"];
  uint64_t echoes = step_named(results, "ws jsonrpc echo")["requests"]["total"];
  EXPECT_EQ(rpc["by_method"]["add"], adds + ticks + batches);
  EXPECT_EQ(rpc["by_method"]["echo"], echoes + batches);
  EXPECT_EQ(rpc["by_method"]["boom"], boom["requests"]["total"]);
  EXPECT_EQ(rpc["by_method"]["other"], nope["requests"]["total"]);
  EXPECT_EQ(rpc["notifications"], ticks);
  EXPECT_EQ(rpc["batches"], batches);
  EXPECT_EQ(rpc["requests"], adds + echoes + 2 * batches + boom["requests"]["total"].get<uint64_t>() +
                                 nope["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(rpc["invalid"], 0);
}

}  // namespace
}  // namespace surge::e2e
