// Reports end to end: one real run against `surge serve` writes json, csv, html and hlog; the CSV adds up to
// results.json and to the server's count, hdr-histogram-js reads the .hlog, headless Chromium renders the
// HTML, and `surge report` rebuilds every file byte for byte. Node, Chromium and the npm packages are real
// peers: a missing one fails the test (scripts/install-deps.sh installs them).
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "shared_setup.h"
#include "support.h"

namespace surge::e2e {
namespace {

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      rows.back().back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      rows.back().emplace_back();
    } else if (!quoted && c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

const char* kPlan = R"(name: 'shop "checkout", <b>reports</b>'
target: http://{TARGET}
phases:
  - { name: steady, duration: 2s, users: 4 }
  - { name: more,   duration: 2s, users: { from: 4, to: 8 } }
scenarios:
  - name: browse
    steps:
      - http: { name: home, url: / }
      - http: { name: "data, json", method: GET, url: /json }
      - think: 1ms..3ms
sla:
  - p95(latency) < 5s
  - error_rate < 1%
  - max(latency{step="data, json"}) < 1us
)";

// One run whose outputs the tests read (a run takes 4 s; the files do not change): done once per ctest run
// for all of them (shared_setup.h).
nlohmann::json run_with_every_output(const std::string& dir) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  std::string plan = kPlan;
  plan.replace(plan.find("{TARGET}"), 8, address);
  const std::string plan_path = dir + "/report-plan.yaml";
  std::ofstream(plan_path) << plan;
  Process run({surge_binary(), "run", plan_path, "--workers", "2", "--quiet", "--target-pid",
               std::to_string(server.pid()), "--out", "json=" + dir + "/results.json", "--out",
               "csv=" + dir + "/run.csv", "--out", "html=" + dir + "/report.html", "--out",
               "hlog=" + dir + "/run.hlog"});
  const int exit_code = run.wait();
  return {{"exit_code", exit_code}, {"stderr", run.stderr_text()}, {"server_stats", serve_stats(address)}};
}

class ReportRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const SharedSetup setup = shared_setup("report-run", run_with_every_output);
    dir_ = setup.dir;
    exit_code_ = setup.facts["exit_code"].get<int>();
    run_stderr_ = setup.facts["stderr"].get<std::string>();
    server_stats_ = setup.facts["server_stats"];
    results_ = nlohmann::json::parse(read_file(dir_ + "/results.json"), nullptr, false);
  }
  void SetUp() override {
    // The plan's last SLA cannot pass (no HTTP round trip takes under 1 µs): exit 99, the others pass.
    ASSERT_EQ(exit_code_, 99) << run_stderr_;
    ASSERT_TRUE(results_.is_object()) << "results.json missing or invalid; " << run_stderr_;
    ASSERT_EQ(results_["requests"]["errors"], 0) << results_["requests"].dump();
  }

  static inline std::string dir_;
  static inline int exit_code_ = -1;
  static inline std::string run_stderr_;
  static inline nlohmann::json results_;
  static inline nlohmann::json server_stats_;
};

