// The 100K benchmark (bench/100k.sh) reduced to what the suite can afford: 10,000 connections held by two
// workers against `surge serve --workers 2`, with keep-alive traffic; results.json and the server's own
// /__surge/stats must agree on the connections and the requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

TEST(HoldTenThousand, TwoWorkersHoldTenThousandConnectionsAndTheServerCountsThemAll) {
  Process server({surge_binary(), "serve", "--port", "0", "--workers", "2"});
  const std::string address = listen_address(server);
  const std::string plan = write_temp_file(
      "hold-10k.yaml", "name: hold-10k\ntarget: http://" + address +
                           "\nphases:\n  - { name: hold, duration: 8s, connections: 10000, connect_rate: 4000/s, "
                           "rate: 500/s }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: / }\n");
  const std::string results_path = temp_dir() + "/hold-10k.json";
  uint64_t polls = 0;  // every stats request after this first one is one more accepted connection
  const uint64_t accepted_before = serve_stats(address)["connections"]["accepted"].get<uint64_t>();
  Process run({surge_binary(), "run", plan, "--workers", "2", "--out", "json=" + results_path, "--quiet"});

  // The server's count of open connections, its own stats request left out.
  uint64_t peak_open = 0;
  while (run.elapsed_s() < 25 && peak_open < 10000) {
    ++polls;
    peak_open = std::max(peak_open, serve_stats(address)["connections"]["open"].get<uint64_t>() - 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(run.wait(60), 0) << run.stderr_text();
  EXPECT_EQ(peak_open, 10000u) << "the server held all 10,000 at once";

  const nlohmann::json results = nlohmann::json::parse(read_file(results_path));
  const nlohmann::json& connections = results["connections"];
  EXPECT_GE(connections["max_concurrent"].get<uint64_t>(), 10000u);
  EXPECT_EQ(connections["opened"], 10000);
  EXPECT_EQ(connections["failed"], 0);
  EXPECT_EQ(results["workers"].size(), 2u);
  // The run closed every connection; the server's workers see the last closes a moment later.
  nlohmann::json stats;
  for (int i = 0; i < 100; ++i) {
    ++polls;
    stats = serve_stats(address);
    if (stats["connections"]["open"] == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stats["connections"]["open"], 1) << "all closed at the end; only the stats request is open";
  EXPECT_EQ(stats["connections"]["accepted"].get<uint64_t>() - accepted_before, 10000u + polls)
      << "the held connections and the stats requests, nothing else";
  EXPECT_EQ(results["requests"]["total"], 4000) << "500/s for 8 s";
  EXPECT_EQ(results["requests"]["ok"], 4000);
  EXPECT_EQ(stats["requests_total"], 4000) << "counted by the server";
}

}  // namespace
}  // namespace surge::e2e
