// results.json's HdrHistogram keys: each second's latency_hdr, the whole run's latency_hdr and
// service_time_hdr, and each phase's and step's latency_hdr decode back to exactly the histograms the run
// recorded; absent when nothing was recorded.
#include "report/results_json.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

#include "metrics/hdr_log.h"

namespace surge::report {
namespace {

using Buckets = std::vector<std::tuple<int64_t, int64_t, uint64_t>>;

Buckets buckets_of(const metrics::Histogram& h) {
  Buckets out;
  h.for_each_bucket([&](int64_t lo, int64_t hi, uint64_t n) { out.emplace_back(lo, hi, n); });
  return out;
}

Buckets decoded_buckets(const nlohmann::json& base64) {
  auto decoded = metrics::decode_hdr_base64(base64.get<std::string>());
  EXPECT_TRUE(decoded) << decoded.error().message;
  return decoded ? buckets_of(*decoded) : Buckets{};
}

results::RunResult run_with_latency() {
  results::RunResult result;
  result.grid = metrics::StatsGrid(1, 1);
  result.phases.push_back({"load", "closed", 1, 1, 1});
  metrics::RequestStats& cell = result.grid.cell(0, 0);
  for (int64_t us = 100; us <= 90'000; us += 100) {
    cell.latency.record(us * 1000);
    cell.service_time.record(us * 900);
    ++cell.ok;
  }
  results::SecondRow second;
  second.second = 1;
  second.phase = "load";
  cell.latency.encode(second.latency_encoded);
  result.timeseries.push_back(second);
  results::SecondRow quiet = second;
  quiet.second = 2;
  quiet.latency_encoded.clear();
  metrics::Histogram{}.encode(quiet.latency_encoded);
  result.timeseries.push_back(quiet);
  return result;
}

TEST(ResultsJsonHdr, EachSecondCarriesItsWholeHistogram) {
  const results::RunResult result = run_with_latency();
  const nlohmann::json json = to_results_json(result);
  EXPECT_EQ(decoded_buckets(json["timeseries"][0]["latency_hdr"]),
            buckets_of(result.grid.cell(0, 0).latency));
  EXPECT_EQ(decoded_buckets(json["timeseries"][1]["latency_hdr"]), Buckets{});
}

TEST(ResultsJsonHdr, TheRunCarriesLatencyAndServiceTimeHistograms) {
  const results::RunResult result = run_with_latency();
  const nlohmann::json json = to_results_json(result);
  EXPECT_EQ(decoded_buckets(json["latency_hdr"]), buckets_of(result.grid.cell(0, 0).latency));
  EXPECT_EQ(decoded_buckets(json["service_time_hdr"]), buckets_of(result.grid.cell(0, 0).service_time));
}

TEST(ResultsJsonHdr, EachPhaseAndStepCarriesItsOwnHistogram) {
  results::RunResult result;
  result.grid = metrics::StatsGrid(2, 2);
  result.phases = {{"warm", "closed", 1, 1, 1}, {"load", "closed", 1, 1, 1}};
  result.steps = {{"s", "home"}, {"s", "cart"}};
  result.grid.cell(0, 0).latency.record(1'000'000);
  result.grid.cell(1, 0).latency.record(2'000'000);
  result.grid.cell(1, 1).latency.record(30'000'000);
  const nlohmann::json json = to_results_json(result);
  metrics::Histogram load, home;
  load.add(result.grid.cell(1, 0).latency);
  load.add(result.grid.cell(1, 1).latency);
  home.add(result.grid.cell(0, 0).latency);
  home.add(result.grid.cell(1, 0).latency);
  EXPECT_EQ(decoded_buckets(json["phases"][0]["latency_hdr"]), buckets_of(result.grid.cell(0, 0).latency));
  EXPECT_EQ(decoded_buckets(json["phases"][1]["latency_hdr"]), buckets_of(load));
  EXPECT_EQ(decoded_buckets(json["steps"][0]["latency_hdr"]), buckets_of(home));
  EXPECT_EQ(decoded_buckets(json["steps"][1]["latency_hdr"]), buckets_of(result.grid.cell(1, 1).latency));
}

TEST(ResultsJsonHdr, APhaseWithoutResponsesHasNoHistogram) {
  results::RunResult result;
  result.grid = metrics::StatsGrid(2, 1);
  result.phases = {{"warm", "closed", 1, 1, 1}, {"load", "closed", 1, 1, 1}};
  result.grid.cell(1, 0).latency.record(1'000'000);
  const nlohmann::json json = to_results_json(result);
  EXPECT_FALSE(json["phases"][0].contains("latency_hdr"));
  EXPECT_TRUE(json["phases"][1].contains("latency_hdr"));
}

TEST(ResultsJsonHdr, ARunWithoutResponsesHasNoWholeRunHistograms) {
  results::RunResult result;
  result.grid = metrics::StatsGrid(1, 1);
  const nlohmann::json json = to_results_json(result);
  EXPECT_FALSE(json.contains("latency_hdr"));
  EXPECT_FALSE(json.contains("service_time_hdr"));
}

}  // namespace
}  // namespace surge::report
