// Per-step retry against the built-in target's own counts: `surge serve --fail-every 10` answers every tenth
// request with 503, and a step with `retry: {attempts: 2, on: [5xx]}` sends each of them again; the server's
// count shows the retries and the error recovery rate is exact. A refused target shows the back-off bounding
// the tries.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.h"

namespace surge::e2e {
namespace {

std::string retry_plan(const std::string& target, const std::string& retry, const std::string& duration,
                       int users) {
  return "name: retry\ntarget: " + target + "\nphases: [{ name: p, duration: " + duration +
         ", users: " + std::to_string(users) +
         " }]\nscenarios:\n  - name: s\n    steps:\n"
         "      - http: { name: home, url: /, retry: " +
         retry + " }\n      - think: 2ms\n";
}

TEST(Retry, EveryFailedRequestIsRetriedAndTheTargetCountsTheRetries) {
  Process server({surge_binary(), "serve", "--port", "0", "--fail-every", "10"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "retry.yaml",
      retry_plan("http://" + address, "{ attempts: 2, backoff: 5ms..20ms, on: [5xx] }", "2s", 1));
  RunOutcome run = run_surge({plan, "--workers", "1", "--sla", "error_recovery_rate > 95%"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["sla"][0]["actual"], 100.0);
  nlohmann::json stats = serve_stats(address);
  const nlohmann::json& requests = run.results["requests"];
  uint64_t answered = stats["requests_total"], unavailable = stats["by_status"]["503"];
  EXPECT_EQ(requests["total"], answered) << "every try is a request the target answered";
  EXPECT_EQ(unavailable, answered / 10) << "--fail-every 10";
  EXPECT_GT(unavailable, 20u);
  // One user, one server worker failing every tenth request: a retry is the request right after a failure, so
  // it never fails too; each failed request was retried once and recovered.
  EXPECT_EQ(requests["by_error"]["status_5xx"], unavailable);
  EXPECT_EQ(requests["retried"], unavailable);
  EXPECT_EQ(requests["retries"], unavailable);
  EXPECT_EQ(requests["recovered"], unavailable);
  EXPECT_EQ(requests["ok"].get<uint64_t>(), answered - unavailable);
  EXPECT_EQ(run.results["error_recovery_rate"], 1.0);
  EXPECT_EQ(run.results["steps"][0]["requests"]["recovered"], unavailable);
  EXPECT_NE(run.stdout_text.find("retries      " + std::to_string(unavailable) + " sent; " +
                                 std::to_string(unavailable) + " of " + std::to_string(unavailable) +
                                 " failed requests recovered (100.0% error recovery)"),
            std::string::npos)
      << run.stdout_text;
}

TEST(Retry, AKindNotListedIsNotRetried) {
  Process server({surge_binary(), "serve", "--port", "0", "--fail-every", "10"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "retry.yaml", retry_plan("http://" + address, "{ attempts: 3, on: [reset, refused] }", "1s", 2));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& requests = run.results["requests"];
  EXPECT_GT(requests["by_error"]["status_5xx"].get<uint64_t>(), 5u);
  EXPECT_EQ(requests["retried"], 0);
  EXPECT_EQ(requests["retries"], 0);
  EXPECT_TRUE(run.results["error_recovery_rate"].is_null());
  EXPECT_EQ(requests["total"], serve_stats(address)["requests_total"]);
  EXPECT_EQ(run.stdout_text.find("retries  "), std::string::npos);
}

// Nothing listens: every try is refused. Each iteration makes exactly 3 tries, waiting 50..100 ms before each
// retry, so 1 s holds at most 10 iterations' retries; none recovers.
TEST(Retry, RefusedTriesWaitTheirBackOffAndNeverRecover) {
  // A port bound for the whole test and never listened on: refused, and no test running beside this one can
  // take it (a port found free and let go could be another test's server a moment later).
  const int closed = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(closed, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(closed, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::string plan = write_temp_file("refused.yaml",
                                     retry_plan("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
                                                "{ attempts: 3, backoff: 100ms, on: [refused] }", "1s", 1));
  RunOutcome run = run_surge({plan, "--workers", "1", "--sla", "error_recovery_rate > 95%"});
  // No request recovered: the SLA fails (the exit code is 1 all the same: no connect ever succeeded).
  EXPECT_EQ(run.results["sla"][0]["actual"], 0.0);
  EXPECT_EQ(run.results["sla"][0]["pass"], false);
  const nlohmann::json& requests = run.results["requests"];
  uint64_t retried = requests["retried"];
  EXPECT_GE(retried, 3u);
  EXPECT_LE(retried, 11u) << "two back-offs of at least 50 ms each per iteration";
  EXPECT_EQ(requests["retries"], 2 * retried);
  EXPECT_EQ(requests["total"], 3 * retried);
  EXPECT_EQ(requests["by_error"]["refused"], 3 * retried);
  close(closed);
  EXPECT_EQ(requests["recovered"], 0);
  EXPECT_EQ(run.results["error_recovery_rate"], 0.0);
}

}  // namespace
}  // namespace surge::e2e
