// Output requests and files: the kinds a build knows, one document rendered for every kind, and a file that
// cannot be written failing alone while the others are still written.
#include "report/outputs.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "report/results_json.h"
#include "support/child_process.h"

namespace surge::report {
namespace {

using nlohmann::json;

using test_support::read_file;
std::string temp_dir() { return test_support::test_temp_dir(); }

json minimal_results() {
  return {{"surge_version", "0.1.0"},
          {"plan", "p"},
          {"started_at_unix_ms", 0},
          {"duration_s", 1.0},
          {"timeseries", json::array()}};
}

TEST(OutputRequest, ListsTheKindsThisBuildWritesForAnUnknownOne) {
  auto request = parse_output_request("pdf=report.pdf");
  ASSERT_FALSE(request);
  EXPECT_EQ(request.error().message.rfind(
                "invalid --out \"pdf=report.pdf\": unknown kind 'pdf'; this version writes: "
                "json, csv, html, hlog",
                0),
            0u)
      << request.error().message;
}

TEST(OutputRequest, AcceptsEachReportKind) {
  for (const char* kind : {"json", "csv", "html", "hlog"}) {
    auto request = parse_output_request(std::string(kind) + "=out." + kind);
    ASSERT_TRUE(request) << kind;
    EXPECT_EQ(request->kind, kind);
    EXPECT_EQ(request->path, std::string("out.") + kind);
  }
}

TEST(RenderOutput, JsonIsTheDocumentIndentedByTwo) {
  auto text = render_output("json", minimal_results());
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, minimal_results().dump(2) + "\n");
}

TEST(RenderOutput, JsonWritesTheTimeSeriesLastARowAtATime) {
  json results = minimal_results();
  results["timeseries"] = {{{"t_s", 1}, {"phase", "a"}, {"steps", json::array({{{"name", "x"}}})}},
                           {{"t_s", 2}, {"phase", "b"}, {"steps", json::array()}}};
  results["workers"] = json::array({{{"pid", 7}}});
  auto text = render_output("json", results);
  ASSERT_TRUE(text);
  EXPECT_EQ(json::parse(*text), results);
  EXPECT_GT(text->find("\"timeseries\""), text->find("\"workers\""));
  // Laid out as dump(2) lays out the same document when timeseries is its last key.
  json without_workers = results;
  without_workers.erase("workers");
  auto reference = render_output("json", without_workers);
  ASSERT_TRUE(reference);
  EXPECT_EQ(*reference, without_workers.dump(2) + "\n");
}

TEST(RenderOutput, RefusesAnUnknownKind) {
  auto text = render_output("pdf", minimal_results());
  ASSERT_FALSE(text);
  EXPECT_EQ(
      text.error().message.rfind("unknown output kind 'pdf'; this version writes: json, csv, html, hlog", 0),
      0u);
}

TEST(WriteOutputFiles, WritesTheOthersWhenOneFails) {
  const std::string csv = temp_dir() + "/a.csv", hlog = temp_dir() + "/a.hlog";
  const std::vector<OutputRequest> outputs = {
      {"csv", csv}, {"json", temp_dir() + "/no-such-dir/results.json"}, {"hlog", hlog}};
  EXPECT_FALSE(write_output_files(ResultsDocument(minimal_results()), outputs));
  EXPECT_EQ(read_file(csv), *render_output("csv", minimal_results()));
  EXPECT_EQ(read_file(hlog), *render_output("hlog", minimal_results()));
}

TEST(WriteOutputFiles, ReportsSuccessWhenAllAreWritten) {
  const std::string html = temp_dir() + "/b.html";
  EXPECT_TRUE(write_output_files(ResultsDocument(minimal_results()), {{"html", html}}));
  EXPECT_EQ(read_file(html), *render_output("html", minimal_results()));
}

TEST(WriteOutputFiles, LeavesNoFileBehindWhenARowCannotBeRendered) {
  json results = minimal_results();
  results["timeseries"] = {{{"t_s", 1}, {"phase", "a"}}};  // no latency_hdr: hlog cannot be written
  const std::string dir = temp_dir() + "/failed";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  EXPECT_FALSE(write_output_files(ResultsDocument(results), {{"hlog", dir + "/r.hlog"}}));
  EXPECT_EQ(rmdir(dir.c_str()), 0) << "a file was left in " << dir;
}

// A run with two seconds of one step, whose phase name holds a secret.
results::RunResult run_of_two_seconds(std::string phase) {
  results::RunResult result;
  result.plan_name = "p";
  result.grid = metrics::StatsGrid(1, 1);
  result.phases.push_back({phase, "closed", 2, 2, 1});
  result.steps.push_back({"shop", "home"});
  result.duration_s = 2;
  metrics::RequestStats& cell = result.grid.cell(0, 0);
  for (uint64_t second = 1; second <= 2; ++second) {
    cell.latency.record(static_cast<int64_t>(second) * 1'000'000);
    ++cell.ok;
    results::SecondRow row;
    row.second = second;
    row.phase = phase;
    row.requests = row.ok = 1;
    row.latency =
        results::SecondLatency{1.0 * second, 1.0 * second, 1.0 * second, 1.0 * second, 1.0 * second};
    metrics::Histogram one;
    one.record(static_cast<int64_t>(second) * 1'000'000);
    one.encode(row.latency_encoded);
    row.steps.push_back({0, 1, 1, 0, {}, row.latency});
    result.timeseries.push_back(row);
  }
  return result;
}

TEST(WriteOutputs, EachFileIsTheRunsDocumentRenderedWhole) {
  const results::RunResult result = run_of_two_seconds("steady");
  const std::string dir = temp_dir() + "/run";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  std::vector<OutputRequest> outputs;
  for (const char* kind : {"json", "csv", "html", "hlog", "junit"})
    outputs.push_back({kind, dir + "/r." + kind});
  ASSERT_EQ(write_outputs(result, outputs), 0);
  for (const OutputRequest& output : outputs) {
    auto whole = render_output(output.kind, to_results_json(result));
    ASSERT_TRUE(whole) << whole.error().message;
    EXPECT_EQ(read_file(output.path), *whole) << output.kind;
  }
  EXPECT_EQ(json::parse(read_file(dir + "/r.json"))["timeseries"].size(), 2u);
}

TEST(WriteOutputs, EveryRowHasTheSecretsReplaced) {
  results::RunResult result = run_of_two_seconds("phase-hunter2");
  result.secrets = {"hunter2"};
  const std::string dir = temp_dir() + "/secret";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(write_outputs(result, {{"json", dir + "/r.json"}, {"csv", dir + "/r.csv"}}), 0);
  const std::string text = read_file(dir + "/r.json");
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(json::parse(text)["timeseries"][1]["phase"], "phase-***");
  EXPECT_EQ(read_file(dir + "/r.csv").find("hunter2"), std::string::npos);
  EXPECT_NE(read_file(dir + "/r.csv").find("2,phase-***,run"), std::string::npos);
}

}  // namespace
}  // namespace surge::report
