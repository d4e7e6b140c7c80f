// Weighted multi-step scenarios against `surge serve`, checked against the server's own counts: the weight mix,
// a captured token sent back byte for byte, loops, feeders, checks and custom metrics. Bad scenarios are plan
// errors with their position (exit 2).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

uint64_t path_count(const nlohmann::json& stats, const std::string& path) { return stats["by_path"][path]; }

std::string plan_file(const std::string& address, const std::string& body) {
  return write_temp_file("scenario.yaml", "target: http://" + address + "\n" + body);
}

TEST(Scenario, TenThousandIterationsFollowTheWeightsWithinOnePercent) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 60s, users: 8 }]
scenarios:
  - { name: completion, weight: 25, steps: [{ http: { method: POST, url: /v1/complete, json: { prompt: x } } }] }
  - { name: handoff, weight: 20, steps: [{ http: { method: POST, url: /v1/agents/handoff, json: {} } }] }
  - { name: optimize, weight: 15, steps: [{ http: { method: POST, url: /v1/optimize, json: {} } }] }
  - { name: repos, weight: 20, steps: [{ http: { url: /v1/repos/7/files } }] }
  - { name: login, weight: 20, steps: [{ http: { method: POST, url: /v1/login, json: { user: a } } }] }
)");
  RunOutcome run = run_surge({plan, "-n", "10000", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  ASSERT_EQ(run.results["requests"]["total"], 10000);
  const std::pair<const char*, double> shares[] = {
      {"/v1/complete", 0.25}, {"/v1/agents/handoff", 0.20}, {"/v1/optimize", 0.15}, {"/v1/repos", 0.20},
      {"/v1/login", 0.20}};
  uint64_t sum = 0;
  for (auto [path, share] : shares) {
    double seen = static_cast<double>(path_count(stats, path)) / 10000;
    EXPECT_NEAR(seen, share, 0.01) << path;
    sum += path_count(stats, path);
  }
  EXPECT_EQ(sum, 10000u) << "the server answered exactly the requests surge counted";
}

TEST(Scenario, ACapturedTokenIsSentBackByteForByte) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string users = write_temp_file("users.csv", "name\nalice\n");
  std::string plan = plan_file(address, "feeders: [{ name: users, file: " + users + " }]\n" + R"(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: flow
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: "{{ users.name }}" },
                capture: { token: "$.token" } }
      - http: { name: whoami, url: /v1/whoami, headers: { Authorization: "Bearer {{ token }}" },
                expect: { status: 200, json: { "$.authorization": "Bearer tok-alice" } } }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  const nlohmann::json& whoami = run.results["steps"][1];
  ASSERT_EQ(whoami["name"], "whoami");
  uint64_t sent = whoami["requests"]["total"];
  EXPECT_GT(sent, 20u);
  EXPECT_EQ(sent, path_count(stats, "/v1/whoami"));
  EXPECT_EQ(whoami["requests"]["errors"], 0);
  EXPECT_EQ(whoami["checks"][0]["name"], "json $.authorization");
  EXPECT_EQ(whoami["checks"][0]["passed"], sent);
  EXPECT_EQ(run.results["steps"][0]["checks"][0]["name"], "capture token");
  EXPECT_EQ(run.results["steps"][0]["checks"][0]["failed"], 0);
}

TEST(Scenario, AFailedCheckIsACheckErrorCountedUnderItsName) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: flow
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: bob },
                expect: { json: { "$.user": "carol" }, contains: tok-bob, header: { Content-Type: application/json } } }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 1) << "no request succeeded";
  const nlohmann::json& step = run.results["steps"][0];
  uint64_t sent = step["requests"]["total"];
  EXPECT_EQ(step["requests"]["by_error"]["check"], sent);
  EXPECT_EQ(step["checks"][0]["name"], "header Content-Type");
  EXPECT_EQ(step["checks"][0]["passed"], sent);
  EXPECT_EQ(step["checks"][1]["name"], "contains tok-bob");
  EXPECT_EQ(step["checks"][1]["passed"], sent);
  EXPECT_EQ(step["checks"][2]["name"], "json $.user");
  EXPECT_EQ(step["checks"][2]["failed"], sent);
  EXPECT_EQ(run.results["checks"]["failed"], sent);
}

TEST(Scenario, ALoopRunsItsBodyCountTimesPerIteration) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 1s, users: 3 }]
scenarios:
  - name: flow
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: a } }
      - loop: { count: 4, steps: [{ http: { name: complete, method: POST, url: /v1/complete, json: {} } }, { think: exp(1ms) }] }
      - http: { name: whoami, url: /v1/whoami, headers: { Authorization: x } }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  uint64_t iterations = path_count(stats, "/v1/whoami");
  EXPECT_GT(iterations, 10u);
  EXPECT_EQ(path_count(stats, "/v1/complete"), 4 * iterations);
  EXPECT_EQ(path_count(stats, "/v1/login"), iterations);
  EXPECT_EQ(run.results["interrupted_iterations"], 0);
}

