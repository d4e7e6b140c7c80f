// Load models against the built-in target's own counts: the open model keeps its arrival rate whatever the
// target does, ramps follow the line, and arrivals that find every user busy are counted as dropped, exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support.h"

namespace surge::e2e {
namespace {

std::string open_plan(const std::string& target, const std::string& rate, const std::string& duration,
                      int max_users, const std::string& path) {
  return "name: open\ntarget: " + target + "\nphases:\n  - { name: open, duration: " + duration +
         ", arrival_rate: " + rate + ", max_users: " + std::to_string(max_users) +
         " }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: " + path + " }\n";
}

// Arrivals of the rate line r(t) = from + (to − from)·t/D between a and b seconds after the phase start.
double arrivals_between(double from, double to, double duration, double a, double b) {
  auto n = [&](double t) {
    t = std::clamp(t, 0.0, duration);
    return from * t + (to - from) * t * t / (2 * duration);
  };
  return n(b) - n(a);
}

TEST(OpenModel, KeepsTheArrivalRateCountedByTheTarget) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("open.yaml", open_plan("http://" + address, "2000/s", "10s", 200, "/"));
  RunOutcome run = run_surge({plan});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  uint64_t answered = stats["requests_total"];
  EXPECT_NEAR(static_cast<double>(answered), 20000, 100) << "within 0.5% of 2,000/s x 10 s";
  EXPECT_EQ(run.results["requests"]["total"], answered);
  EXPECT_EQ(run.results["dropped_iterations"], 0);
  // Every whole second of the server's clock inside the run holds 2,000 arrivals (± 2%). A pause of either
  // process across a second's edge (30 ms is common on a busy 2-core machine) moves arrivals into the next
  // second without changing the schedule: such a second is accepted when it and a neighbour hold 4,000 (± 1%)
  // together, and each second stays within ± 10%.
  const nlohmann::json& per_second = stats["per_second"];
  auto count = [&](size_t s) { return per_second[s].get<double>(); };
  int full_seconds = 0;
  for (size_t s = 1; s + 1 < per_second.size(); ++s) {
    if (count(s) < 1000) continue;  // before or after the run
    ++full_seconds;
    EXPECT_NEAR(count(s), 2000, 200) << "server second " << s;
    if (std::abs(count(s) - 2000) <= 40) continue;
    bool with_previous = s > 1 && std::abs(count(s - 1) + count(s) - 4000) <= 40;
    bool with_next = std::abs(count(s) + count(s + 1) - 4000) <= 40;
    EXPECT_TRUE(with_previous || with_next) << "server second " << s << " holds " << count(s);
  }
  EXPECT_GE(full_seconds, 8);
}

TEST(OpenModel, RampFollowsTheLineSecondBySecond) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan =
      write_temp_file("ramp.yaml", open_plan("http://" + address, "{ from: 100/s, to: 1000/s }", "10s", 200, "/"));
  RunOutcome run = run_surge({plan});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(stats["requests_total"], 5500);
  EXPECT_EQ(run.results["requests"]["total"], 5500);
  // Place the run on the server's clock, then compare each whole server second with the line's integral.
  double offset_s = (run.results["started_at_unix_ms"].get<double>() - stats["started_at_unix_ms"].get<double>()) / 1000;
  const nlohmann::json& per_second = stats["per_second"];
  int compared = 0;
  // As above, a pause at a second's edge may move arrivals to a neighbour: then the pair must match.
  auto expected_in = [&](size_t s) {
    double a = static_cast<double>(s) - offset_s;
    return arrivals_between(100, 1000, 10, a, a + 1);
  };
  auto count = [&](size_t s) { return s < per_second.size() ? per_second[s].get<double>() : 0.0; };
  for (size_t s = 0; s < per_second.size(); ++s) {
    double a = static_cast<double>(s) - offset_s, b = a + 1;
    if (a < 0 || b > 10) continue;  // only seconds wholly inside the run
    double expected = expected_in(s);
    ++compared;
    EXPECT_NEAR(count(s), expected, expected * 0.10 + 2) << "server second " << s;
    if (std::abs(count(s) - expected) <= expected * 0.03 + 2) continue;
    double with_next = expected + expected_in(s + 1), with_previous = expected + expected_in(s - 1);
    bool pair_next = std::abs(count(s) + count(s + 1) - with_next) <= with_next * 0.03 + 2;
    bool pair_previous = s > 0 && std::abs(count(s - 1) + count(s) - with_previous) <= with_previous * 0.03 + 2;
    EXPECT_TRUE(pair_next || pair_previous) << "server second " << s << " holds " << count(s) << ", expected " << expected;
  }
  EXPECT_GE(compared, 8);
}

