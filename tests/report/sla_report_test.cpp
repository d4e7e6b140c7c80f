// SLA verdicts in every output: results.json `sla[]` keys, the summary's ✓/✗ lines, and the JUnit report,
// which is rebuilt from the results.json document alone.
#include <gtest/gtest.h>

#include "report/junit.h"
#include "report/outputs.h"
#include "report/results_json.h"
#include "report/sla_table.h"

namespace surge::report {
namespace {

using nlohmann::json;

results::SlaOutcome passing() {
  results::SlaOutcome sla;
  sla.expr = "p95(latency) < 250ms";
  sla.comparison = "<";
  sla.threshold = 250;
  sla.unit = "ms";
  sla.actual = 12.5;
  sla.pass = true;
  return sla;
}

results::SlaOutcome failing_window() {
  results::SlaOutcome sla;
  sla.expr = "error_rate{phase=peak} < 1%";
  sla.comparison = "<";
  sla.threshold = 1;
  sla.unit = "%";
  sla.actual = 2.25;
  sla.window_s = 10;
  sla.worst_window_at_s = 14;
  sla.breached_at_s = 12;
  sla.abort_on_fail = true;
  sla.stopped_run = true;
  return sla;
}

results::SlaOutcome no_data() {
  results::SlaOutcome sla;
  sla.expr = "p99(latency{step=pay}) < 1s";
  sla.comparison = "<";
  sla.threshold = 1;
  sla.unit = "s";
  return sla;
}

results::RunResult run_with_slas() {
  results::RunResult result;
  result.plan_name = "checkout & co";
  result.target = "http://127.0.0.1:8080";
  result.duration_s = 20.5;
  result.started_at_unix_ms = 1'700'000'000'000;
  result.exit_code = 99;
  result.slas = {passing(), failing_window(), no_data()};
  return result;
}

TEST(SlaResultsJson, WritesEveryOutcomeWithItsKeys) {
  json sla = to_results_json(run_with_slas())["sla"];
  ASSERT_EQ(sla.size(), 3u);
  EXPECT_EQ(sla[0], (json{{"expr", "p95(latency) < 250ms"},
                          {"comparison", "<"},
                          {"threshold", 250.0},
                          {"unit", "ms"},
                          {"actual", 12.5},
                          {"pass", true},
                          {"abort_on_fail", false},
                          {"stopped_run", false}}));
  EXPECT_EQ(sla[1]["window_s"], 10);
  EXPECT_EQ(sla[1]["worst_window_at_s"], 14);
  EXPECT_EQ(sla[1]["breached_at_s"], 12);
  EXPECT_EQ(sla[1]["stopped_run"], true);
  EXPECT_TRUE(sla[2]["actual"].is_null());
  EXPECT_EQ(sla[2]["pass"], false);
  EXPECT_FALSE(sla[2].contains("window_s"));
}

TEST(SlaResultsJson, ARunWithoutSlasHasAnEmptyList) {
  results::RunResult result;
  EXPECT_EQ(to_results_json(result)["sla"], json::array());
}

TEST(SlaText, FormatsValuesInTheirUnit) {
  EXPECT_EQ(format_sla_value(250, "ms"), "250ms");
  EXPECT_EQ(format_sla_value(1000000, "/s"), "1000000/s");
  EXPECT_EQ(format_sla_value(28404.613, "/s"), "28404.6/s");
  EXPECT_EQ(format_sla_value(0.1730551, "ms"), "0.173055ms");
  EXPECT_EQ(format_sla_value(0.05, "%"), "0.05%");
  EXPECT_EQ(format_sla_value(42, ""), "42");
}

TEST(SlaText, DescribesActualAgainstTheThreshold) {
  EXPECT_EQ(describe_sla_outcome(passing()), "actual 12.5ms, expected < 250ms");
  EXPECT_EQ(describe_sla_outcome(failing_window()),
            "actual 2.25%, expected < 1% (worst 10 s window, ending at 14 s); stopped the run");
  EXPECT_EQ(describe_sla_outcome(no_data()), "no data, expected < 1s");
}

TEST(SlaText, TheSummaryTableMarksEachSla) {
  EXPECT_EQ(render_sla_table(run_with_slas().slas),
            "\n  SLA\n"
            "  \u2713 p95(latency) < 250ms         actual 12.5ms, expected < 250ms\n"
            "  \u2717 error_rate{phase=peak} < 1%  actual 2.25%, expected < 1% (worst 10 s window, ending at "
            "14 s); "
            "stopped the run\n"
            "  \u2717 p99(latency{step=pay}) < 1s  no data, expected < 1s\n");
  EXPECT_EQ(render_sla_table({}), "");
}

TEST(Junit, WritesOneTestcasePerSlaAndAFailureForEachFailedOne) {
  auto xml = render_output("junit", to_results_json(run_with_slas()));
  ASSERT_TRUE(xml) << xml.error().message;
  EXPECT_EQ(
      *xml,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"surge\" tests=\"3\" failures=\"2\" errors=\"0\" time=\"20.5\">\n"
      "  <testsuite name=\"surge SLAs\" tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"20.5\" "
      "timestamp=\"2023-11-14T22:13:20\">\n"
      "    <properties>\n"
      "      <property name=\"plan\" value=\"checkout &amp; co\"/>\n"
      "      <property name=\"target_url\" value=\"http://127.0.0.1:8080\"/>\n"
      "      <property name=\"result\" value=\"fail\"/>\n"
      "    </properties>\n"
      "    <testcase name=\"p95(latency) &lt; 250ms\" classname=\"surge.sla.checkout &amp; co\" "
      "time=\"0\"/>\n"
      "    <testcase name=\"error_rate{phase=peak} &lt; 1%\" classname=\"surge.sla.checkout &amp; co\" "
      "time=\"0\">\n"
      "      <failure message=\"actual 2.25%, expected &lt; 1% (worst 10 s window, ending at 14 s); stopped "
      "the run\" type=\"sla_failed\">error_rate{phase=peak} &lt; 1%: actual 2.25%, expected &lt; 1% (worst "
      "10 "
      "s window, ending at 14 s); stopped the run</failure>\n"
      "    </testcase>\n"
      "    <testcase name=\"p99(latency{step=pay}) &lt; 1s\" classname=\"surge.sla.checkout &amp; co\" "
      "time=\"0\">\n"
      "      <failure message=\"no data, expected &lt; 1s\" type=\"sla_no_data\">p99(latency{step=pay}) &lt; "
      "1s: no data, expected &lt; 1s</failure>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "</testsuites>\n");
}

TEST(Junit, ReadsBackEveryOutcomeFromTheDocument) {
  json document = to_results_json(run_with_slas());
  results::SlaOutcome window = sla_outcome_from_json(document["sla"][1]);
  EXPECT_EQ(window.expr, "error_rate{phase=peak} < 1%");
  EXPECT_EQ(window.actual, 2.25);
  EXPECT_EQ(window.window_s, 10u);
  EXPECT_EQ(window.worst_window_at_s, 14u);
  EXPECT_EQ(window.breached_at_s, 12u);
  EXPECT_TRUE(window.stopped_run);
  EXPECT_FALSE(sla_outcome_from_json(document["sla"][2]).actual.has_value());
}

TEST(Junit, EscapesMarkupAndDropsControlCharacters) {
  results::RunResult result = run_with_slas();
  result.slas = {passing()};
  result.slas[0].expr = "p95(latency{step=\"a'b\"}) < 1s\x01";
  auto xml = render_output("junit", to_results_json(result));
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("name=\"p95(latency{step=&quot;a&#39;b&quot;}) &lt; 1s?\""), std::string::npos)
      << *xml;
}

TEST(Junit, ADocumentWithoutSlasHasAnEmptySuite) {
  json document = to_results_json(results::RunResult{});
  document.erase("sla");
  auto xml = render_output("junit", document);
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("<testsuite name=\"surge SLAs\" tests=\"0\" failures=\"0\""), std::string::npos)
      << *xml;
}

TEST(Junit, ReportsWhatTheDocumentLacks) {
  auto xml = render_output("junit", json{{"plan", "p"}});
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error().message.rfind("cannot write junit: results.json does not have what it needs: ", 0),
            0u)
      << xml.error().message;
}

}  // namespace
}  // namespace surge::report
