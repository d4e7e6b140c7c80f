// results.json's connection counts and by_status against `surge serve`'s own counts (/__surge/stats), in
// every kind of run: `connections.closed` counts every connection surge opened, those still open at the end
// included, whether the run ends by duration (-d), by request budget (-n) or as a plan; and the 101 of each
// accepted WebSocket upgrade is in by_status (docs/results.md#connections).
#include <gtest/gtest.h>

#include <chrono>

#include "support.h"

namespace surge::e2e {
namespace {

uint64_t accepted(const nlohmann::json& stats) { return stats["connections"]["accepted"].get<uint64_t>(); }

// The server's stats once it has seen every connection of the run close: only the asking one is open. surge
// closes its connections before it exits, but the server reads those closes on its own time.
nlohmann::json stats_after_closes(const std::string& address) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  nlohmann::json stats = serve_stats(address);
  while (stats["connections"]["open"] != 1 && std::chrono::steady_clock::now() < deadline) {
    stats = serve_stats(address);
  }
  return stats;
}

// Runs surge against a fresh `surge serve` and checks the connection counts both sides agree on: each
// connection surge opened was accepted by the server once, and every one of them was closed.
struct Counted {
  RunOutcome run;
  nlohmann::json stats;
};
Counted run_counted(const std::vector<std::string>& args, const std::string& address) {
  const uint64_t accepted_before = accepted(serve_stats(address));  // the stats requests count too
  Counted counted{run_surge(args), {}};
  counted.stats = stats_after_closes(address);
  const nlohmann::json& connections = counted.run.results["connections"];
  EXPECT_EQ(counted.run.exit_code, 0) << counted.run.stderr_text;
  EXPECT_EQ(connections["opened"].get<uint64_t>(), accepted(counted.stats) - accepted_before - 1);
  EXPECT_EQ(connections["failed"], 0);
  EXPECT_EQ(counted.stats["connections"]["open"], 1) << "the server still holds a connection surge left open";
  return counted;
}

TEST(Counts, AQuickRunForADurationCountsTheConnectionsStillOpenAtItsEndAsClosed) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Counted counted =
      run_counted({"--url", "http://" + address + "/", "-c", "8", "-d", "2s", "--workers", "2"}, address);
  const nlohmann::json& connections = counted.run.results["connections"];
  EXPECT_EQ(connections["opened"], 8);
  EXPECT_EQ(connections["closed"], 8);
  EXPECT_EQ(connections["max_concurrent"], 8);
  EXPECT_EQ(counted.run.results["requests"]["by_status"]["200"], counted.stats["requests_total"]);
}

TEST(Counts, AQuickRunWithARequestBudgetCountsTheSame) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Counted counted =
      run_counted({"--url", "http://" + address + "/", "-c", "8", "-n", "400", "--workers", "2"}, address);
  const nlohmann::json& connections = counted.run.results["connections"];
  EXPECT_EQ(connections["opened"], 8);
  EXPECT_EQ(connections["closed"], 8);
  EXPECT_EQ(counted.run.results["requests"]["by_status"], nlohmann::json::parse(R"({"200": 400})"));
  EXPECT_EQ(counted.stats["requests_total"], 400);
}

TEST(Counts, ConnectionsTheServerClosesDuringTheRunAreCountedOnceEach) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Counted counted = run_counted({"--url", "http://" + address + "/", "-c", "4", "-n", "200", "-H",
                                 "Connection: close", "--workers", "1"},
                                address);
  const nlohmann::json& connections = counted.run.results["connections"];
  EXPECT_EQ(connections["opened"], 200);
  EXPECT_EQ(connections["closed"], 200);
}

TEST(Counts, APlanRunCountsItsConnectionsClosedInItsLastPhase) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string plan = write_temp_file("counts-plan.yaml", "target: http://" + address + R"(
phases:
  - { name: first, duration: 1s, users: 3 }
  - { name: last, duration: 1s, users: 5 }
scenarios:
  - name: s
    steps:
      - http: { url: / }
      - think: 20ms
)");
  Counted counted = run_counted({plan, "--workers", "1"}, address);
  const nlohmann::json& results = counted.run.results;
  EXPECT_EQ(results["connections"]["opened"], 5);
  EXPECT_EQ(results["connections"]["closed"], 5);
  EXPECT_EQ(results["phases"][0]["connections"]["closed"], 0)
      << "the closed model keeps its users' connections";
  EXPECT_EQ(results["phases"][1]["connections"]["closed"], 5);
  EXPECT_EQ(results["timeseries"].back()["open_connections"], 0);
}

TEST(Counts, EveryAcceptedWebSocketUpgradeIsA101InByStatus) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string plan = write_temp_file("counts-ws.yaml", "target: http://" + address + R"(
phases: [{ name: p, duration: 1s, users: 2 }]
scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: hi, expect: { contains: hi } }
      - ws: { send: ho, expect: { contains: ho } }
      - ws: { close: 1000 }
      - http: { url: / }
)");
  Counted counted = run_counted({plan, "--workers", "1"}, address);
  const nlohmann::json& results = counted.run.results;
  const uint64_t upgrades = counted.stats["ws"]["upgrades"].get<uint64_t>();
  EXPECT_GT(upgrades, 0u);
  EXPECT_EQ(counted.stats["by_status"]["101"], upgrades);
  EXPECT_EQ(results["requests"]["by_status"]["101"], upgrades);
  EXPECT_EQ(results["requests"]["by_status"]["200"], counted.stats["by_status"]["200"]);
  EXPECT_EQ(results["steps"][0]["name"], "ws connect /ws");
  EXPECT_EQ(results["steps"][2]["name"], "ws send #2") << "two unnamed sends are numbered (docs/plan.md)";
  EXPECT_EQ(results["steps"][0]["requests"]["by_status"],
            nlohmann::json::parse(R"({"101": )" + std::to_string(upgrades) + "}"));
  EXPECT_EQ(results["connections"]["closed"], results["connections"]["opened"]);
}

}  // namespace
}  // namespace surge::e2e
