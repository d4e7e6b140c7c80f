// The outputs of one comparison: compare.json's keys and nulls, one JUnit testcase per metric with a failure
// per regression, the HTML page's data safe inside its <script>, the terminal table's lines, and --out
// parsing.
#include "compare/outputs.h"

#include <gtest/gtest.h>

#include "compare/compare_json.h"
#include "compare/compare_junit.h"
#include "compare/noise.h"
#include "compare/table.h"

namespace surge::compare {
namespace {

using nlohmann::json;

constexpr int64_t kMs = 1'000'000;

ScopeFigures scope_at(double latency_ms) {
  ScopeFigures scope;
  scope.requests = 1000;
  scope.throughput_rps = 500;
  scope.latency.record_n(static_cast<int64_t>(latency_ms * kMs), 1000);
  scope.latency_min_ms = scope.latency_max_ms = latency_ms;
  scope.has_latency_histogram = true;
  for (uint64_t t = 1; t <= 3; ++t) {
    SecondFigures second;
    second.t_s = t;
    second.requests = 500;
    for (auto& p : second.latency_ms) p = latency_ms;
    add_second(scope, second);
  }
  return scope;
}

// Plan "<shop>": the run's p50, p95 and p99 went from 10 ms to 15 ms; a step stayed at 10 ms.
Comparison sample() {
  RunFigures base;
  base.source = "base.json";
  base.plan = "</script><b>shop";
  base.surge_version = "0.1.0";
  base.duration_s = 2;
  base.run = scope_at(10);
  base.steps = {scope_at(10)};
  base.steps[0].kind = ScopeKind::kStep;
  base.steps[0].scenario = "s";
  base.steps[0].name = "home";
  RunFigures candidate = base;
  candidate.source = "new.json";
  candidate.run = scope_at(15);
  return compare_runs(base, candidate, default_limits());
}

TEST(CompareJson, HoldsEachScopesMetricsWithTheirVerdicts) {
  const json out = to_compare_json(sample());
  EXPECT_EQ(out["result"], "regressed");
  EXPECT_EQ(out["regressed"], 3);
  EXPECT_EQ(out["base"]["file"], "base.json");
  EXPECT_EQ(out["new"]["file"], "new.json");
  EXPECT_EQ(out["limits"]["throughput"], (json{{"limit", -5.0}, {"unit", "%"}}));
  EXPECT_FALSE(out["limits"].contains("p90"));
  ASSERT_EQ(out["scopes"].size(), 2u);
  EXPECT_EQ(out["scopes"][1]["scope"], "step");
  EXPECT_EQ(out["scopes"][1]["scenario"], "s");
  EXPECT_EQ(out["scopes"][0]["metrics"][2], (json{{"metric", "p50"},
                                                  {"unit", "ms"},
                                                  {"base", 10.0},
                                                  {"new", 15.0},
                                                  {"delta", 50.0},
                                                  {"delta_unit", "%"},
                                                  {"limit", 10.0},
                                                  {"noise", 0.0},
                                                  {"verdict", "regressed"}}));
  EXPECT_TRUE(out["scopes"][0]["metrics"][3]["limit"].is_null());
  EXPECT_FALSE(out["scopes"][0].contains("distribution"));
}

TEST(CompareJunit, HasOneTestcasePerMetricAndAFailurePerRegression) {
  const std::string xml = render_compare_junit(sample());
  EXPECT_NE(
      xml.find("<testsuites name=\"surge compare\" tests=\"14\" failures=\"3\" errors=\"0\" skipped=\"4\">"),
      std::string::npos)
      << xml;
  EXPECT_NE(
      xml.find("  <testsuite name=\"step s / home\" tests=\"7\" failures=\"0\" errors=\"0\" skipped=\"2\">"),
      std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"p50 10.0ms -&gt; 15.0ms (+50.0%), limit +10%, noise ±0.0%\" "
                     "type=\"regressed\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"no limit: p90 10.0ms -&gt; 15.0ms (+50.0%), noise ±0.0%\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("classname=\"surge.compare.&lt;/script&gt;&lt;b&gt;shop.run\""), std::string::npos);
}

TEST(CompareHtml, EmbedsTheComparisonWithItsDistributionsSafelyInsideItsScript) {
  const std::string page = render_compare_output(sample(), "html");
  EXPECT_EQ(page.find("</script><b>"), std::string::npos);
  EXPECT_NE(page.find("<title>surge compare: &lt;/script&gt;&lt;b&gt;shop</title>"), std::string::npos);
  const std::string open = "<script type=\"application/json\" id=\"surge-compare-data\">";
  const size_t start = page.find(open) + open.size();
  const json data = json::parse(page.substr(start, page.find("</script>", start) - start));
  EXPECT_EQ(data["base"]["plan"], "</script><b>shop");
  EXPECT_EQ(data["scopes"][0]["distribution"]["new"].back(),
            (json{{"percentile", 100.0}, {"latency_ms", 15.0}}));
}

TEST(CompareTable, ShowsEachMetricAndEndsWithTheRegressions) {
  const std::string table = render_table(sample());
  EXPECT_NE(table.find("\nrun\n  throughput       500.0/s     500.0/s     +0.0%      -5%     ±0.0%  pass\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  p50               10.0ms      15.0ms    +50.0%     +10%     ±0.0%  REGRESSED\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("  p999              10.0ms      10.0ms     +0.0%        –     ±0.0%  not_judged\n"),
            std::string::npos)
      << table;
  const std::string end =
      "3 regressed, 0 within noise, 7 passed, 4 not judged, 0 without data\n"
      "result: regressed\n"
      "  run p50: 10.0ms -> 15.0ms (+50.0%, limit +10%)\n"
      "  run p95: 10.0ms -> 15.0ms (+50.0%, limit +10%)\n"
      "  run p99: 10.0ms -> 15.0ms (+50.0%, limit +15%)\n";
  EXPECT_EQ(table.substr(table.size() - end.size()), end);
}

TEST(CompareOutputs, OutParsesKindEqualsFile) {
  auto output = parse_compare_output("junit=out/compare.xml");
  ASSERT_TRUE(output) << output.error().message;
  EXPECT_EQ(output->kind, "junit");
  EXPECT_EQ(output->path, "out/compare.xml");
  EXPECT_EQ(parse_compare_output("csv=x.csv").error().message,
            "--out 'csv=x.csv': expected KIND=FILE with KIND one of json, html, junit");
  EXPECT_EQ(parse_compare_output("html=").error().message,
            "--out 'html=': expected KIND=FILE with KIND one of json, html, junit");
}

}  // namespace
}  // namespace surge::compare
