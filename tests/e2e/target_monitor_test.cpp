// Target monitoring against a real `surge serve`: the CPU time and descriptors surge reports for the target must
// agree with what the kernel says about that process tree, read independently by the test from /proc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

// utime + stime of one process in seconds, from /proc/PID/stat (fields 14 and 15, counted after the ')').
double process_cpu_s(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(file, text);
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string value;
  double ticks = 0;
  for (int field = 3; field <= 15 && fields >> value; ++field) {
    if (field >= 14) ticks += std::stod(value);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The pids whose parent is pid.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file(entry.path() / "stat");
    std::string text;
    if (!std::getline(file, text) || text.rfind(')') == std::string::npos) continue;
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string state, parent;
    fields >> state >> parent;
    if (std::stoi(parent) == pid) children.push_back(std::stoi(name));
  }
  return children;
}

double tree_cpu_s(pid_t pid) {
  double total = process_cpu_s(pid);
  for (pid_t child : children_of(pid)) total += tree_cpu_s(child);
  return total;
}

TEST(TargetMonitor, TargetPidCpuTimeEqualsTheKernelsCountForTheWholeServerTree) {
  Process server({surge_binary(), "serve", "--port", "0", "--workers", "2"});
  std::string address = listen_address(server);
  // The workers may still be forking when the address is printed: give them up to 2 s.
  for (int i = 0; i < 200 && children_of(server.pid()).size() < 2; ++i) usleep(10'000);
  ASSERT_EQ(children_of(server.pid()).size(), 2u) << "serve --workers 2 should fork two workers";
  const double before_s = tree_cpu_s(server.pid());
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "40", "-d", "3s", "--workers", "1",
                              "--target-pid", std::to_string(server.pid())});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const double after_s = tree_cpu_s(server.pid());
  const nlohmann::json& target = run.results.at("target");
  EXPECT_EQ(target["pid"], server.pid());
  // The kernel counts in ticks (10 ms); the last sample is taken after the last response.
  EXPECT_NEAR(target["cpu_s"].get<double>(), after_s - before_s, 0.05);
  EXPECT_GT(target["cpu_s"].get<double>(), 0.5);  // 3 s of load on 2 server workers
  // 40 connections, each accepted by one worker process, plus listening sockets and the usual fds.
  EXPECT_GE(target["peak_open_fds"].get<uint64_t>(), 40u);
  EXPECT_GE(target["peak_threads"].get<uint64_t>(), 3u);  // parent + 2 workers
  EXPECT_GT(target["peak_rss_bytes"].get<uint64_t>(), 0u);
  for (const nlohmann::json& row : run.results["timeseries"]) {
    ASSERT_TRUE(row.contains("target")) << row.dump();
    EXPECT_GE(row["target"]["cpu_percent"].get<double>(), 0.0);
  }
}

TEST(TargetMonitor, TheBuiltinTargetIsMonitoredWithoutBeingAsked) {
  const std::string plan = write_temp_file("builtin.yaml", R"(
target: builtin
phases:
  - { name: only, duration: 2s, users: 20 }
scenarios:
  - name: home
    steps:
      - http: { url: / }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& target = run.results.at("target");
  EXPECT_GT(target["pid"].get<int>(), 0);
  EXPECT_GT(target["cpu_s"].get<double>(), 0.1);
  EXPECT_GE(target["peak_open_fds"].get<uint64_t>(), 20u);
  EXPECT_TRUE(target.contains("bytes_per_connection"));
}

TEST(TargetMonitor, AMissingTargetPidIsAWarningAndTheRunGoesOn) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  // A pid that cannot exist (above the kernel's pid_max default of 4194304).
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "2", "-d", "1s", "--target-pid", "2147483647"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("target process 2147483647 not found"), std::string::npos) << run.stderr_text;
  EXPECT_FALSE(run.results.contains("target"));
}

}  // namespace
}  // namespace surge::e2e
