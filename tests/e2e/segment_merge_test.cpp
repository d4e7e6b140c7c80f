// Execution segments and `surge merge`: a plan of fixed-rate phases against `surge serve` runs as 4 segment
// processes started together (--start-at) and as one run with --workers 4. The merged parts must count what
// the 4-worker run and the server count, their histograms must add up, and the SLAs are judged on the sums.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <memory>

#include "metrics/hdr_log.h"
#include "shared_setup.h"
#include "support.h"

namespace surge::e2e {
namespace {

// 3 s × 200/s over 8 connections, then 2 s of 150 arrivals/s: 600 + 300 requests, whoever runs them.
constexpr uint64_t kSteadyRequests = 600;
constexpr uint64_t kArrivalRequests = 300;
constexpr uint64_t kPlanRequests = kSteadyRequests + kArrivalRequests;

std::string segment_plan(const std::string& address) {
  return "name: segments\ntarget: http://" + address +
         "\nphases:\n"
         "  - { name: steady, duration: 3s, connections: 8, rate: 200/s }\n"
         "  - { name: arrivals, duration: 2s, arrival_rate: 150/s, max_users: 60 }\n"
         "scenarios:\n  - name: s\n    steps:\n      - group: { name: visit, steps: [ { http: { url: / } } ] "
         "}\n"
         "sla:\n  - requests >= 900\n"  // fails in every part, passes on the merged run
         "  - group_failed_rate(visit) == 0\n  - p95(group(visit)) < 5s\n";
}

std::string rfc3339(std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

uint64_t served(const std::string& address) { return serve_stats(address)["requests_total"].get<uint64_t>(); }

void write_json(const std::string& path, const nlohmann::json& document) {
  std::ofstream(path) << document.dump();
}

struct Merge {
  int exit_code = -1;
  std::string stdout_text, stderr_text;
};

Merge merge(const std::vector<std::string>& parts, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {surge_binary(), "merge"};
  argv.insert(argv.end(), parts.begin(), parts.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  Process process(argv);
  Merge outcome;
  outcome.exit_code = process.wait(60);
  outcome.stdout_text = process.stdout_text();
  outcome.stderr_text = process.stderr_text();
  return outcome;
}

// Runs `count` segment processes of `workers` workers each, all starting at one --start-at; returns the
// parts.
std::vector<std::string> run_segments(const std::string& plan, uint32_t count, uint32_t workers,
                                      const std::string& path_prefix, std::time_t start_at,
                                      std::vector<int>* exit_codes = nullptr) {
  std::vector<std::unique_ptr<Process>> processes;
  std::vector<std::string> parts;
  for (uint32_t i = 0; i < count; ++i) {
    parts.push_back(path_prefix + "-" + std::to_string(i) + ".json");
    processes.push_back(std::make_unique<Process>(std::vector<std::string>{
        surge_binary(), "run", plan, "--segment", std::to_string(i) + "/" + std::to_string(count),
        "--start-at", rfc3339(start_at), "--workers", std::to_string(workers), "--quiet", "--out",
        "json=" + parts.back()}));
  }
  for (auto& process : processes) {
    const int code = process->wait(120);
    if (exit_codes != nullptr) exit_codes->push_back(code);
    EXPECT_TRUE(code == 0 || code == 99) << process->stderr_text();
  }
  return parts;
}

nlohmann::json outcome_facts(int exit_code, const std::string& stdout_text, const std::string& stderr_text) {
  return {{"exit_code", exit_code}, {"stdout", stdout_text}, {"stderr", stderr_text}};
}

// The runs every test here reads: 4 segment processes, then one 4-worker run, then `surge merge` of the
// parts. Done once per ctest run for the five tests (shared_setup.h); they are all serial, so it runs alone.
nlohmann::json run_segments_and_merge(const std::string& dir) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string plan = dir + "/segments.yaml";
  std::ofstream(plan) << segment_plan(address);
  const std::time_t start_at =
      std::time(nullptr) + 4;  // time enough for 4 processes to load the plan and fork
  std::vector<int> exit_codes;
  const std::vector<std::string> parts = run_segments(plan, 4, 1, dir + "/part", start_at, &exit_codes);
  const uint64_t served_by_segments = served(address);
  const RunOutcome whole = run_surge({plan, "--workers", "4"});
  const uint64_t served_by_whole_run = served(address) - served_by_segments;
  const Merge merged =
      merge(parts, {"--out", "json=" + dir + "/merged.json", "--out", "html=" + dir + "/merged.html"});
  nlohmann::json whole_facts = outcome_facts(whole.exit_code, whole.stdout_text, whole.stderr_text);
  whole_facts["results"] = whole.results;
  return {{"start_at", start_at},
          {"parts", parts},
          {"part_exit_codes", exit_codes},
          {"served_by_segments", served_by_segments},
          {"served_by_whole_run", served_by_whole_run},
          {"whole", whole_facts},
          {"merge", outcome_facts(merged.exit_code, merged.stdout_text, merged.stderr_text)}};
}

class SegmentMerge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const SharedSetup setup = shared_setup("segment-merge", run_segments_and_merge);
    const nlohmann::json& facts = setup.facts;
    start_at_ = facts["start_at"].get<std::time_t>();
    parts_ = new std::vector<std::string>(facts["parts"].get<std::vector<std::string>>());
    part_exit_codes_ = facts["part_exit_codes"].get<std::vector<int>>();
    served_by_segments_ = facts["served_by_segments"].get<uint64_t>();
    served_by_whole_run_ = facts["served_by_whole_run"].get<uint64_t>();
    whole_ = new RunOutcome{facts["whole"]["exit_code"].get<int>(), facts["whole"]["results"],
                            facts["whole"]["stdout"].get<std::string>(),
                            facts["whole"]["stderr"].get<std::string>()};
    merge_ = new Merge{facts["merge"]["exit_code"].get<int>(), facts["merge"]["stdout"].get<std::string>(),
                       facts["merge"]["stderr"].get<std::string>()};
    merged_path_ = new std::string(setup.dir + "/merged.json");
    html_path_ = new std::string(setup.dir + "/merged.html");
  }
  static void TearDownTestSuite() {
    delete parts_;
    delete whole_;
    delete merged_path_;
    delete html_path_;
    delete merge_;
  }

