// The html output: the embedded data parses back to the document (minus what the page does not draw), names
// cannot break out of the <script> or <title>, the distribution follows the whole-run histogram, and the
// page is a pure function of the document.
#include "report/html.h"
#include "report/outputs.h"

#include <gtest/gtest.h>

#include <cmath>

#include "metrics/hdr_log.h"

namespace surge::report {
namespace {

using nlohmann::json;

constexpr std::string_view kDataOpen = "<script type=\"application/json\" id=\"surge-data\">";

metrics::Histogram one_to_a_thousand_ms() {
  metrics::Histogram h;
  for (int64_t ms = 1; ms <= 1000; ++ms) h.record(ms * 1'000'000);
  return h;
}

json sample_results(const std::string& plan) {
  return {{"surge_version", "0.1.0"},
          {"plan", plan},
          {"target_url", "http://127.0.0.1:8080/"},
          {"result", "pass"},
          {"duration_s", 2.0},
          {"latency_ms", {{"min", 1.0}, {"max", 1000.0}}},
          {"latency_hdr", metrics::encode_hdr_base64(one_to_a_thousand_ms())},
          {"service_time_hdr", metrics::encode_hdr_base64(one_to_a_thousand_ms())},
          {"sla", {{{"expr", "p95(latency) < 250ms"}, {"actual", 950.5}, {"pass", false}}}},
          {"phases", {{{"name", "load"}, {"latency_hdr", "AAAA"}}}},
          {"steps", {{{"scenario", "s"}, {"name", "home"}, {"latency_hdr", "AAAA"}}}},
          {"timeseries",
           {{{"t_s", 1}, {"requests", 600}, {"latency_hdr", "AAAA"}, {"steps", json::array()}},
            {{"t_s", 2}, {"requests", 400}, {"latency_hdr", "AAAA"}, {"steps", json::array()}}}}};
}

// The JSON between the data element's tags, parsed.
json embedded_data(const std::string& page) {
  const size_t open = page.find(kDataOpen);
  const size_t start = open + kDataOpen.size();
  return json::parse(page.substr(start, page.find("</script>", start) - start));
}

size_t count_of(const std::string& text, std::string_view needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST(Html, EmbedsTheDocumentWithoutItsHistogramsAndStepRows) {
  auto page = render_output("html", sample_results("shop"));
  ASSERT_TRUE(page) << page.error().message;
  json data = embedded_data(*page);
  json expected = sample_results("shop");
  expected.erase("latency_hdr");
  expected.erase("service_time_hdr");
  expected["phases"][0].erase("latency_hdr");
  expected["steps"][0].erase("latency_hdr");
  for (json& second : expected["timeseries"]) {
    second.erase("latency_hdr");
    second.erase("steps");
  }
  data.erase("distribution");
  expected["sla"][0]["actual_text"] = "950.5";
  EXPECT_EQ(data, expected);
}

TEST(Html, GivesEachSlaActualValueTheTerminalSummarysRounding) {
  json results = sample_results("shop");
  results["sla"] = {
      {{"expr", "error_rate < 90%"}, {"actual", 79.62184873949579}, {"unit", "%"}, {"pass", true}},
      {{"expr", "p95(latency) < 3ms"}, {"actual", 2.516991}, {"unit", "ms"}, {"pass", true}},
      {{"expr", "p95(latency) < 1s"}, {"actual", nullptr}, {"unit", "s"}, {"pass", false}}};
  auto page = render_output("html", results);
  ASSERT_TRUE(page) << page.error().message;
  json slas = embedded_data(*page)["sla"];
  EXPECT_EQ(slas[0]["actual_text"], "79.6218%");
  EXPECT_EQ(slas[1]["actual_text"], "2.51699ms");
  EXPECT_FALSE(slas[2].contains("actual_text")) << "no data: the page writes 'no data'";
  EXPECT_EQ(slas[0]["actual"], 79.62184873949579) << "the exact value stays";
}

TEST(Html, DistributionFollowsTheWholeRunHistogram) {
  auto page = render_output("html", sample_results("shop"));
  ASSERT_TRUE(page) << page.error().message;
  const json points = embedded_data(*page)["distribution"];
  const metrics::Histogram h = one_to_a_thousand_ms();
  // 5 points per halving of the tail while 1000 samples resolve it: tails 2^(-k/5) >= 1/1000, k = 0..49,
  // each the run's own percentile, then latency_ms.max (the decoded max would be its bucket's top).
  ASSERT_EQ(points.size(), 51u);
  for (size_t k = 0; k < 50; ++k) {
    const double percentile = 100.0 * (1.0 - std::pow(2.0, -static_cast<double>(k) / 5.0));
    EXPECT_DOUBLE_EQ(points[k]["percentile"].get<double>(), percentile);
    EXPECT_DOUBLE_EQ(points[k]["latency_ms"].get<double>(),
                     static_cast<double>(h.value_at_percentile(percentile)) / 1e6);
  }
  EXPECT_EQ(points[50], json({{"percentile", 100.0}, {"latency_ms", 1000.0}}));
}

TEST(Html, EndsTheDistributionAtTheBucketTopWithoutExactFigures) {
  json results = sample_results("shop");
  results.erase("latency_ms");
  auto page = render_output("html", results);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(embedded_data(*page)["distribution"].back(),
            json({{"percentile", 100.0}, {"latency_ms", 1000.341503}}));
}

TEST(Html, HasAnEmptyDistributionWithoutAWholeRunHistogram) {
  json results = sample_results("shop");
  results.erase("latency_hdr");
  auto page = render_output("html", results);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(embedded_data(*page)["distribution"], json::array());
}

TEST(Html, NamesCannotEndTheScriptOrTheTitle) {
  auto page = render_output("html", sample_results("</script><script>alert(1)</script> & \"{{DATA}}\""));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(count_of(*page, "</script>"), 2u);  // the data element's and the script's own
  EXPECT_EQ(count_of(*page, "alert(1)"), 2u);   // once in the title, once in the data, both inert
  EXPECT_NE(
      page->find(
          "<title>surge report: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;{{DATA}}"
          "&quot;</title>"),
      std::string::npos);
  EXPECT_EQ(embedded_data(*page)["plan"], "</script><script>alert(1)</script> & \"{{DATA}}\"");
}

TEST(Html, IsAPureFunctionOfTheDocument) {
  const json results = sample_results("shop");
  auto first = render_output("html", results);
  auto reread = render_output("html", json::parse(results.dump(2)));
  ASSERT_TRUE(first && reread);
  EXPECT_EQ(*first, *reread);
}

TEST(Html, RejectsACorruptWholeRunHistogram) {
  json results = sample_results("shop");
  results["latency_hdr"] = "HISTFAAA";
  auto page = render_output("html", results);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().message,
            "cannot write html: latency_hdr: hdr decode: 6 bytes is shorter than the 8-byte "
            "compressed header");
}

TEST(HtmlEscape, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(ScriptSafeJson, EscapesEveryLessThanSign) {
  EXPECT_EQ(script_safe_json(R"({"a":"</script><!--"})"), R"({"a":"\u003c/script>\u003c!--"})");
  EXPECT_EQ(json::parse(script_safe_json(R"({"a":"</b>"})"))["a"], "</b>");
}

}  // namespace
}  // namespace surge::report