TEST(OpenModel, DroppedIterationsArePlannedArrivalsMinusStarted) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  // 5 users can start at most 5 / 100 ms = 50 iterations/s of the 200/s planned: most arrivals find no user.
  std::string plan = write_temp_file("dropped.yaml", open_plan("http://" + address, "200/s", "2s", 5, "/delay/100"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t started = run.results["requests"]["total"];
  uint64_t dropped = run.results["dropped_iterations"];
  EXPECT_EQ(started + dropped, 400u);
  EXPECT_EQ(run.results["phases"][0]["dropped_iterations"], dropped);
  EXPECT_NEAR(static_cast<double>(started), 100, 10);
  EXPECT_EQ(serve_stats(address)["requests_total"], started);
  EXPECT_NE(run.stdout_text.find("dropped      " + std::to_string(dropped) + " iterations"), std::string::npos);
}

TEST(ClosedModel, ActiveUsersFollowTheRampEachSecond) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("closed-ramp.yaml", "name: ramp\ntarget: http://" + address +
      "\nphases:\n  - { name: up, duration: 6s, users: { from: 0, to: 60 } }\nscenarios:\n"
      "  - name: s\n    steps:\n      - http: { url: /delay/5 }\n");
  RunOutcome run = run_surge({plan});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& rows = run.results["timeseries"];
  ASSERT_GE(rows.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    // At the end of second t the ramp wants 10·t users (the row is taken when the second ends).
    double planned = 10.0 * rows[i]["t_s"].get<double>();
    EXPECT_NEAR(rows[i]["active_users"].get<double>(), std::min(planned, 60.0), 1.0) << "second " << i + 1;
  }
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

TEST(ClosedModel, IterationsEndingWithinGracefulStopComplete) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "3s"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("graceful-10s.yaml", ramp_down_plan(address, "10s"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["interrupted_iterations"], 0);
  EXPECT_EQ(run.results["phases"][0]["interrupted_iterations"], 0);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_GT(run.results["duration_s"].get<double>(), 5.5) << "the last iterations, begun near 3 s, end near 6 s";
  EXPECT_EQ(run.stdout_text.find("interrupted  "), std::string::npos);
}

TEST(ConstantModel, QuickRateSendsThePlannedNumberOfRequests) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "20", "--rate", "1500/s", "-d", "4s"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["total"], 6000);
  EXPECT_EQ(serve_stats(address)["requests_total"], 6000);
  EXPECT_EQ(run.results["phases"][0]["model"], "constant");
  EXPECT_EQ(run.results["connections"]["opened"], 20);
}

// schedule_slack lets a wake-up send requests due up to the slack later: each such request's latency counts
// from its actual send, never from its later schedule, so no latency is shorter than the server's own delay.
// The count stays the plan's exactly.
TEST(OpenModel, RequestsSentWithinTheScheduleSlackAreMeasuredFromTheirSend) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "slack.yaml", "schedule_slack: 100ms\n" + open_plan("http://" + address, "40/s", "3s", 50, "/delay/50"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 120);
  EXPECT_EQ(run.results["requests"]["total"], 120);
  EXPECT_GE(run.results["latency_ms"]["min"].get<double>(), 50.0);
  EXPECT_LT(run.results["latency_ms"]["p50"].get<double>(), 60.0);
}

TEST(ConstantModel, RequestsSentWithinTheScheduleSlackAreMeasuredFromTheirSend) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/delay/50", "-c", "4", "--rate", "40/s", "-d", "3s",
                              "--workers", "1", "--schedule-slack", "100ms"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 120);
  EXPECT_GE(run.results["latency_ms"]["min"].get<double>(), 50.0);
  EXPECT_LT(run.results["latency_ms"]["p50"].get<double>(), 60.0);
}

// Quiet waits (docs/load-models.md#schedule_slack): with a slack, a worker whose scenarios are one plain request
// leaves responses waiting until its next send, up to the slack later, and dates each by the kernel's receive
// stamp. With 20 ms of slack at 50 requests a second nearly every response waits, so a latency taken when it is
// handled would read ~10 ms over the server's 5 ms; dated by the kernel it does not.
TEST(ConstantModel, ResponsesLeftForTheNextSendAreDatedWhenTheyCame) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/delay/5", "-c", "2", "--rate", "50/s", "-d", "3s",
                              "--workers", "1", "--schedule-slack", "20ms"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 150);
  EXPECT_EQ(run.results["requests"]["ok"], 150);
  EXPECT_GE(run.results["latency_ms"]["min"].get<double>(), 5.0);
  EXPECT_LT(run.results["latency_ms"]["p50"].get<double>(), 6.5);
  EXPECT_LT(run.results["latency_ms"]["p90"].get<double>(), 7.5);
}

TEST(OpenModel, ResponsesLeftForTheNextSendAreDatedWhenTheyCame) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file(
      "quiet.yaml", "schedule_slack: 20ms\n" + open_plan("http://" + address, "50/s", "3s", 20, "/delay/5"));
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(serve_stats(address)["requests_total"], 150);
  EXPECT_GE(run.results["latency_ms"]["min"].get<double>(), 5.0);
  EXPECT_LT(run.results["latency_ms"]["p50"].get<double>(), 6.5);
  EXPECT_LT(run.results["latency_ms"]["p90"].get<double>(), 7.5);
}

TEST(ConstantModel, AScheduleSlackOverAHundredMillisecondsIsAUsageError) {
  RunOutcome run = run_surge({"--url", "http://127.0.0.1:9/", "--rate", "40/s", "-d", "1s", "--schedule-slack", "1s"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("invalid --schedule-slack \"1s\": expected a duration from 0 to 100ms"),
            std::string::npos) << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
