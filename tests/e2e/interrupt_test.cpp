// Runs that end early keep their data: Ctrl-C within --grace, a second Ctrl-C, a worker killed with SIGKILL,
// and outputs that cannot be written (missing or read-only folder, a full disk) — always against surge serve.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

// Waits until process `pid` has taken signal `number`: it is pending no more (the coordinator read it from
// its signalfd), at most 10 s. The kernel has no event for that, so /proc is asked every millisecond.
bool signal_taken(pid_t pid, int number) {
  const uint64_t bit = uint64_t{1} << (number - 1);
  for (int i = 0; i < 10000; ++i) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    uint64_t pending = 0;
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigPnd:", 0) == 0 || line.rfind("ShdPnd:", 0) == 0) {
        pending |= std::stoull(line.substr(7), nullptr, 16);
      }
    }
    if ((pending & bit) == 0) return true;
    poll(nullptr, 0, 1);
  }
  return false;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file.good()) << path << " was not written";
  return file.good() ? nlohmann::json::parse(file) : nlohmann::json();
}

// The worker processes of a running `surge run` (its children), from /proc.
std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  for (pid_t child = 0; file >> child;) children.push_back(child);
  return children;
}

// results.json as printed on stdout after the summary when an output could not be written.
nlohmann::json json_after_summary(const std::string& stdout_text) {
  const size_t start = stdout_text.find("\n{\n");
  if (start == std::string::npos) return nullptr;
  return nlohmann::json::parse(stdout_text.substr(start + 1), nullptr, false);
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename());
  return names;
}

TEST(Interrupt, EveryOutputIsWrittenWithTheTimeTheSignalCame) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/interrupt-all";
  std::filesystem::create_directories(dir);
  Process run({surge_binary(),
               "run",
               "--url",
               "http://" + address + "/",
               "-c",
               "4",
               "-d",
               "60s",
               "--workers",
               "2",
               "--quiet",
               "--out",
               "json=" + dir + "/r.json",
               "--out",
               "csv=" + dir + "/r.csv",
               "--out",
               "html=" + dir + "/r.html",
               "--out",
               "junit=" + dir + "/r.xml",
               "--out",
               "hlog=" + dir + "/r.hlog"});
  wait_for_requests(address, 1000);
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  EXPECT_EQ(run.wait(10), 1) << run.stderr_text();
  nlohmann::json results = read_json(dir + "/r.json");
  EXPECT_EQ(results["interrupted"], true);
  const double at_s = results["interrupted_at_s"].get<double>();
  EXPECT_GT(at_s, 0.0);
  EXPECT_LT(at_s, 30.0);
  EXPECT_GE(results["duration_s"].get<double>(), at_s);
  EXPECT_LT(results["duration_s"].get<double>(), at_s + 2.0);  // nothing was in flight for long
  EXPECT_EQ(results["requests"]["total"], serve_stats(address)["requests_total"]);
  for (const char* name : {"r.csv", "r.html", "r.xml", "r.hlog"}) {
    EXPECT_GT(std::filesystem::file_size(dir + "/" + name), 0u) << name;
  }
  EXPECT_NE(read_file(dir + "/r.xml").find("interrupted"), std::string::npos);
}

