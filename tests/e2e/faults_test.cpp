// The plan's fault timeline against real processes on loopback (docs/faults.md): a `surge serve` the plan
// starts is killed and restarted, and recovery_s matches the moment the new server really listened (the test
// watches the port itself); a partition through the plan's proxy loses no request (surge's counts equal the
// server's); bad faults are plan errors with their position.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <regex>
#include <thread>
#include <vector>

#include "support.h"

namespace surge::e2e {
namespace {

double wall_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool can_connect(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return connected;
}

// Watches a port: the wall-clock time it accepted a connection again after it had accepted and then refused
// one (0: never).
class ListenWatcher {
 public:
  explicit ListenWatcher(int port) : thread_([this, port] { watch(port); }) {}
  ~ListenWatcher() {
    stop_ = true;
    thread_.join();
  }
  double relisten_wall_s() const { return relisten_wall_s_; }

 private:
  void watch(int port) {
    // Up (the server surge started before the run), down (the kill), up again (the restart).
    bool was_up = false, was_down_after = false;
    const double give_up = wall_s() + 60;  // bounded, whatever the run does
    while (!stop_ && wall_s() < give_up && relisten_wall_s_ == 0) {
      const bool up = can_connect(port);
      if (up && was_down_after) relisten_wall_s_ = wall_s();
      if (!up && was_up) was_down_after = true;
      was_up = was_up || up;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // probing a port: there is no event to wait on
    }
  }