TEST_F(ReportRun, CsvHasOneRunRowPerSecondAddingUpToTheTotal) {
  const auto rows = parse_csv(read_file(dir_ + "/run.csv"));
  ASSERT_GT(rows.size(), 1u);
  ASSERT_EQ(rows[0][0], "t_s");
  ASSERT_EQ(rows[0][2], "scope");
  ASSERT_EQ(rows[0][7], "requests");
  uint64_t expected_second = 1, requests = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
    if (rows[i][2] != "run") continue;
    EXPECT_EQ(std::stoull(rows[i][0]), expected_second++);
    requests += std::stoull(rows[i][7]);
  }
  const uint64_t seconds = expected_second - 1;
  EXPECT_EQ(seconds, results_["timeseries"].size());
  EXPECT_LT(std::fabs(static_cast<double>(seconds) - results_["duration_s"].get<double>()), 1.0);
  EXPECT_EQ(requests, results_["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(requests, server_stats_["requests_total"].get<uint64_t>());
}

TEST_F(ReportRun, CsvStepRowsAddUpToEachStepAndKeepTheirQuotedNames) {
  std::map<std::string, uint64_t> by_step;
  for (const auto& row : parse_csv(read_file(dir_ + "/run.csv"))) {
    if (row[2] == "step") by_step[row[3] + "/" + row[4]] += std::stoull(row[7]);
  }
  ASSERT_EQ(by_step.size(), 2u);
  EXPECT_EQ(by_step["browse/home"], results_["steps"][0]["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(by_step["browse/data, json"], results_["steps"][1]["requests"]["total"].get<uint64_t>());
}

TEST_F(ReportRun, HlogReadByHdrHistogramJsMatchesResultsJson) {
  const nlohmann::json verdict =
      run_node_check("hlog_check.js", {dir_ + "/run.hlog", dir_ + "/results.json"});
  ASSERT_TRUE(verdict.is_object());
  EXPECT_TRUE(verdict["ok"].get<bool>()) << verdict.dump();
  EXPECT_EQ(verdict["js"]["count"], results_["requests"]["total"]);
}

TEST_F(ReportRun, HtmlInChromiumDrawsTheChartsAndTheSlaTableOfResultsJson) {
  ASSERT_EQ(access("/usr/bin/chromium", X_OK), 0) << "/usr/bin/chromium is missing (scripts/install-deps.sh)";
  ASSERT_EQ(results_["sla"].size(), 3u);
  const nlohmann::json verdict =
      run_node_check("html_report_check.js", {dir_ + "/report.html", dir_ + "/results.json"});
  ASSERT_TRUE(verdict.is_object());
  EXPECT_TRUE(verdict["ok"].get<bool>()) << verdict.dump();
  std::vector<std::string> charts;
  for (const auto& chart : verdict["charts"]) charts.push_back(chart["id"]);
  EXPECT_EQ(charts, (std::vector<std::string>{"throughput", "latency", "errors", "users", "target-cpu",
                                              "target-memory", "distribution"}));
}

TEST_F(ReportRun, ReportCommandRebuildsEveryOutputByteForByte) {
  const std::string again = temp_dir() + "/again";
  mkdir(again.c_str(), 0755);
  Process report({surge_binary(), "report", dir_ + "/results.json", "--out",
                  "json=" + again + "/results.json", "--out", "csv=" + again + "/run.csv", "--out",
                  "html=" + again + "/report.html", "--out", "hlog=" + again + "/run.hlog"});
  ASSERT_EQ(report.wait(), 0) << report.stderr_text();
  for (const char* file : {"/results.json", "/run.csv", "/report.html", "/run.hlog"}) {
    const std::string original = read_file(dir_ + file);
    ASSERT_FALSE(original.empty()) << file;
    EXPECT_TRUE(read_file(again + file) == original) << file << " differs from the run's";
  }
}

// A results.json whose keys are in another order (here sorted, as a JSON tool might rewrite it: timeseries
// among the others rather than last) reads the same: surge report finds the rows wherever they stand.
TEST_F(ReportRun, ReportCommandReadsTheRowsWhereverTheyStandInTheFile) {
  const std::string again = temp_dir() + "/sorted";
  mkdir(again.c_str(), 0755);
  const std::string sorted = again + "/sorted.json";
  {
    std::ofstream out(sorted);
    out << results_.dump(1);  // nlohmann's objects are sorted: "timeseries" comes before "workers"
  }
  ASSERT_LT(read_file(sorted).find("\"timeseries\""), read_file(sorted).find("\"workers\""));
  Process report({surge_binary(), "report", sorted, "--out", "json=" + again + "/results.json", "--out",
                  "csv=" + again + "/run.csv"});
  ASSERT_EQ(report.wait(), 0) << report.stderr_text();
  EXPECT_TRUE(read_file(again + "/results.json") == read_file(dir_ + "/results.json"));
  EXPECT_TRUE(read_file(again + "/run.csv") == read_file(dir_ + "/run.csv"));
}

// The coordinator keeps its time series in an unlinked file under TMPDIR (not in memory, and never left
// behind), and the outputs read every second back from it.
TEST(TimeSeriesFile, IsAnUnlinkedFileUnderTmpdirThatTheOutputsReadBack) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string spool = temp_dir() + "/spool-tmpdir";
  ASSERT_EQ(mkdir(spool.c_str(), 0755), 0);
  const std::string results = temp_dir() + "/spool-results.json";
  Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c", "2", "-d", "3s", "--workers",
               "1", "--quiet", "--out", "json=" + results},
              {{"TMPDIR", spool}});
  std::string seen;  // what the coordinator's descriptor points at
  for (int attempt = 0; attempt < 60 && seen.empty(); ++attempt) {
    usleep(100'000);
    const std::string fds = "/proc/" + std::to_string(run.pid()) + "/fd";
    DIR* dir = opendir(fds.c_str());
    if (dir == nullptr) continue;
    while (dirent* entry = readdir(dir)) {
      char target[512];
      const ssize_t n = readlink((fds + "/" + entry->d_name).c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      const std::string link(target, static_cast<size_t>(n));
      if (link.rfind(spool + "/", 0) == 0) seen = link;
    }
    closedir(dir);
  }
  ASSERT_EQ(run.wait(), 0) << run.stderr_text();
  EXPECT_NE(seen.find("(deleted)"), std::string::npos) << "no unlinked file under TMPDIR: '" << seen << "'";
  DIR* dir = opendir(spool.c_str());
  ASSERT_NE(dir, nullptr);
  size_t left = 0;
  while (dirent* entry = readdir(dir))
    left += std::string(entry->d_name) == "." || std::string(entry->d_name) == ".." ? 0 : 1;
  closedir(dir);
  EXPECT_EQ(left, 0u) << "files left in " << spool;
  const nlohmann::json document = nlohmann::json::parse(read_file(results));
  ASSERT_GE(document["timeseries"].size(), 3u);
  uint64_t requests = 0;
  for (const nlohmann::json& second : document["timeseries"]) requests += second["requests"].get<uint64_t>();
  EXPECT_EQ(requests, document["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(requests, serve_stats(address)["requests_total"].get<uint64_t>());
  server.terminate();
}

struct CommandOutcome {
  int exit_code;
  std::string stderr_text;
};

CommandOutcome surge_report(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {surge_binary(), "report"};
  argv.insert(argv.end(), args.begin(), args.end());
  Process report(argv);
  const int code = report.wait(30);
  return {code, report.stderr_text()};
}

TEST(ReportCommand, NamesAnUnreadableFileAndWhy) {
  const std::string missing = temp_dir() + "/no-such-results.json";
  const CommandOutcome outcome = surge_report({missing, "--out", "csv=" + temp_dir() + "/x.csv"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.stderr_text,
            "surge report: cannot read '" + missing + "': ENOENT (No such file or directory)\n");
}

TEST(ReportCommand, NamesTheLineAndColumnOfInvalidJson) {
  const std::string path = write_temp_file("broken-results.json", "{\n  \"duration_s\": ,\n}\n");
  const CommandOutcome outcome = surge_report({path, "--out", "csv=" + temp_dir() + "/x.csv"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.stderr_text,
            "surge report: '" + path +
                "' is not valid JSON: line 2, column 17: syntax error while parsing value - "
                "unexpected ','; expected '[', '{', or a literal\n");
}

TEST(ReportCommand, RefusesJsonThatIsNotAResultsFile) {
  const std::string path = write_temp_file("not-results.json", "[1, 2, 3]\n");
  const CommandOutcome outcome = surge_report({path, "--out", "html=" + temp_dir() + "/x.html"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.stderr_text, "surge report: '" + path +
                                     "' is not a surge results.json: expected an object with timeseries[]\n");
}

TEST(ReportCommand, AsksForAnOutput) {
  const std::string path = write_temp_file("empty-results.json", "{\"timeseries\": []}\n");
  const CommandOutcome outcome = surge_report({path});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.stderr_text.rfind(
                "surge report: give at least one --out KIND=FILE (kinds: json, csv, html, hlog", 0),
            0u)
      << outcome.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
