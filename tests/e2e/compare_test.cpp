// `surge compare` end to end: one plan run against `surge serve --delay 10ms` (the base), again against
// `--delay 10ms` as two segments merged by `surge merge`, and against `--delay 15ms`. The slower server's
// p50 is found regressed (exit 99) with the figures results.json holds; the same delay passes (exit 0); a
// results.json of another plan and one segment's part are refused (exit 2) with the reason; the HTML page
// opens in Chromium. The runs are short (3 s at 100 requests/s: long enough that the end of a run, which a
// busy machine may stretch, moves its throughput less than the 5 % limit) and made once per ctest run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>

#include "shared_setup.h"
#include "support.h"

namespace surge::e2e {
namespace {

std::string plan_for(const std::string& address) {
  return "name: compare-e2e\ntarget: http://" + address +
         "\nphases:\n"
         "  - { name: steady, duration: 3s, connections: 4, rate: 100/s }\n"
         "scenarios:\n  - name: s\n    steps:\n      - http: { name: home, url: / }\n";
}

struct Outcome {
  int exit_code = -1;
  std::string stdout_text, stderr_text;
};

Outcome run(std::vector<std::string> args) {
  args.insert(args.begin(), surge_binary());
  Process process(args);
  Outcome outcome;
  outcome.exit_code = process.wait(120);
  outcome.stdout_text = process.stdout_text();
  outcome.stderr_text = process.stderr_text();
  return outcome;
}

// RFC 3339 with milliseconds, ms_from_now ahead: the segments start together without waiting for a whole
// second.
std::string start_at(int ms_from_now) {
  using namespace std::chrono;
  const auto when = system_clock::now() + milliseconds(ms_from_now);
  const std::time_t seconds = system_clock::to_time_t(when);
  const auto ms = duration_cast<milliseconds>(when.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char full[48];
  std::snprintf(full, sizeof full, "%s.%03dZ", text, static_cast<int>(ms));
  return full;
}

// The three runs every test reads, made once per ctest run (shared_setup.h) in `dir`: base.json against
// --delay 10ms, slow.json against --delay 15ms, and the base's plan and delay again as two segments started
// together (part-0.json, part-1.json) merged into same.json.
nlohmann::json make_runs(const std::string& dir) {
  Process fast({surge_binary(), "serve", "--port", "0", "--delay", "10ms"});
  Process slow({surge_binary(), "serve", "--port", "0", "--delay", "15ms"});
  const std::string fast_plan = dir + "/compare-fast.yaml", slow_plan = dir + "/compare-slow.yaml";
  std::ofstream(fast_plan) << plan_for(listen_address(fast));
  std::ofstream(slow_plan) << plan_for(listen_address(slow));
  nlohmann::json facts;
  const Outcome base = run({"run", fast_plan, "--workers", "1", "--quiet", "--out", "json=" + dir + "/base.json"});
  facts["base"] = {{"exit_code", base.exit_code}, {"stderr", base.stderr_text}};
  const Outcome slower =
      run({"run", slow_plan, "--workers", "1", "--quiet", "--out", "json=" + dir + "/slow.json"});
  facts["slow"] = {{"exit_code", slower.exit_code}, {"stderr", slower.stderr_text}};
  const std::string at = start_at(1500);
  std::vector<std::unique_ptr<Process>> parts;
  for (const char* segment : {"0/2", "1/2"}) {
    parts.push_back(std::make_unique<Process>(std::vector<std::string>{
        surge_binary(), "run", fast_plan, "--segment", segment, "--start-at", at, "--workers", "1", "--quiet",
        "--out", "json=" + dir + "/part-" + std::string(1, segment[0]) + ".json"}));
  }
  std::string parts_stderr;
  int parts_failed = 0;
  for (auto& part : parts) {
    parts_failed += part->wait(120) != 0;
    parts_stderr += part->stderr_text();
  }
  facts["parts"] = {{"failed", parts_failed}, {"stderr", parts_stderr}};
  const Outcome merged =
      run({"merge", dir + "/part-0.json", dir + "/part-1.json", "--out", "json=" + dir + "/same.json"});
  facts["merge"] = {{"exit_code", merged.exit_code}, {"stderr", merged.stderr_text}};
  return facts;
}

class Compare : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { runs_ = new SharedSetup(shared_setup("compare", make_runs)); }
  static void TearDownTestSuite() { delete runs_; }
  void SetUp() override {
    const nlohmann::json& facts = runs_->facts;
    ASSERT_EQ(facts["base"]["exit_code"], 0) << facts["base"]["stderr"].get<std::string>();
    ASSERT_EQ(facts["slow"]["exit_code"], 0) << facts["slow"]["stderr"].get<std::string>();
    ASSERT_EQ(facts["parts"]["failed"], 0) << facts["parts"]["stderr"].get<std::string>();
    ASSERT_EQ(facts["merge"]["exit_code"], 0) << facts["merge"]["stderr"].get<std::string>();
  }

  static std::string base() { return runs_->dir + "/base.json"; }
  static std::string slow() { return runs_->dir + "/slow.json"; }
  static std::string merged_same() { return runs_->dir + "/same.json"; }
  static std::string part(int i) { return runs_->dir + "/part-" + std::to_string(i) + ".json"; }

  // The figure compare.json gives one metric of one scope (0: the run, 1: the phase, 2: the step).
  static const nlohmann::json& metric(const nlohmann::json& compare, size_t scope, const std::string& name) {
    for (const nlohmann::json& m : compare["scopes"][scope]["metrics"]) {
      if (m["metric"] == name) return m;
    }
    throw std::runtime_error("no metric " + name);
  }

  static inline SharedSetup* runs_ = nullptr;
};

TEST_F(Compare, ASlowerServerRegressesP50AndExits99WithTheFiguresOfEachResultsJson) {
  const std::string base_path = base(), slow_path = slow(), compare_path = temp_dir() + "/slow-compare.json";
  const Outcome out = run({"compare", base_path, slow_path, "--out", "json=" + compare_path});
  EXPECT_EQ(out.exit_code, 99) << out.stdout_text << out.stderr_text;
  EXPECT_NE(out.stdout_text.find("result: regressed\n"), std::string::npos) << out.stdout_text;
  EXPECT_NE(out.stdout_text.find("\n  run p50: "), std::string::npos) << out.stdout_text;
  const nlohmann::json compare = nlohmann::json::parse(read_file(compare_path));
  const nlohmann::json base = nlohmann::json::parse(read_file(base_path));
  const nlohmann::json slow = nlohmann::json::parse(read_file(slow_path));
  EXPECT_EQ(compare["result"], "regressed");
  ASSERT_EQ(compare["scopes"].size(), 3u);
  EXPECT_EQ(compare["scopes"][1]["label"], "phase steady");
  EXPECT_EQ(compare["scopes"][2]["label"], "step s / home");
  for (size_t scope = 0; scope < 3; ++scope) {
    EXPECT_EQ(metric(compare, scope, "p50")["verdict"], "regressed") << compare["scopes"][scope].dump();
    // 10 ms to 15 ms of delay: a rise near 50 %, far outside the 10 % limit.
    EXPECT_GT(metric(compare, scope, "p50")["delta"].get<double>(), 30.0);
  }
  // The percentiles are the runs' own, read from the same histograms.
  for (const char* p : {"p50", "p90", "p95", "p99", "p999"}) {
    EXPECT_EQ(metric(compare, 0, p)["base"], base["latency_ms"][p]) << p;
    EXPECT_EQ(metric(compare, 0, p)["new"], slow["latency_ms"][p]) << p;
    EXPECT_EQ(metric(compare, 1, p)["base"], base["phases"][0]["latency_ms"][p]) << p;
    EXPECT_EQ(metric(compare, 2, p)["new"], slow["steps"][0]["latency_ms"][p]) << p;
  }
  EXPECT_EQ(metric(compare, 0, "throughput")["base"], base["throughput_rps"]);
  EXPECT_EQ(metric(compare, 1, "throughput")["new"], slow["phases"][0]["throughput_rps"]);
  EXPECT_EQ(metric(compare, 0, "error_rate")["base"], 0.0);
  // With limits that allow the rise (p50 and p95 by 100 %, p99 not judged; throughput widened so that a run
  // end stretched by a busy machine cannot count) the same runs pass.
  const Outcome allowed = run(
      {"compare", base_path, slow_path, "--max", "p50=+100%,p95=+100%,throughput=-50%", "--max", "p99=off"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.stdout_text;
}

TEST_F(Compare, BadMaxTextExits2BeforeReadingTheFiles) {
  const Outcome out = run({"compare", temp_dir() + "/a.json", temp_dir() + "/b.json", "--max", "p95=20"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.stdout_text, "");
  EXPECT_EQ(out.stderr_text,
            "surge compare: --max 'p95=20': give p95's limit in % of the base run's value, e.g. p95=+20%, or "
            "off\n");
}

TEST_F(Compare, TheHtmlPageOpensInChromiumWithBothDistributionsOfEveryScope) {
  ASSERT_EQ(access("/usr/bin/chromium", X_OK), 0) << "/usr/bin/chromium is missing (scripts/install-deps.sh)";
  const std::string page = temp_dir() + "/compare.html", data = temp_dir() + "/page.json";
  const Outcome out = run({"compare", base(), slow(), "--out", "html=" + page, "--out", "json=" + data});
  ASSERT_EQ(out.exit_code, 99) << out.stderr_text;
  const nlohmann::json verdict = run_node_check("compare_html_check.js", {page, data});
  EXPECT_EQ(verdict["ok"], true) << verdict.dump();
  EXPECT_EQ(verdict["scopes"], 3);
}

TEST_F(Compare, TheSameDelayRunAsMergedSegmentsPassesWithExit0) {
  const std::string junit = temp_dir() + "/same.xml";
  const Outcome out = run({"compare", base(), merged_same(), "--out", "junit=" + junit});
  EXPECT_EQ(out.exit_code, 0) << out.stdout_text << out.stderr_text;
  EXPECT_NE(out.stdout_text.find("\n0 regressed, "), std::string::npos) << out.stdout_text;
  EXPECT_NE(out.stdout_text.find("result: pass\n"), std::string::npos) << out.stdout_text;
  // One testcase per metric of the run, the phase and the step; none failed.
  EXPECT_NE(read_file(junit).find("<testsuites name=\"surge compare\" tests=\"21\" failures=\"0\""),
            std::string::npos)
      << read_file(junit);
  // One segment's part is not a whole run.
  const Outcome one_part = run({"compare", base(), part(1)});
  EXPECT_EQ(one_part.exit_code, 2);
  EXPECT_EQ(one_part.stderr_text,
            "surge compare: '" + part(1) +
                "' is segment 1/2 of a run: merge the parts with `surge merge` and compare its results\n");
}

TEST_F(Compare, AResultsJsonOfAnotherPlanOrNoneExits2WithTheReason) {
  const std::string base_path = base(), other_path = temp_dir() + "/other.json";
  Process server({surge_binary(), "serve", "--port", "0"});
  const Outcome quick = run({"run", "--url", "http://" + listen_address(server) + "/", "-n", "20", "-c", "2",
                             "--quiet", "--out", "json=" + other_path});
  ASSERT_EQ(quick.exit_code, 0) << quick.stderr_text;
  const nlohmann::json other = nlohmann::json::parse(read_file(other_path));
  const std::string other_step =
      other["steps"][0]["scenario"].get<std::string>() + " / " + other["steps"][0]["name"].get<std::string>();
  Outcome out = run({"compare", base_path, other_path});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.stdout_text, "");
  EXPECT_EQ(out.stderr_text, "surge compare: '" + other_path + "' ran another plan than '" + base_path +
                                 "': plan '" + other["plan"].get<std::string>() + "' vs 'compare-e2e'\n" +
                                 "  steps in both: (none)\n" + "  steps only in '" + base_path +
                                 "': s / home\n" + "  steps only in '" + other_path + "': " + other_step +
                                 "\n" + "  phases: '" + base_path + "' has steady; '" + other_path +
                                 "' has " + other["phases"][0]["name"].get<std::string>() + "\n");
  const std::string not_results = write_temp_file("not-results.json", "{\"name\": \"shop\"}");
  out = run({"compare", not_results, base_path});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.stderr_text,
            "surge compare: '" + not_results + "' is not a surge results.json: it has no surge_version\n");
  out = run({"compare", base_path, temp_dir() + "/missing.json"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(out.stderr_text, "surge compare: cannot read '" + temp_dir() +
                                 "/missing.json': ENOENT (No such file or directory)\n");
}

}  // namespace
}  // namespace surge::e2e
