// The csv output: exact text for a small results.json (run rows, step rows, empty fields for what was not
// measured), RFC 4180 quoting, the rate of a short last second, and the error for a document without rows.
#include "report/csv.h"
#include "report/outputs.h"

#include <gtest/gtest.h>

namespace surge::report {
namespace {

using nlohmann::json;

const char* kHeader =
    "t_s,phase,scope,scenario,step,active_users,open_connections,requests,ok,errors,errors_refused,errors_"
    "connect,"
    "errors_address,errors_reset,errors_timeout,errors_eof,errors_parse,errors_status_4xx,errors_status_5xx,"
    "errors_check,errors_tls,errors_too_large,errors_connect_timeout,errors_bind,throughput_rps,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,target_cpu_percent,target_rss_bytes\n";

// Three seconds of a 2.5 s run: errors and a target sample in the first, nothing in the second, two steps
// in the short last one. Names carry a comma and quotes, which must come out quoted.
json sample_results() {
  return json::parse(R"({"duration_s": 2.5, "timeseries": [
    {"t_s": 1, "phase": "warm,up", "requests": 10, "ok": 9, "errors": 1, "by_error": {"timeout": 1},
     "active_users": 4, "open_connections": 3,
     "latency_ms": {"p50": 1.5, "p90": 2.0, "p95": 2.25, "p99": 3.0, "max": 3.5},
     "target": {"cpu_percent": 12.5, "rss_bytes": 1048576},
     "steps": [{"scenario": "shop", "name": "say \"hi\"", "requests": 10, "ok": 9, "errors": 1,
                "by_error": {"timeout": 1},
                "latency_ms": {"p50": 1.5, "p90": 2.0, "p95": 2.25, "p99": 3.0, "max": 3.5}}]},
    {"t_s": 2, "phase": "warm,up", "requests": 0, "ok": 0, "errors": 0, "by_error": {},
     "active_users": 4, "open_connections": 4, "steps": []},
    {"t_s": 3, "phase": "steady", "requests": 5, "ok": 3, "errors": 2, "by_error": {"status_5xx": 1, "refused": 1},
     "active_users": 2, "open_connections": 2,
     "latency_ms": {"p50": 0.25, "p90": 2.0, "p95": 2.25, "p99": 3.0, "max": 3.5},
     "steps": [{"scenario": "shop", "name": "home", "requests": 3, "ok": 3, "errors": 0, "by_error": {},
                "latency_ms": {"p50": 0.25, "p90": 2.0, "p95": 2.25, "p99": 3.0, "max": 3.5}},
               {"scenario": "shop", "name": "pay", "requests": 2, "ok": 0, "errors": 2,
                "by_error": {"status_5xx": 1, "refused": 1}}]}]})");
}

TEST(Csv, WritesOneRunRowPerSecondEachFollowedByItsStepRows) {
  auto csv = render_output("csv", sample_results());
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv,
            std::string(kHeader) +
                "1,\"warm,up\",run,,,4,3,10,9,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,10.0,1.5,2.0,2.25,3.0,3.5,12.5,1048576\n"
                "1,\"warm,up\",step,shop,\"say "
                "\"\"hi\"\"\",,,10,9,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,10.0,1.5,2.0,2.25,3.0,3.5,,\n"
                "2,\"warm,up\",run,,,4,4,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.0,,,,,,,\n"
                // the last second lasted 0.5 s: 5 requests in it are 10 per second
                "3,steady,run,,,2,2,5,3,2,1,0,0,0,0,0,0,0,1,0,0,0,0,0,10.0,0.25,2.0,2.25,3.0,3.5,,\n"
                "3,steady,step,shop,home,,,3,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,6.0,0.25,2.0,2.25,3.0,3.5,,\n"
                "3,steady,step,shop,pay,,,2,0,2,1,0,0,0,0,0,0,0,1,0,0,0,0,0,4.0,,,,,,,\n");
}

TEST(Csv, WritesOnlyTheHeaderForARunWithoutSeconds) {
  auto csv = render_output("csv", {{"duration_s", 0.0}, {"timeseries", json::array()}});
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(*csv, kHeader);
}

TEST(Csv, ReportsWhatTheDocumentLacks) {
  auto csv = render_output("csv", {{"duration_s", 1.0}});
  ASSERT_FALSE(csv);
  EXPECT_EQ(
      csv.error().message,
      "cannot write csv: results.json does not have what it needs: a timeseries[] array");
}

TEST(CsvField, LeavesPlainTextAlone) {
  EXPECT_EQ(csv_field("GET /api/items?id=7"), "GET /api/items?id=7");
  EXPECT_EQ(csv_field(""), "");
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
}

}  // namespace
}  // namespace surge::report
