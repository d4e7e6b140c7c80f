// The hlog output: the exact header and lines Java's HistogramLogWriter would write for the same intervals,
// each line's histogram decoding back to that second's counts, and the error for a second without one.
#include "report/hlog.h"
#include "report/outputs.h"

#include <gtest/gtest.h>

#include <sstream>
#include <tuple>
#include <vector>

#include "metrics/hdr_log.h"

namespace surge::report {
namespace {

using nlohmann::json;

metrics::Histogram second_one() {
  metrics::Histogram h;
  h.record_n(800'000, 40);
  h.record(3'500'000);
  return h;
}

// A 1.75 s run that started at 1700000000.123 s (Tue Nov 14 22:13:20 UTC 2023): one busy second, then a
// short one without responses.
json sample_results() {
  return {{"surge_version", "0.1.0"},
          {"started_at_unix_ms", 1700000000123},
          {"duration_s", 1.75},
          {"timeseries",
           {{{"t_s", 1},
             {"latency_ms", {{"max", 3.5}}},
             {"latency_hdr", metrics::encode_hdr_base64(second_one())}},
            {{"t_s", 2}, {"latency_hdr", metrics::encode_hdr_base64(metrics::Histogram{})}}}}};
}

TEST(Hlog, WritesJavasHeaderAndOneLinePerSecond) {
  auto hlog = render_output("hlog", sample_results());
  ASSERT_TRUE(hlog) << hlog.error().message;
  EXPECT_EQ(*hlog,
            "#[Logged with surge 0.1.0: latency in ns from the intended send, one interval per second]\n"
            "#[Histogram log format version 1.3]\n"
            "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]\n"
            "#[BaseTime: 1700000000.123 (seconds since epoch)]\n"
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n"
            "0.000,1.000,3.500," +
                metrics::encode_hdr_base64(second_one()) +
                "\n"
                "1.000,0.750,0.000," +
                metrics::encode_hdr_base64(metrics::Histogram{}) + "\n");
}

TEST(Hlog, EachLineDecodesToItsSecondsCounts) {
  auto hlog = render_output("hlog", sample_results());
  ASSERT_TRUE(hlog) << hlog.error().message;
  std::istringstream lines(*hlog);
  std::vector<metrics::Histogram> decoded;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '"') continue;
    auto histogram = metrics::decode_hdr_base64(line.substr(line.rfind(',') + 1));
    ASSERT_TRUE(histogram) << histogram.error().message;
    decoded.push_back(std::move(*histogram));
  }
  ASSERT_EQ(decoded.size(), 2u);
  std::vector<std::tuple<int64_t, int64_t, uint64_t>> expected, actual;
  second_one().for_each_bucket([&](int64_t lo, int64_t hi, uint64_t n) { expected.emplace_back(lo, hi, n); });
  decoded[0].for_each_bucket([&](int64_t lo, int64_t hi, uint64_t n) { actual.emplace_back(lo, hi, n); });
  EXPECT_EQ(actual, expected);
  EXPECT_TRUE(decoded[1].empty());
}

TEST(Hlog, RefusesASecondWithoutAHistogram) {
  json results = sample_results();
  results["timeseries"][1].erase("latency_hdr");
  auto hlog = render_output("hlog", results);
  ASSERT_FALSE(hlog);
  EXPECT_EQ(
      hlog.error().message,
      "cannot write hlog: results.json timeseries entry t_s=2 has no latency_hdr (results.json from an older "
      "surge?)");
}

}  // namespace
}  // namespace surge::report
