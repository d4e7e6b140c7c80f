// Quick mode (`surge run --url`) against the real built-in target over loopback: surge's counts must equal the
// server's own counts, latencies must match the server's known delay, and bodies must be read exactly.
#include <gtest/gtest.h>

#include "support.h"

namespace surge::e2e {
namespace {

uint64_t stat(const nlohmann::json& stats, const char* key) { return stats.at(key).get<uint64_t>(); }

TEST(QuickRun, CountsEveryRequestTheBuiltinTargetAnswered) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "10", "-d", "2s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 1000u);
  EXPECT_EQ(total, stat(stats, "requests_total"));
  EXPECT_EQ(run.results["requests"]["ok"], total);
  EXPECT_EQ(run.results["requests"]["by_status"]["200"], total);
  EXPECT_EQ(run.results["connections"]["opened"], 10);
  EXPECT_EQ(run.results["connections"]["max_concurrent"], 10);
  EXPECT_EQ(run.results["result"], "pass");
}

TEST(QuickRun, CountsMatchWhenEveryRequestClosesItsConnection) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge(
      {"--url", "http://" + address + "/json", "-c", "4", "-d", "2s", "-H", "Connection: close", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 100u);
  EXPECT_EQ(total, stat(stats, "requests_total"));
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["connections"]["opened"], total);  // one connection per request
  EXPECT_EQ(stats["connections"]["accepted"].get<uint64_t>(), total + 1);  // + the stats request
}

TEST(QuickRun, CountsMatchWithSeveralWorkersOnBothSides) {
  Process server({surge_binary(), "serve", "--port", "0", "--workers", "2"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "20", "-d", "2s", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(run.results["requests"]["total"], stat(stats, "requests_total"));
  EXPECT_EQ(run.results["workers"].size(), 2u);
  EXPECT_EQ(run.results["connections"]["opened"], 20);
}

TEST(QuickRun, RequestBudgetSendsExactlyThatManyRequests) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "7", "-n", "1001", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["total"], 1001);
  EXPECT_EQ(stat(serve_stats(address), "requests_total"), 1001u);
}

TEST(QuickRun, LatencyMatchesTheServersKnownDelay) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "20ms"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "10", "-d", "3s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& latency = run.results["latency_ms"];
  EXPECT_GE(latency["min"].get<double>(), 20.0);
  EXPECT_GE(latency["p50"].get<double>(), 20.0);
  EXPECT_LE(latency["p50"].get<double>(), 21.0);
  // The max is the one figure scheduling noise owns (a descheduled process adds its pause): it only has to
  // show no request waited a whole extra cycle of the delay or more.
  EXPECT_LT(latency["max"].get<double>(), 60.0);
  // 10 users, each waiting ~20 ms per request, for 3 s: close to 1,500 requests.
  EXPECT_NEAR(run.results["requests"]["total"].get<double>(), 1500, 150);
}

void expect_exact_bodies(const std::string& path, uint64_t body_size) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + path, "-c", "4", "-d", "1s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 10u);
  EXPECT_EQ(total, stat(stats, "requests_total"));
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["bytes"]["body_received"], total * body_size);
  EXPECT_EQ(run.results["bytes"]["body_received"], stat(stats, "body_bytes_sent"));
}

TEST(QuickRun, ReadsChunkedBodiesExactly) { expect_exact_bodies("/bytes/100000?encoding=chunked", 100000); }

TEST(QuickRun, ReadsCloseDelimitedBodiesExactly) { expect_exact_bodies("/bytes/50000?encoding=close", 50000); }

TEST(QuickRun, ReadsOneMebibyteBodiesExactly) { expect_exact_bodies("/bytes/1048576", 1048576); }

TEST(QuickRun, CountsServerErrorsByStatus) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/status/503", "-n", "200", "-c", "2", "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1) << "no request succeeded, so the run failed";
  EXPECT_EQ(run.results["requests"]["total"], 200);
  EXPECT_EQ(run.results["requests"]["by_error"]["status_5xx"], 200);
  EXPECT_EQ(run.results["requests"]["by_status"]["503"], 200);
  EXPECT_EQ(run.results["result"], "fail");
}

}  // namespace
}  // namespace surge::e2e