  std::atomic<bool> stop_{false};
  std::atomic<double> relisten_wall_s_{0};
  std::thread thread_;
};

TEST(Faults, KillAndRestartRecoveryMatchesWhenTheNewServerListened) {
  const int port = free_port();
  const std::string serve = "[" + surge_binary() + ", serve, --port, \"" + std::to_string(port) +
                            "\", --addr, 127.0.0.1]";
  const std::string plan = write_temp_file("kill.yaml", "target: http://127.0.0.1:" + std::to_string(port) + R"(
phases:
  - { name: load, duration: 9s, arrival_rate: 200/s, max_users: 500 }
scenarios:
  - name: get
    steps:
      - http: { url: / }
faults:
  - { at: 3s, for: 2s, kind: kill, stable: 2s, command: )" + serve + ", restart: " + serve + " }\n");
  ListenWatcher watcher(port);
  // recovery_s is an SLA too: one that holds and one that cannot (the restart takes more than 1 ms).
  RunOutcome run = run_surge({plan, "--sla", "recovery_s < 5s", "--sla", "recovery_s < 1ms"});
  ASSERT_TRUE(run.results.is_object()) << run.stderr_text;
  const nlohmann::json& fault = run.results["faults"][0];
  ASSERT_EQ(fault["kind"], "kill") << fault.dump();
  EXPECT_FALSE(fault.contains("failure")) << fault.dump();
  // The restart starts when its timer fires: 5 s after the start, give or take the loop's wake-up.
  EXPECT_NEAR(fault["end_s"].get<double>(), 5.0, 0.25) << fault.dump();
  ASSERT_TRUE(fault["recovery_s"].is_number()) << fault.dump();
  ASSERT_GT(watcher.relisten_wall_s(), 0) << "the test never saw the restarted server listen";
  const double restart_wall_s = run.results["started_at_unix_ms"].get<double>() / 1000 + fault["end_s"].get<double>();
  const double true_recovery_s = watcher.relisten_wall_s() - restart_wall_s;
  EXPECT_NEAR(fault["recovery_s"].get<double>(), true_recovery_s, 0.3) << fault.dump();
  // The server was down for 2 s at 200 arrivals/s: those requests failed, and are counted by kind.
  EXPECT_GT(fault["errors"].get<uint64_t>(), 200u) << fault.dump();
  EXPECT_EQ(run.results["requests"]["total"].get<uint64_t>(),
            run.results["requests"]["ok"].get<uint64_t>() + run.results["requests"]["errors"].get<uint64_t>());
  EXPECT_NE(run.stdout_text.find("recovered in"), std::string::npos) << run.stdout_text;
  const nlohmann::json& slas = run.results["sla"];
  ASSERT_EQ(slas.size(), 2u);
  EXPECT_DOUBLE_EQ(slas[0]["actual"].get<double>(), fault["recovery_s"].get<double>());
  EXPECT_EQ(slas[0]["pass"], true);
  EXPECT_DOUBLE_EQ(slas[1]["actual"].get<double>(), fault["recovery_s"].get<double>() * 1000);
  EXPECT_EQ(slas[1]["pass"], false);
  EXPECT_EQ(run.exit_code, 99);
}

TEST(Faults, APartitionThroughThePlansProxyLosesNoRequest) {
  Process server({surge_binary(), "serve", "--port", "0", "--addr", "127.0.0.1"});
  const std::string address = listen_address(server);
  const int proxy_port = free_port();
  const std::string plan = write_temp_file("partition.yaml", "target: http://" + address + R"(
proxy: { listen: 127.0.0.1:)" + std::to_string(proxy_port) + R"( }
phases:
  - { name: load, duration: 8s, arrival_rate: 100/s, max_users: 1000 }
scenarios:
  - name: get
    steps:
      - http: { url: / }
faults:
  - { at: 2s, for: 3s, kind: partition, stable: 2s }
)");
  // surge_fault_active{kind="partition"} as /metrics shows it, every 200 ms of the run: (test time s, value).
  int metrics_port = free_port();
  while (metrics_port == proxy_port) metrics_port = free_port();  // two picks of a free port can agree
  std::atomic<bool> done{false};
  std::vector<std::pair<double, int>> gauge;
  std::thread scraper([&] {
    const auto begin = std::chrono::steady_clock::now();
    const std::string sample = "surge_fault_active{kind=\"partition\"} ";
    while (!done) {
      std::string text;
      try {
        text = http_get("127.0.0.1:" + std::to_string(metrics_port), "/metrics");
      } catch (const std::exception&) {  // not listening yet, or any more
      }
      size_t at = text.find(sample);
      double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      if (at != std::string::npos) gauge.emplace_back(t, text[at + sample.size()] - '0');
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  const std::string html = temp_dir() + "/partition.html", json = temp_dir() + "/partition.json";
  RunOutcome run = run_surge({plan, "--prometheus", "127.0.0.1:" + std::to_string(metrics_port), "--out",
                              "html=" + html, "--out", "json=" + json});
  done = true;
  scraper.join();
  ASSERT_TRUE(run.results.is_object()) << run.stderr_text;
  const nlohmann::json& requests = run.results["requests"];
  // Every arrival of the schedule (100/s for 8 s) was sent and ended: none lost to the partition.
  EXPECT_EQ(requests["total"].get<uint64_t>() + run.results.value("dropped_iterations", 0), 800u);
  EXPECT_EQ(requests["errors"], 0) << requests.dump();
  EXPECT_EQ(requests["ok"].get<uint64_t>(), serve_stats(address)["requests_total"].get<uint64_t>());
  // Requests held by the partition are measured from their intended send: the first waited about 3 s.
  EXPECT_GT(run.results["latency_ms"]["max"].get<double>(), 2500) << run.results["latency_ms"].dump();
  const nlohmann::json& fault = run.results["faults"][0];
  EXPECT_EQ(fault["kind"], "partition");
  EXPECT_NEAR(fault["end_s"].get<double>(), 5.0, 0.25) << fault.dump();
  ASSERT_TRUE(fault["recovery_s"].is_number()) << fault.dump();
  EXPECT_LT(fault["recovery_s"].get<double>(), 1.0) << fault.dump();
  // The gauge was 0, then 1 while the partition was on (from 2 s to 5 s of the run, published each second),
  // then 0 again. The run starts a little after the scraper, so run times come later on the test's clock.
  auto first_on = std::find_if(gauge.begin(), gauge.end(), [](const auto& g) { return g.second == 1; });
  ASSERT_NE(first_on, gauge.end()) << "no scrape saw the partition";
  EXPECT_GE(first_on->first, 1.9);
  EXPECT_TRUE(std::any_of(gauge.begin(), first_on, [](const auto& g) { return g.second == 0; }));
  auto last_on = std::find_if(gauge.rbegin(), gauge.rend(), [](const auto& g) { return g.second == 1; });
  EXPECT_LT(last_on->first, 7.5);
  EXPECT_TRUE(std::any_of(gauge.rbegin(), last_on, [](const auto& g) { return g.second == 0; }))
      << "the gauge went back to 0 after the partition";
  // The HTML report, opened in Chromium, shades the partition on every chart over time.
  const nlohmann::json verdict = run_node_check("html_report_check.js", {html, json});
  ASSERT_TRUE(verdict.is_object());
  EXPECT_TRUE(verdict["ok"].get<bool>()) << verdict.dump();
  EXPECT_EQ(verdict["charts"][0]["faults"], nlohmann::json::array({"partition"})) << verdict.dump();
}

TEST(Faults, BadFaultsArePlanErrorsWithTheirPosition) {
  const std::string plan = write_temp_file("bad-faults.yaml", R"(target: http://127.0.0.1:1
phases:
  - { name: load, duration: 10s, users: 1 }
scenarios:
  - name: get
    steps:
      - http: { url: / }
faults:
  - { at: 1s, kind: explode }
  - { at: 1s, for: 1s, kind: partition }
  - { at: 11s, kind: exec, command: [true] }
  - { at: 1s, kind: reset, ms: 5 }
  - { at: load+2s, kind: kill }
)");
  Process validate({surge_binary(), "validate", plan});
  EXPECT_EQ(validate.wait(), 2);
  const std::string errors = validate.stdout_text() + validate.stderr_text();
  EXPECT_NE(errors.find("bad-faults.yaml:9:21: unknown fault kind 'explode'; expected one of: latency"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad-faults.yaml:10:30: a partition fault acts on surge's proxy; add proxy:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad-faults.yaml:11:11: at is past the run's end: the fault would start 11s after the start of a 10s run"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad-faults.yaml:12:28: field 'ms' does not apply to a reset fault; it takes: kind, at, stable, fraction"), std::string::npos) << errors;
  EXPECT_NE(errors.find("bad-faults.yaml:13:5: a kill fault needs target_pid: PID, or command: [argv]"), std::string::npos) << errors;
}

// examples/failover.yaml as users run it (60 s), on free ports: every SLA holds, both faults recovered, the
// failed requests were all retried into success, and each fault phase's settle_s is exactly its fault's end
// plus that fault's recovery_s (the same first good response closes both).
TEST(Faults, TheFailoverExampleRecoversFromAKillAndAPartitionWithinItsSlas) {
  std::string plan = read_file(source_dir() + "/examples/failover.yaml");
  const int target = free_port();
  int proxy = free_port();
  while (proxy == target) proxy = free_port();  // two picks of a free port can agree
  const std::string target_port = std::to_string(target), proxy_port = std::to_string(proxy);
  plan = std::regex_replace(plan, std::regex("18080"), target_port);
  plan = std::regex_replace(plan, std::regex("18081"), proxy_port);
  RunOutcome run = run_surge({write_temp_file("failover.yaml", plan)});
  ASSERT_TRUE(run.results.is_object()) << run.stderr_text;
  EXPECT_EQ(run.exit_code, 0) << run.stdout_text << run.stderr_text;
  for (const auto& sla : run.results["sla"]) EXPECT_EQ(sla["pass"], true) << sla.dump();
  const nlohmann::json& faults = run.results["faults"];
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0]["kind"], "kill");
  EXPECT_EQ(faults[1]["kind"], "partition");
  EXPECT_GT(faults[0]["errors"].get<uint64_t>(), 0u) << "the kill failed requests";
  EXPECT_GE(run.results["error_recovery_rate"].get<double>(), 0.95);
  const nlohmann::json& requests = run.results["requests"];
  EXPECT_EQ(requests["total"].get<uint64_t>(), requests["ok"].get<uint64_t>() + requests["errors"].get<uint64_t>());
  const nlohmann::json& phases = run.results["phases"];
  const double phase_start_s[] = {20, 32};  // node-failure and partition
  for (size_t i = 0; i < 2; ++i) {
    const nlohmann::json& fault = faults[i];
    const nlohmann::json& phase = phases[2 + i];
    ASSERT_TRUE(fault["recovery_s"].is_number()) << fault.dump();
    ASSERT_TRUE(phase["settle_s"].is_number()) << phase.dump();
    const double expected = fault["end_s"].get<double>() - phase_start_s[i] + fault["recovery_s"].get<double>();
    EXPECT_NEAR(phase["settle_s"].get<double>(), expected, 0.001) << phase.dump() << fault.dump();
  }
}

}  // namespace
}  // namespace surge::e2e