// Ctrl-C at 20 random moments (seeded, so a failure can be replayed) of a 30 s run, each once the load runs:
// results.json always parses, says interrupted, and counts what the server answered during that run, give or
// take the requests in flight (one per connection).
TEST(Interrupt, TwentyCtrlCsAtRandomMomentsLeaveResultsThatMatchTheServer) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/interrupt-random";
  std::filesystem::create_directories(dir);
  std::mt19937 random(20261124);
  std::uniform_int_distribution<int> moment_ms(0, 1500);
  constexpr uint64_t kConnections = 4;
  for (int round = 0; round < 20; ++round) {
    const int ms = moment_ms(random);
    const uint64_t before = serve_stats(address)["requests_total"].get<uint64_t>();
    const std::string json_path = dir + "/r" + std::to_string(round) + ".json";
    Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c",
                 std::to_string(kConnections), "-d", "30s", "--workers", "2", "--quiet", "--out",
                 "json=" + json_path});
    wait_for_requests(address, before + 1);  // the load runs: the signal handling is in place
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));  // the random moment is what is tested
    ASSERT_EQ(kill(run.pid(), SIGINT), 0);
    EXPECT_EQ(run.wait(10), 1) << "round " << round << " at " << ms << " ms: " << run.stderr_text();
    const uint64_t served = serve_stats(address)["requests_total"].get<uint64_t>() - before;
    nlohmann::json results = nlohmann::json::parse(read_file(json_path), nullptr, false);
    ASSERT_FALSE(results.is_discarded())
        << "round " << round << " at " << ms << " ms: results.json does not parse";
    EXPECT_EQ(results["interrupted"], true) << "round " << round;
    const uint64_t counted = results["requests"]["total"].get<uint64_t>();
    EXPECT_LE(counted, served) << "round " << round << " at " << ms << " ms";
    EXPECT_LE(served - std::min(served, counted), kConnections) << "round " << round << " at " << ms << " ms";
  }
}

TEST(Interrupt, GraceBoundsTheWaitForRequestsInFlight) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string json_path = temp_dir() + "/grace.json";
  Process run({surge_binary(), "run", "--url", "http://" + address + "/delay/20000", "-c", "2", "-d", "60s",
               "--timeout", "30s", "--grace", "500ms", "--quiet", "--out", "json=" + json_path});
  wait_for_received(address, 2);  // both users are waiting for a 20 s answer
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  const double signalled_s = run.elapsed_s();
  EXPECT_EQ(run.wait(15), 1) << run.stderr_text();
  EXPECT_LT(run.elapsed_s() - signalled_s, 2.5) << "the 20 s requests were waited for";
  nlohmann::json results = read_json(json_path);
  EXPECT_EQ(results["interrupted"], true);
  EXPECT_EQ(results["requests"]["total"], 0) << "abandoned requests have no outcome";
  EXPECT_LT(results["duration_s"].get<double>() - results["interrupted_at_s"].get<double>(), 1.5);
}

TEST(Interrupt, ASecondCtrlCLeavesAtOnceAndKeepsWhatTheWorkersCounted) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string json_path = temp_dir() + "/twice.json";
  // Each user alternates a quick request and a 20 s one, so at any moment some are in flight for long.
  const std::string plan = write_temp_file("twice.yaml", "target: http://" + address + R"(
phases: [{ name: load, duration: 60s, users: 4 }]
scenarios:
  - name: s
    steps:
      - http: { name: quick, url: /delay/5 }
      - http: { name: slow, url: /delay/20000, timeout: 30s }
)");
  Process run({surge_binary(), "run", plan, "--workers", "2", "--grace", "60s", "--quiet", "--out",
               "json=" + json_path});
  wait_for_requests(address, 4);  // each user's quick request was answered
  wait_for_received(address, 8);  // and its slow one is in flight
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // inside a snapshot second, not at its edge
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  ASSERT_TRUE(signal_taken(run.pid(), SIGINT)) << "two SIGINTs still pending would be one";
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  const double second_signal_s = run.elapsed_s();
  EXPECT_EQ(run.wait(15), 1) << run.stderr_text();
  EXPECT_LT(run.elapsed_s() - second_signal_s, 1.5);
  nlohmann::json results = read_json(json_path);
  EXPECT_EQ(results["interrupted"], true);
  // The quick requests were answered and counted; the workers flushed them on the way out.
  EXPECT_EQ(results["steps"][0]["requests"]["ok"], 4);
  EXPECT_EQ(results["steps"][1]["requests"]["total"], 0);
  for (const nlohmann::json& worker : results["workers"]) EXPECT_EQ(worker["exit_code"], 0);
}