  static nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_file(path)); }
  static nlohmann::json merged() { return read_json(*merged_path_); }
  static nlohmann::json part(size_t i) { return read_json((*parts_)[i]); }

  static inline std::time_t start_at_ = 0;
  static inline std::vector<std::string>* parts_ = nullptr;
  static inline std::vector<int> part_exit_codes_;
  static inline uint64_t served_by_segments_ = 0;
  static inline RunOutcome* whole_ = nullptr;
  static inline uint64_t served_by_whole_run_ = 0;
  static inline std::string* merged_path_ = nullptr;
  static inline std::string* html_path_ = nullptr;
  static inline Merge* merge_ = nullptr;
};

TEST_F(SegmentMerge, MergedCountsEqualTheFourWorkerRunAndTheServers) {
  ASSERT_EQ(merge_->exit_code, 0) << merge_->stderr_text;
  ASSERT_EQ(whole_->exit_code, 0) << whole_->stderr_text;
  const nlohmann::json result = merged();
  EXPECT_EQ(served_by_segments_, kPlanRequests);
  EXPECT_EQ(served_by_whole_run_, kPlanRequests);
  EXPECT_EQ(result["requests"]["total"], kPlanRequests);
  EXPECT_EQ(result["requests"]["ok"], kPlanRequests);
  EXPECT_EQ(result["requests"]["total"], whole_->results["requests"]["total"]);
  EXPECT_EQ(result["requests"]["by_status"], whole_->results["requests"]["by_status"]);
  ASSERT_EQ(result["phases"].size(), 2u);
  EXPECT_EQ(result["phases"][0]["requests"]["total"], kSteadyRequests);
  EXPECT_EQ(result["phases"][1]["requests"]["total"], kArrivalRequests);
  EXPECT_EQ(result["phases"][1]["dropped_iterations"], 0);
  for (size_t phase = 0; phase < 2; ++phase) {
    EXPECT_EQ(result["phases"][phase]["requests"]["total"],
              whole_->results["phases"][phase]["requests"]["total"]);
  }
  // The steady phase's 8 connections are the plan's, whoever opens them; the arrival phase opens as many as
  // its latency needs, so the parts' count may differ from the other run's: merge adds up its parts.
  EXPECT_EQ(result["phases"][0]["connections"]["opened"], 8);
  EXPECT_EQ(whole_->results["phases"][0]["connections"]["opened"], 8);
  uint64_t opened_by_parts = 0;
  for (size_t i = 0; i < 4; ++i) opened_by_parts += part(i)["connections"]["opened"].get<uint64_t>();
  EXPECT_EQ(result["connections"]["opened"], opened_by_parts);
  EXPECT_EQ(result["workers"].size(), 4u);
  EXPECT_FALSE(result.contains("partial")) << "a merged run is whole, not a part";
  uint64_t per_second = 0;
  for (const nlohmann::json& second : result["timeseries"]) per_second += second["requests"].get<uint64_t>();
  EXPECT_EQ(per_second, kPlanRequests);
  EXPECT_NE(merge_->stdout_text.find("900 requests in"), std::string::npos) << merge_->stdout_text;
  EXPECT_NE(read_file(*html_path_).find("<html"), std::string::npos);
}

