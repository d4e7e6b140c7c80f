// The text exposition of a small run, line for line, and the escaping of label values.
#include "observe/exposition.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/clock.h"

namespace surge::observe {
namespace {

using metrics::ErrorKind;
constexpr int64_t kMs = core::kNsPerMs;

// Two phases; steps shop/home (HTTP), shop/pause (think), admin/login (HTTP).
struct SmallRun {
  LiveView view;
  metrics::StatsGrid grid{2, 3};

  SmallRun() {
    view.shape.phases = {{.name = "warm"}, {.name = "peak"}};
    view.shape.steps = {{"shop", "home", true}, {"shop", "pause", false}, {"admin", "login", true}};
    metrics::RequestStats& warm_home = grid.cell(0, 0);
    warm_home.ok = 3;
    warm_home.by_status[200] = 3;
    warm_home.latency.record(1 * kMs);
    warm_home.latency.record(2 * kMs);
    warm_home.latency.record(150 * kMs);
    metrics::RequestStats& peak_home = grid.cell(1, 0);
    peak_home.ok = 1;
    peak_home.by_status[200] = 1;
    peak_home.by_status[503] = 1;
    peak_home.by_error[size_t(ErrorKind::kStatus5xx)] = 1;
    peak_home.by_error[size_t(ErrorKind::kTimeout)] = 2;
    peak_home.latency.record(3 * kMs);
    peak_home.latency.record(3 * kMs);
    grid.cell(1, 2).by_error[size_t(ErrorKind::kRefused)] = 4;
    grid.connections(0).opened = 5;
    grid.connections(1).failed = 4;
    grid.dropped_iterations(1) = 7;
    view.current_phase = 1;
    view.active_users = 12;
    view.open_connections = 9;
  }

