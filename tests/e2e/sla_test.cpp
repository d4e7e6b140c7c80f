// SLAs end to end against `surge serve`: exit codes 0 and 99, the JUnit report read back by a real XML parser
// (Python's xml.etree), --sla in quick mode, bad SLAs as plan errors (exit 2, file:line:column),
// abort_on_fail stopping a run within 1 s of the breach, and "no data" failing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support.h"

namespace surge::e2e {
namespace {

// One scenario of two steps: `fast` answers at once; `slow` asks for a 5 s delay with a 100 ms timeout, so it
// never completes a response (its latency has no data) while the run itself goes fine.
std::string plan_with_slas(const std::string& address, const std::string& duration, const std::string& slas,
                           bool with_slow_step = false) {
  std::string plan =
      "name: sla-plan\ntarget: http://" + address +
      "\nphases:\n  - { name: sustained, duration: " + duration +
      ", users: 4 }\nscenarios:\n  - name: api\n    steps:\n      - http: { name: fast, url: / }\n";
  if (with_slow_step) plan += "      - http: { name: slow, url: /delay/5000, timeout: 100ms }\n";
  return plan + "sla:\n" + slas;
}

// The JUnit file as {tests, failures, suites: [{name, tests, failures, cases: [{name, failure|null}]}]},
// parsed by Python's XML parser (python3 is installed by scripts/install-deps.sh).
nlohmann::json parse_junit(const std::string& path) {
  const char* script =
      "import json, sys, xml.etree.ElementTree as E\n"
      "root = E.parse(sys.argv[1]).getroot()\n"
      "suites = [{'name': s.get('name'), 'tests': int(s.get('tests')), 'failures': int(s.get('failures')),\n"
      "           'cases': [{'name': c.get('name'),\n"
      "                      'failure': c.find('failure').get('message') if c.find('failure') is not None "
      "else None}\n"
      "                     for c in s.findall('testcase')]} for s in root.findall('testsuite')]\n"
      "print(json.dumps({'root': root.tag, 'tests': int(root.get('tests')), 'failures': "
      "int(root.get('failures')),\n"
      "                  'suites': suites}))\n";
  Process python({"python3", "-c", script, path});
  int code = python.wait(30);
  if (code != 0) throw std::runtime_error("python3 could not parse " + path + ": " + python.stderr_text());
  return nlohmann::json::parse(python.stdout_text());
}

TEST(Sla, PassingSlasExitZero) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string path = write_temp_file(
      "sla-pass.yaml",
      plan_with_slas(address, "2s",
                     "  - p99(latency) < 1s\n  - error_rate < 1%\n  - requests > 100\n"
                     "  - { expr: 'p95(latency{phase=sustained,step=fast}) < 1s', window: 1s }\n"));
  RunOutcome run = run_surge({path});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  EXPECT_EQ(run.results["result"], "pass");
  ASSERT_EQ(run.results["sla"].size(), 4u);
  for (const nlohmann::json& sla : run.results["sla"]) EXPECT_TRUE(sla["pass"].get<bool>()) << sla.dump();
  EXPECT_EQ(run.results["sla"][2]["actual"], run.results["requests"]["total"]);
  EXPECT_EQ(run.results["sla"][3]["window_s"], 1);
  EXPECT_NE(run.stdout_text.find("\u2713 requests > 100"), std::string::npos) << run.stdout_text;
}

TEST(Sla, AFailingSlaExits99WithOneJUnitFailure) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "2ms"});
  std::string address = listen_address(server);
  std::string path = write_temp_file(
      "sla-fail.yaml", plan_with_slas(address, "1s", "  - p50(latency) < 1us\n  - error_rate < 1%\n"));
  std::string junit = temp_dir() + "/sla-fail.xml";
  RunOutcome run = run_surge({path, "--out", "junit=" + junit});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << run.stdout_text;
  EXPECT_EQ(run.results["result"], "fail");
  const nlohmann::json& failed = run.results["sla"][0];
  EXPECT_FALSE(failed["pass"].get<bool>());
  EXPECT_EQ(failed["unit"], "us");
  EXPECT_GE(failed["actual"].get<double>(), 2000.0);  // the server's 2 ms delay, in the SLA's unit
  EXPECT_TRUE(run.results["sla"][1]["pass"].get<bool>());

  nlohmann::json report = parse_junit(junit);
  EXPECT_EQ(report["root"], "testsuites");
  EXPECT_EQ(report["tests"], 2);
  EXPECT_EQ(report["failures"], 1);
  ASSERT_EQ(report["suites"].size(), 1u);
  const nlohmann::json& suite = report["suites"][0];
  EXPECT_EQ(suite["name"], "surge SLAs");
  EXPECT_EQ(suite["failures"], 1);
  ASSERT_EQ(suite["cases"].size(), 2u);
  EXPECT_EQ(suite["cases"][0]["name"], "p50(latency) < 1us");
  std::string message = suite["cases"][0]["failure"];
  EXPECT_EQ(message.rfind("actual ", 0), 0u) << message;
  EXPECT_NE(message.find("us, expected < 1us"), std::string::npos) << message;
  EXPECT_EQ(suite["cases"][1]["name"], "error_rate < 1%");
  EXPECT_TRUE(suite["cases"][1]["failure"].is_null());
}

