// The hold model in a whole run against `surge serve`'s own counts: with a rate, the server answers exactly
// the planned requests, all over the held connections, and results.json reports those connections and their
// connect times. The connect schedule itself (the climb at the connect rate, the hold until the phase ends)
// is checked exactly in simulated time by tests/load/hold_model_test.cpp.
#include <gtest/gtest.h>

#include "support.h"

namespace surge::e2e {
namespace {

std::string hold_plan(const std::string& address, const std::string& phase) {
  return "name: hold\ntarget: http://" + address + "\nphases:\n  - { name: hold, " + phase +
         " }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: / }\n";
}

TEST(HoldModel, SendsTheRateOverTheHeldConnections) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "hold-rate.yaml",
      hold_plan(address, "duration: 2s, connections: 1000, connect_rate: 1000/s, rate: 500/s"));
  RunOutcome run = run_surge({plan});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 1000) << "500/s for 2 s, counted by the server";
  EXPECT_EQ(run.results["requests"]["total"], 1000);
  EXPECT_EQ(run.results["requests"]["ok"], 1000);
  EXPECT_EQ(run.results["phases"][0]["dropped_iterations"], 0);
  EXPECT_EQ(run.results["connections"]["opened"], 1000) << "every request rode a held connection";
  EXPECT_EQ(serve_stats(address)["connections"]["accepted"].get<uint64_t>(), 1000u + 2u)
      << "the held connections, the first stats request and this one";
  EXPECT_TRUE(run.results["latency_ms"].contains("p99"));
  const nlohmann::json& connections = run.results["phases"][0]["connections"];
  EXPECT_EQ(run.results["phases"][0]["model"], "hold");
  EXPECT_EQ(connections["opened"], 1000);
  EXPECT_EQ(connections["failed"], 0);
  EXPECT_EQ(connections["closed"], 1000);
  EXPECT_EQ(connections["max_concurrent"], 1000);
  const nlohmann::json& connect_ms = connections["connect_ms"];
  for (const char* key : {"min", "mean", "p50", "p90", "p95", "p99", "p999", "max"}) {
    ASSERT_TRUE(connect_ms.contains(key)) << key;
    EXPECT_GT(connect_ms[key].get<double>(), 0) << key;
  }
}

}  // namespace
}  // namespace surge::e2e