  std::string render() const {
    std::string out;
    render_exposition(view, grid, out);
    return out;
  }
};

// Everything but the `_bucket` lines, which the bucket tests below check.
std::string without_buckets(const std::string& text) {
  std::istringstream lines(text);
  std::string line, out;
  while (std::getline(lines, line)) {
    if (line.rfind("surge_request_duration_seconds_bucket", 0) != 0) out += line + "\n";
  }
  return out;
}

std::vector<std::string> bucket_lines(const std::string& text, const std::string& labels) {
  std::istringstream lines(text);
  std::string line;
  std::vector<std::string> out;
  while (std::getline(lines, line)) {
    if (line.rfind("surge_request_duration_seconds_bucket{" + labels, 0) == 0) out.push_back(line);
  }
  return out;
}

TEST(Exposition, RendersEveryFamilyOfASmallRunExactly) {
  SmallRun run;
  EXPECT_EQ(
      without_buckets(run.render()),
      R"(# HELP surge_requests_total Requests that ended, by scenario, step and status: the HTTP status code, or the error kind when no response came (refused, connect, address, reset, timeout, eof, parse, tls, too_large, connect_timeout).
# TYPE surge_requests_total counter
surge_requests_total{scenario="shop",step="home",status="200"} 4
surge_requests_total{scenario="shop",step="home",status="503"} 1
surge_requests_total{scenario="shop",step="home",status="timeout"} 2
surge_requests_total{scenario="admin",step="login",status="refused"} 4
# HELP surge_request_duration_seconds Latency of requests that got a complete response, from the intended send time, in seconds.
# TYPE surge_request_duration_seconds histogram
surge_request_duration_seconds_sum{scenario="shop",step="home"} 0.159
surge_request_duration_seconds_count{scenario="shop",step="home"} 5
surge_request_duration_seconds_sum{scenario="admin",step="login"} 0
surge_request_duration_seconds_count{scenario="admin",step="login"} 0
# HELP surge_errors_total Requests that failed, by error kind (every kind, zeros included).
# TYPE surge_errors_total counter
surge_errors_total{kind="refused"} 4
surge_errors_total{kind="connect"} 0
surge_errors_total{kind="address"} 0
surge_errors_total{kind="reset"} 0
surge_errors_total{kind="timeout"} 2
surge_errors_total{kind="eof"} 0
surge_errors_total{kind="parse"} 0
surge_errors_total{kind="status_4xx"} 0
surge_errors_total{kind="status_5xx"} 1
surge_errors_total{kind="check"} 0
surge_errors_total{kind="tls"} 0
surge_errors_total{kind="too_large"} 0
surge_errors_total{kind="connect_timeout"} 0
surge_errors_total{kind="bind"} 0
# HELP surge_dropped_iterations_total Open-model arrivals not started because every user was busy (max_users).
# TYPE surge_dropped_iterations_total counter
surge_dropped_iterations_total 7
# HELP surge_connections_opened_total Connections to the target that were established.
# TYPE surge_connections_opened_total counter
surge_connections_opened_total 5
# HELP surge_connections_failed_total Connection attempts that failed (refused, timeout, ...).
# TYPE surge_connections_failed_total counter
surge_connections_failed_total 4
# HELP surge_active_users Virtual users running an iteration, summed over workers.
# TYPE surge_active_users gauge
surge_active_users 12
# HELP surge_active_connections Open connections to the target, summed over workers.
# TYPE surge_active_connections gauge
surge_active_connections 9
# HELP surge_phase 1 for the phase running now (the last one after the run), 0 for the others.
# TYPE surge_phase gauge
surge_phase{name="warm"} 0
surge_phase{name="peak"} 1
# HELP surge_running 1 while the load runs, 0 after it ended (while the endpoint lingers).
# TYPE surge_running gauge
surge_running 1
)");
}

TEST(Exposition, BucketsAreCumulativeAndDerivedFromTheHdrBuckets) {
  SmallRun run;
  std::vector<std::string> home = bucket_lines(run.render(), R"(scenario="shop",step="home",)");
  ASSERT_EQ(home.size(), 124u);
  EXPECT_EQ(home[0], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.001"} 0)");
  // 1 ms lies in an HDR bucket reaching past 1 ms, so it is counted at le=0.002 (never below its value).
  EXPECT_EQ(home[1], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.002"} 1)");
  EXPECT_EQ(home[2], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.003"} 2)");
  EXPECT_EQ(home[3], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.004"} 4)");
  EXPECT_EQ(home[101], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.15"} 4)");
  EXPECT_EQ(home[102], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="0.175"} 5)");
  EXPECT_EQ(home[123], R"(surge_request_duration_seconds_bucket{scenario="shop",step="home",le="+Inf"} 5)");
}

TEST(Exposition, StepsWithoutResponsesStillExportEveryBucketAtZero) {
  SmallRun run;
  std::vector<std::string> login = bucket_lines(run.render(), R"(scenario="admin",step="login",)");
  ASSERT_EQ(login.size(), 124u);
  EXPECT_EQ(login[123],
            R"(surge_request_duration_seconds_bucket{scenario="admin",step="login",le="+Inf"} 0)");
}

TEST(Exposition, ThinkStepsExportNothing) {
  SmallRun run;
  EXPECT_EQ(run.render().find("pause"), std::string::npos);
}

TEST(Exposition, SlaStatesExportPassAndThresholdButNotUnknownVerdicts) {
  SmallRun run;
  run.view.slas = {{"p95(latency) < 250ms", SlaVerdict::kPass, 0.25},
                   {"error_rate < 1%", SlaVerdict::kFail, std::nullopt},
                   {"p99(latency) < 1s", SlaVerdict::kUnknown, 1.0}};
  std::string text = run.render();
  std::string expected =
      R"(# HELP surge_sla_pass 1 when the SLA holds so far, 0 when it failed; absent while it has no data.
# TYPE surge_sla_pass gauge
surge_sla_pass{expr="p95(latency) < 250ms"} 1
surge_sla_pass{expr="error_rate < 1%"} 0
# HELP surge_sla_latency_threshold_seconds The bound of each latency SLA, for SLA lines on charts.
# TYPE surge_sla_latency_threshold_seconds gauge
surge_sla_latency_threshold_seconds{expr="p95(latency) < 250ms"} 0.25
surge_sla_latency_threshold_seconds{expr="p99(latency) < 1s"} 1
)";
  ASSERT_GE(text.size(), expected.size());
  EXPECT_EQ(text.substr(text.size() - expected.size()), expected);
}

TEST(Exposition, NoSlaOrTargetFamiliesWithoutData) {
  SmallRun run;
  run.view.slas = {{"p95(latency) < 250ms", SlaVerdict::kUnknown, std::nullopt}};
  std::string text = run.render();
  EXPECT_EQ(text.find("surge_sla"), std::string::npos);
  EXPECT_EQ(text.find("surge_target"), std::string::npos);
}

TEST(Exposition, TargetResourcesComeLast) {
  SmallRun run;
  run.view.target = results::TargetSample{1.5, 42.0, 1048576, 33, 4};
  std::string text = run.render();
  std::string expected =
      R"(# HELP surge_target_cpu_seconds_total User + system CPU time of the target process.
# TYPE surge_target_cpu_seconds_total counter
surge_target_cpu_seconds_total 1.5
# HELP surge_target_resident_memory_bytes Resident memory of the target process.
# TYPE surge_target_resident_memory_bytes gauge
surge_target_resident_memory_bytes 1048576
# HELP surge_target_open_fds Open file descriptors of the target process (sockets included).
# TYPE surge_target_open_fds gauge
surge_target_open_fds 33
# HELP surge_target_threads Threads of the target process.
# TYPE surge_target_threads gauge
surge_target_threads 4
)";
  ASSERT_GE(text.size(), expected.size());
  EXPECT_EQ(text.substr(text.size() - expected.size()), expected);
}

TEST(Exposition, StatusOutsideTheTableIsOther) {
  SmallRun run;
  run.grid.cell(0, 2).by_status[0] = 2;
  EXPECT_NE(run.render().find(R"(surge_requests_total{scenario="admin",step="login",status="other"} 2)"),
            std::string::npos);
}