TEST(Sla, SlaFlagWorksInQuickMode) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome pass = run_surge({"--url", "http://" + address + "/", "-c", "2", "-d", "1s", "--sla",
                               "p99(latency{step='GET /'}) < 1s", "--sla", "throughput > 10/s"});
  ASSERT_EQ(pass.exit_code, 0) << pass.stderr_text << pass.stdout_text;
  EXPECT_EQ(pass.results["sla"].size(), 2u);
  RunOutcome fail = run_surge(
      {"--url", "http://" + address + "/", "-c", "2", "-d", "1s", "--sla", "throughput > 100000000/s"});
  ASSERT_EQ(fail.exit_code, 99) << fail.stderr_text;
  EXPECT_NE(fail.stdout_text.find("\u2717 throughput > 100000000/s"), std::string::npos) << fail.stdout_text;
}

TEST(Sla, ABadSlaFlagExitsTwoNamingTheFlagAndColumn) {
  Process run({surge_binary(), "run", "--url", "http://127.0.0.1:9/", "--sla", "p95(latency) < 1"});
  EXPECT_EQ(run.wait(), 2);
  EXPECT_EQ(
      run.stderr_text(),
      "surge run: invalid --sla 'p95(latency) < 1' (column 17): expected a unit after 1: ns, us, ms or s\n");
}

TEST(Sla, APlanWithABadSlaExitsTwoWithFileLineAndColumn) {
  std::string path = write_temp_file("sla-bad.yaml", plan_with_slas("127.0.0.1:9", "1s",
                                                                    "  - p95(latency) < 250ms\n"
                                                                    "  - error_rate{phase=peak} < 1%\n"));
  const std::string expected =
      path +
      ":11:22: invalid SLA 'error_rate{phase=peak} < 1%' (column 18): unknown phase 'peak'; "
      "the plan's phases are: 'sustained'\n";
  Process validate({surge_binary(), "validate", path});
  EXPECT_EQ(validate.wait(), 2);
  EXPECT_EQ(validate.stderr_text(), expected);
  Process run({surge_binary(), "run", path});
  EXPECT_EQ(run.wait(), 2);
  EXPECT_EQ(run.stderr_text(), expected);
}

// Every response takes 50 ms, so the first 1 s window already breaches; the plan asks for 20 s.
TEST(Sla, AbortOnFailStopsTheRunWithinOneSecondOfTheBreach) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "50ms"});
  std::string address = listen_address(server);
  std::string path = write_temp_file(
      "sla-abort.yaml",
      plan_with_slas(address, "20s", "  - { expr: p95(latency) < 20ms, window: 1s, abort_on_fail: true }\n"));
  RunOutcome run = run_surge({path});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << run.stdout_text;
  const nlohmann::json& sla = run.results["sla"][0];
  EXPECT_TRUE(sla["stopped_run"].get<bool>());
  EXPECT_EQ(sla["breached_at_s"], 1);
  EXPECT_EQ(run.results["stop_reason"].get<std::string>().rfind(
                "SLA 'p95(latency) < 20ms' failed (abort_on_fail): ", 0),
            0u)
      << run.results["stop_reason"];
  double duration_s = run.results["duration_s"];
  EXPECT_LE(duration_s, sla["breached_at_s"].get<double>() + 1.0);
  EXPECT_LE(run.results["timeseries"].size(), 2u);
  EXPECT_FALSE(run.results["interrupted"].get<bool>());
}

TEST(Sla, AbortOnFailWaitsForItsDelay) {
  Process server({surge_binary(), "serve", "--port", "0", "--delay", "50ms"});
  std::string address = listen_address(server);
  std::string path = write_temp_file(
      "sla-delay.yaml",
      plan_with_slas(address, "20s",
                     "  - { expr: p95(latency) < 20ms, window: 1s, abort_on_fail: true, delay: 3s }\n"));
  RunOutcome run = run_surge({path});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << run.stdout_text;
  EXPECT_EQ(run.results["sla"][0]["breached_at_s"], 1);
  double duration_s = run.results["duration_s"];
  EXPECT_GE(duration_s, 3.0);
  EXPECT_LE(duration_s, 4.0);
  EXPECT_NE(run.results["stop_reason"].get<std::string>().find("window ending at 3 s"), std::string::npos)
      << run.results["stop_reason"];
}

TEST(Sla, AnSlaWhoseMetricSawNoSamplesFailsWithNoData) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string path = write_temp_file(
      "sla-nodata.yaml",
      plan_with_slas(address, "1s", "  - p95(latency{step=slow}) < 1s\n", /*with_slow_step=*/true));
  RunOutcome run = run_surge({path});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << run.stdout_text;
  EXPECT_GT(run.results["requests"]["ok"].get<uint64_t>(), 0u);
  const nlohmann::json& sla = run.results["sla"][0];
  EXPECT_TRUE(sla["actual"].is_null());
  EXPECT_FALSE(sla["pass"].get<bool>());
  EXPECT_NE(run.stdout_text.find("\u2717 p95(latency{step=slow}) < 1s  no data, expected < 1s"),
            std::string::npos)
      << run.stdout_text;
}

}  // namespace
}  // namespace surge::e2e