TEST(Scenario, AUniqueFeederGivesEachRowOnceAcrossWorkersThenDrops) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string rows = "name\n";
  for (int i = 0; i < 25; ++i) rows += "user" + std::to_string(i) + "\n";
  std::string users = write_temp_file("unique.csv", rows);
  std::string plan = plan_file(address, "feeders: [{ name: users, file: " + users + ", order: unique }]\n" + R"(
phases: [{ name: main, duration: 1s, arrival_rate: 100/s, max_users: 10 }]
scenarios:
  - { name: flow, steps: [{ http: { method: POST, url: /v1/login, json: { user: "{{ users.name }}" } } }] }
)");
  RunOutcome run = run_surge({plan, "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(path_count(stats, "/v1/login"), 25u);
  EXPECT_EQ(run.results["requests"]["total"], 25);
  EXPECT_EQ(run.results["dropped_iterations"], 75) << "100 arrivals, 25 rows";
}

TEST(Scenario, AClosedModelStopsStartingIterationsWhenAUniqueFeederRunsOut) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string users = write_temp_file("three.csv", "name\na\nb\nc\n");
  std::string plan = plan_file(address, "feeders: [{ name: users, file: " + users + ", order: unique }]\n" + R"(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - { name: flow, steps: [{ http: { method: POST, url: /v1/login, json: { user: "{{ users.name }}" } } }] }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_LT(run.elapsed_s, 5.0) << "the users stop instead of spinning on a feeder with no rows";
  EXPECT_EQ(path_count(serve_stats(address), "/v1/login"), 3u);
  EXPECT_GE(run.results["phases"][0]["dropped_iterations"].get<uint64_t>(), 1u);
}

TEST(Scenario, ACacheHitRateEqualsTheServersCountOfHits) {
  Process server({surge_binary(), "serve", "--port", "0", "--cache-hit-ratio", "0.7"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 1s, users: 4 }]
metrics:
  - { name: cache_hit, rate: 'header("X-Cache") == "HIT"', steps: [complete] }
  - { name: tokens, trend: 'json("$.tokens")' }
  - { name: misses, counter: 'header("X-Cache") == "MISS"', steps: [complete] }
scenarios:
  - name: flow
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: a } }
      - http: { name: complete, method: POST, url: /v1/complete, json: { prompt: "{{ random.word }}" } }
sla: ["rate(cache_hit) > 60%", "rate(cache_hit) > 75%", "counter(misses) > 0", "counter(misses) < 1",
      "p95(trend(tokens)) < 7.5", "min(trend(tokens{phase=main})) > 7.5"]
)");
  RunOutcome run = run_surge({plan, "--workers", "2"});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  const nlohmann::json& cache_hit = run.results["metrics"]["cache_hit"];
  EXPECT_EQ(cache_hit["hits"], stats["cache"]["hit"]);
  EXPECT_EQ(cache_hit["total"], path_count(stats, "/v1/complete"));
  EXPECT_NEAR(cache_hit["rate"].get<double>(), 0.7, 0.01);
  EXPECT_TRUE(run.results["sla"][0]["pass"]);
  EXPECT_FALSE(run.results["sla"][1]["pass"]);
  EXPECT_GT(run.results["metrics"]["tokens"]["count"].get<uint64_t>(), 0u);
  // counter(misses) is serve's own count of misses; serve answers tokens: 7 on every completion.
  EXPECT_EQ(run.results["sla"][2]["actual"], stats["cache"]["miss"]);
  EXPECT_TRUE(run.results["sla"][2]["pass"]);
  EXPECT_FALSE(run.results["sla"][3]["pass"]);
  EXPECT_NEAR(run.results["sla"][4]["actual"].get<double>(), 7.0, 0.01);
  EXPECT_TRUE(run.results["sla"][4]["pass"]);
  EXPECT_NEAR(run.results["sla"][5]["actual"].get<double>(), 7.0, 0.01);
  EXPECT_FALSE(run.results["sla"][5]["pass"]);
}

// examples/mcp.yaml as shipped (target: builtin), scaled down: it must pass its own SLAs.
TEST(Scenario, TheMcpExampleRunsCleanAgainstTheBuiltInTarget) {
  RunOutcome run = run_surge({source_dir() + "/examples/mcp.yaml", "--scale", "0.04"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["checks"]["failed"], 0);
  EXPECT_GT(run.results["checks"]["passed"].get<uint64_t>(), 100u);
}

// examples/codepal.yaml as shipped: five weighted scenarios over HTTP and WebSocket, scaled to 12 s.
TEST(Scenario, TheCodePalExampleRunsCleanAgainstTheBuiltInTarget) {
  RunOutcome run = run_surge({source_dir() + "/examples/codepal.yaml", "--scale", "0.05"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["checks"]["failed"], 0);
  std::map<std::string, uint64_t> first_step_requests;
  for (const nlohmann::json& step : run.results["steps"]) {
    first_step_requests.emplace(step["scenario"].get<std::string>(), step["requests"]["total"].get<uint64_t>());
  }
  ASSERT_EQ(first_step_requests.size(), 5u) << "every scenario ran";
  EXPECT_GT(first_step_requests["real-time-collaboration"], 50u);
  EXPECT_NEAR(run.results["metrics"]["cache_hit"]["rate"].get<double>(), 0.8, 0.02);
}

TEST(Scenario, BadScenariosArePlanErrorsWithTheirPosition) {
  std::string plan = write_temp_file("bad.yaml", R"(target: http://127.0.0.1:9
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: flow
    steps:
      - grpc: { url: / }
      - http: { url: "/x/{{ nope }}", capture: { id: "$.a[" } }
)");
  RunOutcome run = run_surge({plan});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("bad.yaml:6:9: unknown key 'grpc' in step; expected one of: http, think, loop, group, ws, mcp, jsonrpc"),
            std::string::npos)
      << run.stderr_text;
  std::string fixed = write_temp_file("bad2.yaml", R"(target: http://127.0.0.1:9
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: flow
    steps:
      - http: { url: "/x/{{ nope }}", capture: { id: "$.a[" } }
)");
  run = run_surge({fixed});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("bad2.yaml:6:26: unknown variable 'nope': defined are id"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("bad2.yaml:6:58: JSON path '$.a[': unterminated '['"), std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