TEST_F(SegmentMerge, EachPartRanAQuarterAndAllStartedAtStartAt) {
  uint64_t sum = 0;
  for (size_t i = 0; i < 4; ++i) {
    const nlohmann::json p = part(i);
    EXPECT_EQ(p["segment"]["index"], i);
    EXPECT_EQ(p["segment"]["count"], 4);
    EXPECT_EQ(p["requests"]["total"], kPlanRequests / 4) << "part " << i;
    EXPECT_NEAR(p["started_at_unix_ms"].get<double>(), static_cast<double>(start_at_) * 1000, 5)
        << "part " << i;
    EXPECT_EQ(p["partial"]["plan_hash"], part(0)["partial"]["plan_hash"]);
    sum += p["requests"]["total"].get<uint64_t>();
  }
  EXPECT_EQ(sum, kPlanRequests);
}

TEST_F(SegmentMerge, MergedHistogramIsTheSumOfTheParts) {
  ASSERT_EQ(merge_->exit_code, 0) << merge_->stderr_text;
  auto merged_latency = metrics::decode_hdr_base64(merged()["latency_hdr"].get<std::string>());
  ASSERT_TRUE(merged_latency) << merged_latency.error().message;
  metrics::Histogram built;
  uint64_t part_counts = 0;
  for (size_t i = 0; i < 4; ++i) {
    auto latency = metrics::decode_hdr_base64(part(i)["latency_hdr"].get<std::string>());
    ASSERT_TRUE(latency) << latency.error().message;
    part_counts += latency->count();
    built.add(*latency);
  }
  EXPECT_EQ(merged_latency->count(), part_counts);
  EXPECT_EQ(merged_latency->count(), kPlanRequests);
  const nlohmann::json latency_ms = merged()["latency_ms"];
  const std::vector<std::pair<std::string, double>> percentiles = {
      {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p999", 99.9}};
  for (const auto& [key, percentile] : percentiles) {
    EXPECT_EQ(merged_latency->value_at_percentile(percentile), built.value_at_percentile(percentile)) << key;
    const double truth_ms = static_cast<double>(built.value_at_percentile(percentile)) / 1e6;
    EXPECT_NEAR(latency_ms[key].get<double>(), truth_ms, truth_ms * 0.001 + 0.001) << key;
  }
  EXPECT_NEAR(latency_ms["max"].get<double>(), static_cast<double>(built.max()) / 1e6,
              static_cast<double>(built.max()) / 1e9 + 0.001);
}

TEST_F(SegmentMerge, SlasAreJudgedAgainOnTheMergedData) {
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(part_exit_codes_[i], 99) << "225 requests fail 'requests >= 900' in part " << i;
    EXPECT_FALSE(part(i)["sla"][0]["pass"].get<bool>());
  }
  ASSERT_EQ(merge_->exit_code, 0) << merge_->stderr_text;
  EXPECT_TRUE(merged()["sla"][0]["pass"].get<bool>());
  EXPECT_EQ(merged()["sla"][0]["actual"], kPlanRequests);
  EXPECT_EQ(merged()["result"], "pass");
  // Group SLAs travel in the parts too, judged on the merged groups: every request ran in group visit.
  ASSERT_EQ(merged()["sla"].size(), 3u);
  EXPECT_EQ(merged()["sla"][1]["expr"], "group_failed_rate(visit) == 0");
  EXPECT_EQ(merged()["sla"][1]["actual"], 0.0);
  EXPECT_TRUE(merged()["sla"][2]["pass"].get<bool>()) << merged()["sla"][2].dump();
  EXPECT_EQ(merged()["groups"][0]["runs"], kPlanRequests);
  // The same parts judged by a bound the merged run misses: 99, as `surge run` would exit.
  std::vector<std::string> stricter;
  for (size_t i = 0; i < 4; ++i) {
    nlohmann::json p = part(i);
    p["partial"]["slas"][0]["expr"] = "requests < 900";
    stricter.push_back(temp_dir() + "/stricter-" + std::to_string(i) + ".json");
    write_json(stricter.back(), p);
  }
  Merge failing = merge(stricter);
  EXPECT_EQ(failing.exit_code, 99) << failing.stderr_text;
}

TEST_F(SegmentMerge, RefusesPartsThatDoNotFitTogether) {
  const std::vector<std::string>& parts = *parts_;
  Merge missing = merge({parts[0], parts[1], parts[3]});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.stderr_text.find("missing segment 2/4 (got 3 of 4)"), std::string::npos)
      << missing.stderr_text;

  Merge twice = merge({parts[0], parts[1], parts[1], parts[2], parts[3]});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.stderr_text.find("segment 1/4 is given twice: '" + parts[1] + "' and '" + parts[1] + "'"),
            std::string::npos)
      << twice.stderr_text;

  nlohmann::json other = part(3);
  other["partial"]["plan_hash"] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::string other_path = temp_dir() + "/other-plan.json";
  write_json(other_path, other);
  Merge different = merge({parts[0], parts[1], parts[2], other_path});
  EXPECT_EQ(different.exit_code, 2);
  EXPECT_NE(
      different.stderr_text.find("'" + other_path + "' is from a different plan than '" + parts[0] + "'"),
      std::string::npos)
      << different.stderr_text;

  const std::string whole_path = write_temp_file("whole.json", whole_->results.dump());
  Merge whole = merge({whole_path});
  EXPECT_EQ(whole.exit_code, 2);
  EXPECT_NE(whole.stderr_text.find("'" + whole_path + "' is not a partial results.json"), std::string::npos)
      << whole.stderr_text;

  const std::string broken_path = write_temp_file("broken.json", "{\"segment\": ");
  Merge broken = merge({broken_path});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.stderr_text.find("'" + broken_path + "' is not valid JSON: "), std::string::npos)
      << broken.stderr_text;

  nlohmann::json corrupt = part(2);
  corrupt["partial"]["seconds"][0] = "AAAA";
  const std::string corrupt_path = temp_dir() + "/corrupt.json";
  write_json(corrupt_path, corrupt);
  Merge undecodable = merge({parts[0], parts[1], corrupt_path, parts[3]});
  EXPECT_EQ(undecodable.exit_code, 2);
  EXPECT_NE(undecodable.stderr_text.find("'" + corrupt_path + "': partial.seconds[0] does not decode"),
            std::string::npos)
      << undecodable.stderr_text;
}

