// The plan's `timeouts:` in whole runs: a connect nobody completes, an idle keep-alive connection reopened,
// and the default wait of ws steps. Counts are compared with `surge serve`'s own where it has one.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

// A listening socket whose accept queue (of one) is full: the kernel drops every further SYN, so a connect
// to it neither completes nor fails. Closed when destroyed.
class FullBacklog {
 public:
  FullBacklog() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listener_, 0), 0);
    socklen_t length = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
    filler_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(connect(filler_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ~FullBacklog() {
    close(filler_);
    close(listener_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int listener_ = -1;
  int filler_ = -1;
  int port_ = 0;
};

std::string plan_for(const std::string& address, const std::string& body) {
  return write_temp_file("timeouts.yaml", "target: http://" + address + "\n" + body);
}

TEST(Timeouts, AConnectNobodyCompletesFailsAtTheConnectTimeout) {
  FullBacklog target;
  std::string plan = plan_for(target.address(), R"(timeout: 5s
timeouts: { connect: 300ms }
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1) << "nothing succeeded";
  const nlohmann::json& requests = run.results["requests"];
  uint64_t total = requests["total"];
  // 2 users, each failing every 300 ms for 1 s: connects start at 0, 0.3, 0.6 and 0.9 s.
  EXPECT_EQ(total, 8u) << requests.dump();
  EXPECT_EQ(requests["by_error"]["connect_timeout"], total);
  EXPECT_EQ(run.results["connections"]["failed"], total);
  EXPECT_EQ(run.results["connections"]["opened"], 0);
  EXPECT_LT(run.elapsed_s, 4.0);
}

TEST(Timeouts, ARequestTimeoutShorterThanTheConnectTimeoutBoundsTheConnect) {
  FullBacklog target;
  std::string plan = plan_for(target.address(), R"(timeout: 300ms
timeouts: { connect: 5s }
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.results["requests"]["by_error"]["timeout"], 4) << run.results["requests"].dump();
  EXPECT_FALSE(run.results["requests"]["by_error"].contains("connect_timeout"));
}

// One user: GET, a 300 ms think, GET. With a 100 ms idle timeout, the request after each think opens a new
// connection; the next iteration's first request follows at once and reuses it.
std::string think_plan(const std::string& address, const std::string& timeouts) {
  return plan_for(address, timeouts + R"(phases: [{ name: main, duration: 2s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { name: first, url: / }
      - think: 300ms
      - http: { name: second, url: / }
)");
}

TEST(Timeouts, AConnectionIdleLongerThanTheIdleTimeoutIsReopenedForTheNextRequest) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({think_plan(address, "timeouts: { idle: 100ms }\n"), "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t seconds_sent = 0;
  for (const nlohmann::json& step : run.results["steps"]) {
    if (step["name"] == "second") seconds_sent = step["requests"]["total"];
  }
  EXPECT_GE(seconds_sent, 4u);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["connections"]["opened"], seconds_sent + 1) << "one per think, and the first";
  EXPECT_EQ(serve_stats(address)["connections"]["accepted"], seconds_sent + 2) << "and the stats request's own";
}

TEST(Timeouts, AConnectionIdleLessThanTheIdleTimeoutIsKept) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({think_plan(address, ""), "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["connections"]["opened"], 1);
}

TEST(Timeouts, WsReceiveIsTheDefaultWaitOfWsSteps) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  // /ws echoes "hi", which never contains "never": each expect waits out its 200 ms.
  std::string plan = plan_for(address, R"(timeout: 10s
timeouts: { ws_receive: 200ms }
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - ws: { connect: /ws }
      - ws: { send: hi, expect: { contains: never } }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  const nlohmann::json& waits = run.results["steps"][1]["requests"];
  uint64_t timeouts = waits["by_error"].value("timeout", uint64_t{0});
  // 1 s / (200 ms + a connect) gives 4 or 5 iterations; a 10 s wait would give 1.
  EXPECT_GE(timeouts, 4u) << waits.dump();
  EXPECT_LE(timeouts, 5u) << waits.dump();
  EXPECT_EQ(waits["total"], timeouts);
}

}  // namespace
}  // namespace surge::e2e