TEST(Interrupt, AWorkerKilledWithSigkillLeavesTheRunToTheOthers) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string json_path = temp_dir() + "/killed.json";
  Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c", "4", "-d", "3s", "--workers",
               "2", "--quiet", "--out", "json=" + json_path});
  wait_for_requests(address, 500);
  std::vector<pid_t> workers = children_of(run.pid());
  ASSERT_EQ(workers.size(), 2u);
  ASSERT_EQ(kill(workers[0], SIGKILL), 0);
  const uint64_t at_kill = serve_stats(address)["requests_total"];
  EXPECT_EQ(run.wait(15), 1) << run.stderr_text();
  nlohmann::json results = read_json(json_path);
  EXPECT_EQ(results["interrupted"], false);
  EXPECT_GE(results["duration_s"].get<double>(), 2.9) << "the other worker ran the whole phase";
  EXPECT_GT(results["requests"]["total"].get<uint64_t>(), at_kill) << "the other worker went on counting";
  ASSERT_EQ(results["workers"].size(), 2u);
  EXPECT_EQ(results["workers"][0]["signal"], SIGKILL);
  EXPECT_EQ(results["workers"][1]["exit_code"], 0);
  EXPECT_FALSE(results["workers"][1].contains("signal"));
}

TEST(OutputErrors, AMissingFolderIsAClearErrorAndTheResultsGoToStdout) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string path = temp_dir() + "/no-such-folder/r.json";
  Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c", "2", "-n", "50", "--quiet",
               "--out", "json=" + path});
  EXPECT_EQ(run.wait(30), 1);
  EXPECT_NE(run.stderr_text().find("surge: cannot write '" + path + "': ENOENT (No such file or directory)"),
            std::string::npos)
      << run.stderr_text();
  nlohmann::json results = json_after_summary(run.stdout_text());
  ASSERT_TRUE(results.is_object()) << run.stdout_text();
  EXPECT_EQ(results["requests"]["total"], 50);
}

TEST(OutputErrors, AFolderTheUserCannotWriteIsAClearErrorAndLeavesNoFile) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  // Root writes anywhere, so the run drops to user nobody; the folder is root's and read-only to others.
  const std::string dir = "/tmp/surge-e2e-readonly-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  ASSERT_EQ(chmod(dir.c_str(), 0555), 0);
  Process run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", surge_binary(), "run", "--url",
               "http://" + address + "/", "-c", "2", "-n", "50", "--quiet", "--out",
               "json=" + dir + "/r.json", "--out", "csv=" + dir + "/r.csv"});
  EXPECT_EQ(run.wait(30), 1) << run.stderr_text();
  for (const char* name : {"r.json", "r.csv"}) {
    EXPECT_NE(
        run.stderr_text().find("surge: cannot write '" + dir + "/" + name + "': EACCES (Permission denied)"),
        std::string::npos)
        << run.stderr_text();
  }
  EXPECT_EQ(json_after_summary(run.stdout_text())["requests"]["total"], 50) << run.stdout_text();
  EXPECT_TRUE(files_in(dir).empty());
  std::filesystem::remove_all(dir);
}

TEST(OutputErrors, AFullDiskIsAClearErrorAndRemovesTheHalfWrittenTempFile) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/full-disk";
  std::filesystem::create_directories(dir);
  // RLIMIT_FSIZE stands for a full disk: a write past 16 KiB fails with EFBIG (SIGXFSZ ignored). The HTML
  // report is larger, the CSV smaller; stdout goes through a pipe so the limit does not touch it.
  const std::string command =
      "trap '' XFSZ; prlimit --fsize=16384 -- \"$0\" \"$@\" | cat; exit ${PIPESTATUS[0]}";
  Process run({"bash", "-c", command, surge_binary(), "run", "--url", "http://" + address + "/", "-c", "2",
               "-n", "50", "--quiet", "--out", "html=" + dir + "/r.html", "--out", "csv=" + dir + "/r.csv"});
  EXPECT_EQ(run.wait(30), 1) << run.stderr_text();
  EXPECT_NE(run.stderr_text().find("surge: cannot write '" + dir + "/r.html': EFBIG (File too large)"),
            std::string::npos)
      << run.stderr_text();
  EXPECT_EQ(json_after_summary(run.stdout_text())["requests"]["total"], 50) << run.stdout_text();
  EXPECT_EQ(files_in(dir), std::vector<std::string>{"r.csv"}) << "no r.html, no r.html.tmp.*";
}

}  // namespace
}  // namespace surge::e2e
