// Load models in whole runs against the built-in target's own counts, one per model (the hold model's is in
// hold_test.cpp): what `surge run` starts, the server answers. The models' schedules (rates, ramps,
// max_users, graceful_stop, schedule_slack) are checked exactly in simulated time by tests/load; what only
// real time can show stays here: quiet waits dated by the kernel's receive stamps.
#include <gtest/gtest.h>

#include "support.h"

namespace surge::e2e {
namespace {

std::string open_plan(const std::string& target, const std::string& rate, const std::string& duration,
                      int max_users, const std::string& path) {
  return "name: open\ntarget: " + target + "\nphases:\n  - { name: open, duration: " + duration +
         ", arrival_rate: " + rate + ", max_users: " + std::to_string(max_users) +
         " }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: " + path + " }\n";
}

TEST(OpenModel, DroppedIterationsArePlannedArrivalsMinusStarted) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  // 5 users can start at most 5 / 100 ms = 50 iterations/s of the 200/s planned: most arrivals find no user.
  std::string plan =
      write_temp_file("dropped.yaml", open_plan("http://" + address, "200/s", "2s", 5, "/delay/100"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t started = run.results["requests"]["total"];
  uint64_t dropped = run.results["dropped_iterations"];
  EXPECT_EQ(started + dropped, 400u);
  EXPECT_EQ(run.results["phases"][0]["dropped_iterations"], dropped);
  EXPECT_EQ(serve_stats(address)["requests_total"], started);
  EXPECT_NE(run.stdout_text.find("dropped      " + std::to_string(dropped) + " iterations"),
            std::string::npos);
}

TEST(OpenModel, PoissonArrivalsStartExactlyThePlannedCountAcrossWorkers) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "poisson.yaml", "name: poisson\ntarget: http://" + address +
                          "\nphases:\n  - { name: open, duration: 2s, arrival_rate: 500/s, max_users: 200, "
                          "arrivals: poisson }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: / }\n");
  RunOutcome run = run_surge({plan, "--workers", "2", "--seed", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["total"], 1000u) << "500/s for 2 s, dealt over two workers";
  EXPECT_EQ(run.results["dropped_iterations"], 0u);
  EXPECT_EQ(serve_stats(address)["requests_total"], 1000u);
}

// 10 users ramping to 0 over 4 s against a server that answers after 3 s: each user sent away has
// graceful_stop to finish its iteration.
std::string ramp_down_plan(const std::string& address, const std::string& graceful_stop) {
  return "name: ramp-down\ntarget: http://" + address + "\ngraceful_stop: " + graceful_stop +
         "\nphases:\n  - { name: down, duration: 4s, users: { from: 10, to: 0 } }\nscenarios:\n"
         "  - name: s\n    steps:\n      - http: { url: / }\n";
}

TEST(ClosedModel, GracefulStopCutsIterationsThatOutlastIt) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "3s"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("graceful-1s.yaml", ramp_down_plan(address, "1s"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t interrupted = run.results["interrupted_iterations"];
  EXPECT_GT(interrupted, 0u);
  EXPECT_EQ(run.results["phases"][0]["interrupted_iterations"], interrupted);
  // Users sent away before 2 s are cut before their 3 s answer; the last ones at the phase end + 1 s.
  EXPECT_LE(run.results["duration_s"].get<double>(), 4.0 + 1.0 + 0.3);
  EXPECT_GE(run.results["duration_s"].get<double>(), 4.0);
  std::string line = "interrupted  " + std::to_string(interrupted) + " iterations";
  EXPECT_NE(run.stdout_text.find(line), std::string::npos) << run.stdout_text;
  EXPECT_EQ(run.results["requests"]["errors"], 0) << "a cut request has no outcome";
}

// Quiet waits (docs/plan.md#schedule_slack): with a slack, a worker whose scenarios are one plain request
// leaves responses waiting until its next send, up to the slack later, and dates each by the kernel's receive
// stamp. With 20 ms of slack at 50 requests a second nearly every response waits, so a latency taken when it
// is handled would read ~10 ms over the server's 5 ms; dated by the kernel it does not.
TEST(ConstantModel, ResponsesLeftForTheNextSendAreDatedWhenTheyCame) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/delay/5", "-c", "2", "--rate", "50/s", "-d",
                              "3s", "--workers", "1", "--schedule-slack", "20ms"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 150);
  EXPECT_EQ(run.results["requests"]["ok"], 150);
  EXPECT_EQ(run.results["phases"][0]["model"], "constant");
  EXPECT_EQ(run.results["connections"]["opened"], 2);
  EXPECT_GE(run.results["latency_ms"]["min"].get<double>(), 5.0);
  EXPECT_LT(run.results["latency_ms"]["p50"].get<double>(), 6.5);
  EXPECT_LT(run.results["latency_ms"]["p90"].get<double>(), 7.5);
}

TEST(ConstantModel, AScheduleSlackOverAHundredMillisecondsIsAUsageError) {
  RunOutcome run =
      run_surge({"--url", "http://127.0.0.1:9/", "--rate", "40/s", "-d", "1s", "--schedule-slack", "1s"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("invalid --schedule-slack \"1s\": expected a duration from 0 to 100ms"),
            std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