TEST(Segments, TwoSegmentsOfTwoWorkersEachAddUpToThePlan) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string plan = write_temp_file("segments-2x2.yaml", segment_plan(address));
  const std::vector<std::string> parts =
      run_segments(plan, 2, 2, temp_dir() + "/nested", std::time(nullptr) + 2);
  const std::string merged_path = temp_dir() + "/nested-merged.json";
  Merge merged = merge(parts, {"--out", "json=" + merged_path});
  ASSERT_EQ(merged.exit_code, 0) << merged.stderr_text;
  const nlohmann::json result = nlohmann::json::parse(read_file(merged_path));
  EXPECT_EQ(served(address), kPlanRequests);
  EXPECT_EQ(result["requests"]["total"], kPlanRequests);
  EXPECT_EQ(result["phases"][0]["requests"]["total"], kSteadyRequests);
  EXPECT_EQ(result["phases"][1]["requests"]["total"], kArrivalRequests);
  EXPECT_EQ(result["workers"].size(), 4u);
}

// -c 1 -n 10 over two segments: the one user is segment 1's, and so are all ten requests. Segment 0 has
// nothing to send and ends at once (it used to wait for requests it had no user to send, for ever).
TEST(Segments, ARequestBudgetGoesToTheSegmentsThatHaveUsers) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string start_at = rfc3339(std::time(nullptr) + 3);
  std::vector<std::unique_ptr<Process>> processes;
  std::vector<std::string> parts;
  for (int i = 0; i < 2; ++i) {
    parts.push_back(temp_dir() + "/budget-" + std::to_string(i) + ".json");
    processes.push_back(std::make_unique<Process>(std::vector<std::string>{
        surge_binary(), "run", "--url", "http://" + address + "/", "-c", "1", "-n", "10", "--segment",
        std::to_string(i) + "/2", "--start-at", start_at, "--quiet", "--out", "json=" + parts.back()}));
  }
  // Both end by themselves, and both pass: segment 0 had nothing to do, and failed nothing.
  for (auto& process : processes) EXPECT_EQ(process->wait(60), 0) << process->stderr_text();
  EXPECT_EQ(nlohmann::json::parse(read_file(parts[0]))["requests"]["total"], 0);
  EXPECT_EQ(nlohmann::json::parse(read_file(parts[1]))["requests"]["total"], 10);
  const std::string merged_path = temp_dir() + "/budget-merged.json";
  Merge merged = merge(parts, {"--out", "json=" + merged_path});
  ASSERT_EQ(merged.exit_code, 0) << merged.stderr_text;
  EXPECT_EQ(nlohmann::json::parse(read_file(merged_path))["requests"]["total"], 10);
  EXPECT_EQ(served(address), 10u);
}