TEST(Exposition, LabelValuesEscapeBackslashQuoteAndNewline) {
  std::string out;
  append_label_value(out, "a\\b\"c\nd\te");
  EXPECT_EQ(out, "a\\\\b\\\"c\\nd\te");
}

TEST(Exposition, StepNamesAreEscapedInLabels) {
  SmallRun run;
  run.view.shape.steps[0].name = "say \"hi\"";
  EXPECT_NE(run.render().find(R"(surge_requests_total{scenario="shop",step="say \"hi\"",status="200"} 4)"),
            std::string::npos);
}

TEST(Exposition, OnlyKindsWithoutAResponseBecomeAStatus) {
  EXPECT_TRUE(ends_without_response(ErrorKind::kRefused));
  EXPECT_TRUE(ends_without_response(ErrorKind::kConnect));
  EXPECT_TRUE(ends_without_response(ErrorKind::kAddress));
  EXPECT_TRUE(ends_without_response(ErrorKind::kReset));
  EXPECT_TRUE(ends_without_response(ErrorKind::kTimeout));
  EXPECT_TRUE(ends_without_response(ErrorKind::kEof));
  EXPECT_TRUE(ends_without_response(ErrorKind::kParse));
  EXPECT_FALSE(ends_without_response(ErrorKind::kStatus4xx));
  EXPECT_FALSE(ends_without_response(ErrorKind::kStatus5xx));
  EXPECT_FALSE(ends_without_response(ErrorKind::kCheck));
}

TEST(Exposition, PhaseGaugeFollowsTheSecondsRowAndRunningDropsAfterTheRun) {
  SmallRun run;
  results::SecondRow row;
  row.phase = "warm";
  row.active_users = 3;
  row.open_connections = 2;
  update_from_second(run.view, row);
  run.view.running = false;
  std::string text = run.render();
  EXPECT_NE(text.find("surge_phase{name=\"warm\"} 1\nsurge_phase{name=\"peak\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("surge_active_users 3\n"), std::string::npos);
  EXPECT_NE(text.find("surge_active_connections 2\n"), std::string::npos);
  EXPECT_NE(text.find("surge_running 0\n"), std::string::npos);
}

}  // namespace
}  // namespace surge::observe

namespace surge::observe {
namespace {

// The families of checks and custom metrics, summed over phases, exactly.
TEST(Exposition, ChecksAndCustomMetricsExportTheirCountsAndTrendQuantiles) {
  LiveView view;
  view.shape.phases = {{.name = "warm"}, {.name = "peak"}};
  view.shape.steps = {{"shop", "login", true}};
  view.shape.checks = {{0, "capture token"}};
  view.shape.custom_metrics = {{"cache_hit", "rate"}, {"retries", "counter"}, {"tokens", "trend"}};
  metrics::StatsGrid grid(2, 1, 1, 3);
  grid.check(0, 0) = {5, 1};
  grid.check(1, 0) = {2, 0};
  grid.custom(0, 0).hits = 3;
  grid.custom(0, 0).total = 4;
  grid.custom(1, 0).total = 2;
  grid.custom(1, 1).hits = 6;
  grid.custom(0, 2).record_trend(10);
  grid.custom(1, 2).record_trend(30);
  std::string out;
  render_exposition(view, grid, out);
  for (const char* line : {
           "surge_checks_total{scenario=\"shop\",step=\"login\",check=\"capture token\",result=\"pass\"} 7\n",
           "surge_checks_total{scenario=\"shop\",step=\"login\",check=\"capture token\",result=\"fail\"} 1\n",
           "surge_custom_rate_true_total{name=\"cache_hit\"} 3\n",
           "surge_custom_rate_samples_total{name=\"cache_hit\"} 6\n",
           "surge_custom_counter_total{name=\"retries\"} 6\n",
           "# TYPE surge_custom_trend summary\n",
           "surge_custom_trend{name=\"tokens\",quantile=\"0.5\"} 10",
           "surge_custom_trend_sum{name=\"tokens\"} 40\n",
           "surge_custom_trend_count{name=\"tokens\"} 2\n"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << "\nin:\n" << out;
  }
  EXPECT_EQ(out.find("surge_custom_counter_total{name=\"cache_hit\"}"), std::string::npos);
}

TEST(Exposition, APlanWithoutChecksOrCustomMetricsExportsNoneOfTheirFamilies) {
  LiveView view;
  view.shape.phases = {{.name = "p"}};
  view.shape.steps = {{"s", "home", true}};
  std::string out;
  render_exposition(view, metrics::StatsGrid(1, 1), out);
  EXPECT_EQ(out.find("surge_checks_total"), std::string::npos);
  EXPECT_EQ(out.find("surge_custom_"), std::string::npos);
}

}  // namespace
}  // namespace surge::observe
