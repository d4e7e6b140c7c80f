// Reading results.json for compare: each scope's counts and exact histogram, the seconds of the run, of each
// phase (by the row's phase) and of each step, and the refusals of what is not a whole run's results.json.
#include "compare/results_reader.h"

#include <gtest/gtest.h>

#include "metrics/hdr_log.h"

namespace surge::compare {
namespace {

using nlohmann::json;

constexpr int64_t kMs = 1'000'000;

metrics::Histogram histogram_of(std::vector<int64_t> latencies_ms) {
  metrics::Histogram h;
  for (int64_t ms : latencies_ms) h.record(ms * kMs);
  return h;
}

json block(uint64_t total, uint64_t errors, double rps, const metrics::Histogram& latency) {
  json out = {{"requests", {{"total", total}, {"errors", errors}}}, {"throughput_rps", rps}};
  out["latency_ms"] = {{"min", static_cast<double>(latency.min()) / kMs},
                       {"max", static_cast<double>(latency.max()) / kMs}};
  out["latency_hdr"] = metrics::encode_hdr_base64(latency);
  return out;
}

// Two phases over 2.5 s: warm (second 1), steady (seconds 2 and 3, the last cut short at 2.5 s).
json sample() {
  json doc = block(6, 1, 2.4, histogram_of({10, 10, 20, 20, 30, 30}));
  doc["surge_version"] = "0.1.0";
  doc["plan"] = "shop";
  doc["started_at_unix_ms"] = 1'700'000'000'000;
  doc["duration_s"] = 2.5;
  json warm = block(2, 0, 2.0, histogram_of({10, 10}));
  warm["name"] = "warm";
  json steady = block(4, 1, 2.667, histogram_of({20, 20, 30, 30}));
  steady["name"] = "steady";
  doc["phases"] = {warm, steady};
  json home = block(6, 1, 2.4, histogram_of({10, 10, 20, 20, 30, 30}));
  home["scenario"] = "browse";
  home["name"] = "home";
  // push_back, not {home}: a braced list of one json is a copy of it under clang and an array under GCC
  // (nlohmann/json's README, "brace initialization"), so the tests would read another document per compiler.
  doc["steps"] = json::array();
  doc["steps"].push_back(home);
  const auto row = [](uint64_t t_s, const char* phase, uint64_t requests, uint64_t errors, int64_t ms) {
    const metrics::Histogram h = histogram_of({ms, ms});
    json step = {{"scenario", "browse"},
                 {"name", "home"},
                 {"requests", requests},
                 {"errors", errors},
                 {"latency_ms", {{"p50", ms}, {"p90", ms}, {"p95", ms}, {"p99", ms}, {"max", ms}}}};
    json steps = json::array();
    steps.push_back(std::move(step));
    return json{{"t_s", t_s},
                {"phase", phase},
                {"requests", requests},
                {"errors", errors},
                {"latency_hdr", metrics::encode_hdr_base64(h)},
                {"latency_ms", {{"p50", ms}, {"p90", ms}, {"p95", ms}, {"p99", ms}, {"max", ms}}},
                {"steps", std::move(steps)}};
  };
  doc["timeseries"] = {row(1, "warm", 2, 0, 10), row(2, "steady", 2, 0, 20), row(3, "steady", 2, 1, 30)};
  return doc;
}

std::string error_of(const json& document) {
  auto figures = read_run_figures(report::ResultsDocument(document), "x.json");
  return figures ? "(no error)" : figures.error().message;
}

TEST(ReadRunFigures, ReadsEachScopesCountsAndExactHistogram) {
  auto figures = read_run_figures(report::ResultsDocument(sample()), "base.json");
  ASSERT_TRUE(figures) << figures.error().message;
  EXPECT_EQ(figures->source, "base.json");
  EXPECT_EQ(figures->plan, "shop");
  EXPECT_EQ(figures->started_at_unix_ms, 1'700'000'000'000);
  EXPECT_EQ(figures->duration_s, 2.5);
  EXPECT_EQ(figures->run.requests, 6u);
  EXPECT_EQ(figures->run.errors, 1u);
  EXPECT_EQ(figures->run.throughput_rps, 2.4);
  ASSERT_EQ(figures->phases.size(), 2u);
  EXPECT_EQ(figures->phases[1].name, "steady");
  EXPECT_EQ(figures->phases[1].latency.count(), 4u);
  EXPECT_EQ(figures->phases[1].latency.value_at_percentile(50),
            histogram_of({20, 20, 30, 30}).value_at_percentile(50));
  EXPECT_EQ(figures->phases[1].latency_max_ms, 30.0);
  ASSERT_EQ(figures->steps.size(), 1u);
  EXPECT_EQ(scope_label(figures->steps[0]), "step browse / home");
  EXPECT_TRUE(figures->steps[0].has_latency_histogram);
}

TEST(ReadRunFigures, GivesEachPhaseTheSecondsThatRanIt) {
  auto figures = read_run_figures(report::ResultsDocument(sample()), "base.json");
  ASSERT_TRUE(figures) << figures.error().message;
  // Throughput over whole seconds: the run's 1 and 2; steady's 2 only (its second 3 lasted 0.5 s).
  EXPECT_EQ(figures->run.values(Metric::kThroughput), (std::vector<double>{2, 2}));
  EXPECT_EQ(figures->phases[0].values(Metric::kThroughput), std::vector<double>{2});
  EXPECT_EQ(figures->phases[1].values(Metric::kThroughput), std::vector<double>{2});
  // steady's error rate: 0 % in second 2, 50 % in second 3.
  EXPECT_EQ(figures->phases[1].values(Metric::kErrorRate), (std::vector<double>{0, 50}));
  // A second's percentiles come from its histogram, within its exact max: 20 ms and 30 ms.
  EXPECT_EQ(figures->phases[1].values(Metric::kP999), (std::vector<double>{20, 30}));
  EXPECT_EQ(figures->phases[0].values(Metric::kP50), std::vector<double>{10});
}

TEST(ReadRunFigures, GivesEachStepItsSecondsFromTheRowsLatencyMs) {
  auto figures = read_run_figures(report::ResultsDocument(sample()), "base.json");
  ASSERT_TRUE(figures) << figures.error().message;
  const ScopeFigures& step = figures->steps[0];
  EXPECT_EQ(step.values(Metric::kP50), (std::vector<double>{10, 20, 30}));
  EXPECT_TRUE(step.values(Metric::kP999).empty());  // step rows have no p999
}

TEST(ReadRunFigures, AStepMissingFromARowEndedNothingThatSecond) {
  json doc = sample();
  doc["timeseries"][0]["steps"] = json::array();
  auto figures = read_run_figures(report::ResultsDocument(doc), "base.json");
  ASSERT_TRUE(figures) << figures.error().message;
  const ScopeFigures& step = figures->steps[0];
  // Second 1 counts 0 requests; seconds 1 and 2 are whole.
  EXPECT_EQ(step.values(Metric::kThroughput), (std::vector<double>{0, 2}));
  EXPECT_EQ(step.values(Metric::kP50), (std::vector<double>{20, 30}));
}

TEST(ReadRunFigures, JsonThatIsNotAResultsJsonIsRefusedWithTheReason) {
  EXPECT_EQ(error_of(json::array()), "'x.json' is not a surge results.json: expected a JSON object");
  EXPECT_EQ(error_of({{"a", 1}}), "'x.json' is not a surge results.json: it has no surge_version");
  json no_rows = sample();
  no_rows.erase("timeseries");
  EXPECT_EQ(error_of(no_rows), "'x.json' is not a surge results.json: it has no timeseries[]");
  json no_phases = sample();
  no_phases.erase("phases");
  EXPECT_EQ(error_of(no_phases), "'x.json' is not a surge results.json: key 'phases' not found");
  json bad_row = sample();
  bad_row["timeseries"][1].erase("requests");
  EXPECT_EQ(error_of(bad_row),
            "'x.json' is not a surge results.json: timeseries[]: key 'requests' not found");
  json bad_histogram = sample();
  bad_histogram["phases"][0]["latency_hdr"] = "AAAA";
  EXPECT_EQ(error_of(bad_histogram)
                .rfind("'x.json' is not a surge results.json: latency_hdr of phase warm: hdr decode: ", 0),
            0u)
      << error_of(bad_histogram);
}

TEST(ReadRunFigures, SaysWhenARunDidNotRunItsWholePlan) {
  json interrupted = sample();
  interrupted["interrupted"] = true;
  interrupted["interrupted_at_s"] = 1.5;
  EXPECT_EQ(read_run_figures(report::ResultsDocument(interrupted), "x.json")->incomplete,
            "interrupted at 1.5 s");
  json stopped = sample();
  stopped["stop_reason"] = "no connection to the target succeeded during the first second";
  EXPECT_EQ(read_run_figures(report::ResultsDocument(stopped), "x.json")->incomplete,
            "stopped early: no connection to the target succeeded during the first second");
  EXPECT_EQ(read_run_figures(report::ResultsDocument(sample()), "x.json")->incomplete, "");
}

TEST(ReadRunFigures, OneSegmentsPartIsRefusedWithTheAdviceToMergeFirst) {
  json part = sample();
  part["segment"] = {{"index", 1}, {"count", 4}};
  part["partial"] = {{"format", 1}};
  EXPECT_EQ(error_of(part),
            "'x.json' is segment 1/4 of a run: merge the parts with `surge merge` and compare its results");
}

}  // namespace
}  // namespace surge::compare