// A credential whose text is all base64 zeros ("AAAA") is hidden everywhere in a part but in its encoded
// per-second data, which holds long runs of "A": redacting there would leave merge data it cannot decode.
TEST(Segments, ASecretThatLooksLikeBase64LeavesThePartsEncodedDataWhole) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  std::string text = segment_plan(address);
  text.insert(text.find("phases:"), "headers: { Authorization: \"Bearer AAAA\" }\n");
  const std::string plan = write_temp_file("segments-secret.yaml", text);
  const std::vector<std::string> parts =
      run_segments(plan, 2, 1, temp_dir() + "/secret", std::time(nullptr) + 2);
  const nlohmann::json part = nlohmann::json::parse(read_file(parts[0]));
  bool has_zeros = false;
  for (const auto& second : part["partial"]["seconds"])
    has_zeros |= second.get<std::string>().find("AAAA") != std::string::npos;
  EXPECT_TRUE(has_zeros) << "the test needs encoded data holding the secret's text";
  const std::string merged_path = temp_dir() + "/secret-merged.json";
  Merge merged = merge(parts, {"--out", "json=" + merged_path});
  ASSERT_EQ(merged.exit_code, 0) << merged.stderr_text;
  const nlohmann::json result = nlohmann::json::parse(read_file(merged_path));
  EXPECT_EQ(served(address), kPlanRequests);
  EXPECT_EQ(result["requests"]["total"], kPlanRequests);
}

TEST(Segments, BadSegmentFlagsExitTwoWithTheReason) {
  const std::string plan = write_temp_file("segments-flags.yaml", segment_plan("127.0.0.1:9"));
  const std::string out = "json=" + temp_dir() + "/flags.json";
  Process out_of_range({surge_binary(), "run", plan, "--segment", "4/4", "--out", out});
  EXPECT_EQ(out_of_range.wait(30), 2);
  EXPECT_NE(out_of_range.stderr_text().find("invalid --segment \"4/4\": expected I/N with 0 <= I < N"),
            std::string::npos)
      << out_of_range.stderr_text();
  Process no_json({surge_binary(), "run", plan, "--segment", "0/2"});
  EXPECT_EQ(no_json.wait(30), 2);
  EXPECT_NE(no_json.stderr_text().find("--segment needs --out json=FILE"), std::string::npos)
      << no_json.stderr_text();
  Process past(
      {surge_binary(), "run", plan, "--segment", "0/2", "--start-at", "2020-01-01T00:00:00Z", "--out", out});
  EXPECT_EQ(past.wait(30), 2);
  EXPECT_NE(past.stderr_text().find("--start-at lies"), std::string::npos) << past.stderr_text();
  Process garbled({surge_binary(), "run", plan, "--start-at", "tomorrow", "--out", out});
  EXPECT_EQ(garbled.wait(30), 2);
  EXPECT_NE(garbled.stderr_text().find("invalid --start-at \"tomorrow\": expected an RFC 3339 time"),
            std::string::npos)
      << garbled.stderr_text();
}

}  // namespace
}  // namespace surge::e2e
