// The hold model against `surge serve`, seen from the server: the connections it holds open climb at the
// connect rate to the planned count and stay there; results.json reports the same connections, the achieved
// connect rate and the connect times; with a rate, the server answers exactly the planned requests.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string hold_plan(const std::string& address, const std::string& phase) {
  return "name: hold\ntarget: http://" + address + "\nphases:\n  - { name: hold, " + phase +
         " }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: / }\n";
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str().empty() ? nlohmann::json() : nlohmann::json::parse(text.str());
}

TEST(HoldModel, HoldsTheConnectionsOpenedAtTheConnectRate) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "hold.yaml", hold_plan(address, "duration: 5s, connections: 2000, connect_rate: 1000/s"));
  std::string results_path = temp_dir() + "/hold-results.json";
  Process run({surge_binary(), "run", plan, "--out", "json=" + results_path, "--quiet"});

  // The server's own count of open connections (its stats request included, hence the 1 extra).
  double first_connect_s = 0, full_s = 0;
  uint64_t open_at_4s = 0;
  while (run.elapsed_s() < 30) {
    uint64_t open = serve_stats(address)["connections"]["open"].get<uint64_t>() - 1;
    if (open > 0 && first_connect_s == 0) first_connect_s = now_s();
    if (open >= 2000 && full_s == 0) full_s = now_s();
    if (full_s > 0 && now_s() - first_connect_s >= 4.0) {
      open_at_4s = open;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GT(full_s, 0) << "the server never saw 2,000 open connections";
  EXPECT_NEAR(full_s - first_connect_s, 2.0, 0.25) << "2,000 connects at 1,000/s take 2 s";
  EXPECT_EQ(open_at_4s, 2000u) << "held until the phase ends";

  ASSERT_EQ(run.wait(), 0) << run.stderr_text();
  EXPECT_EQ(serve_stats(address)["connections"]["open"], 1)
      << "closed at the end; only the stats request is open";
  nlohmann::json results = read_json(results_path);
  const nlohmann::json& connections = results["phases"][0]["connections"];
  EXPECT_EQ(results["phases"][0]["model"], "hold");
  EXPECT_EQ(connections["opened"], 2000);
  EXPECT_EQ(connections["failed"], 0);
  EXPECT_EQ(connections["closed"], 2000);
  EXPECT_EQ(connections["max_concurrent"], 2000);
  EXPECT_EQ(results["connections"]["max_concurrent"], 2000);
  EXPECT_NEAR(connections["connect_rate_per_s"].get<double>(), 1000, 20) << "within 2% of the plan";
  const nlohmann::json& connect_ms = connections["connect_ms"];
  for (const char* key : {"min", "mean", "p50", "p90", "p95", "p99", "p999", "max"}) {
    ASSERT_TRUE(connect_ms.contains(key)) << key;
    EXPECT_GT(connect_ms[key].get<double>(), 0) << key;
  }
  EXPECT_LE(connect_ms["p50"].get<double>(), connect_ms["p99"].get<double>());
  EXPECT_EQ(results["requests"]["total"], 0) << "no rate: nothing is sent";
  EXPECT_EQ(serve_stats(address)["requests_total"], 0);
}

TEST(HoldModel, SendsTheRateOverTheHeldConnections) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "hold-rate.yaml",
      hold_plan(address, "duration: 4s, connections: 1000, connect_rate: 1000/s, rate: 500/s"));
  RunOutcome run = run_surge({plan});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 2000) << "500/s for 4 s, counted by the server";
  EXPECT_EQ(run.results["requests"]["total"], 2000);
  EXPECT_EQ(run.results["requests"]["ok"], 2000);
  EXPECT_EQ(run.results["phases"][0]["dropped_iterations"], 0);
  EXPECT_EQ(run.results["connections"]["opened"], 1000) << "every request rode a held connection";
  EXPECT_EQ(serve_stats(address)["connections"]["accepted"].get<uint64_t>(), 1000u + 2u)
      << "the held connections, the first stats request and this one";
  EXPECT_TRUE(run.results["latency_ms"].contains("p99"));
}

}  // namespace
}  // namespace surge::e2e
