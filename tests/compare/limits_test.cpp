// --max: the defaults, replacing only the metrics named, and the usage errors quoting the text.
#include "compare/limits.h"

#include <gtest/gtest.h>

namespace surge::compare {
namespace {

std::string error_of(const std::vector<std::string>& texts) {
  auto limits = parse_limits(texts);
  return limits ? "(no error)" : limits.error().message;
}

TEST(Limits, DefaultsJudgeP50P95P99TheErrorRateAndThroughput) {
  const Limits limits = default_limits();
  EXPECT_EQ(limits.of(Metric::kP50), 10.0);
  EXPECT_EQ(limits.of(Metric::kP95), 10.0);
  EXPECT_EQ(limits.of(Metric::kP99), 15.0);
  EXPECT_EQ(limits.of(Metric::kErrorRate), 0.5);
  EXPECT_EQ(limits.of(Metric::kThroughput), 5.0);
  EXPECT_FALSE(limits.of(Metric::kP90));
  EXPECT_FALSE(limits.of(Metric::kP999));
}

TEST(Limits, MaxReplacesTheMetricsItNamesAndKeepsTheOthers) {
  auto limits = parse_limits({"p95=+20%"});
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_EQ(limits->of(Metric::kP95), 20.0);
  EXPECT_EQ(limits->of(Metric::kP50), 10.0);
  EXPECT_EQ(limits->of(Metric::kP99), 15.0);
  EXPECT_EQ(limits->of(Metric::kErrorRate), 0.5);
  EXPECT_EQ(limits->of(Metric::kThroughput), 5.0);
}

TEST(Limits, CommaSeparatedItemsAndRepeatedFlagsApplyInOrder) {
  auto limits = parse_limits({"p95=+20%, p99=30%,throughput=-2.5%", "p95=+25%", "error_rate=1pp,p999=+40%"});
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_EQ(limits->of(Metric::kP95), 25.0);
  EXPECT_EQ(limits->of(Metric::kP99), 30.0);
  EXPECT_EQ(limits->of(Metric::kThroughput), 2.5);
  EXPECT_EQ(limits->of(Metric::kErrorRate), 1.0);
  EXPECT_EQ(limits->of(Metric::kP999), 40.0);
}

TEST(Limits, OffShowsAMetricWithoutJudgingIt) {
  auto limits = parse_limits({"p50=off"});
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_FALSE(limits->of(Metric::kP50));
}

TEST(Limits, P99Point9IsP999) {
  auto limits = parse_limits({"p99.9=+50%"});
  ASSERT_TRUE(limits) << limits.error().message;
  EXPECT_EQ(limits->of(Metric::kP999), 50.0);
}

TEST(Limits, TextWithoutAnEqualsSignIsAUsageError) {
  EXPECT_EQ(
      error_of({"p95"}),
      "--max 'p95': expected METRIC=LIMIT, e.g. p95=+20% (metrics: throughput, error_rate, p50, p90, p95, "
      "p99, p999)");
  EXPECT_EQ(
      error_of({"p95=+20%,"}),
      "--max '': expected METRIC=LIMIT, e.g. p95=+20% (metrics: throughput, error_rate, p50, p90, p95, p99, "
      "p999)");
}

TEST(Limits, AnUnknownMetricIsAUsageErrorListingTheMetrics) {
  EXPECT_EQ(
      error_of({"p50=+5%,p97=+5%"}),
      "--max 'p97=+5%': unknown metric 'p97' (metrics: throughput, error_rate, p50, p90, p95, p99, p999)");
}

TEST(Limits, ALimitWithoutItsUnitIsAUsageErrorShowingItWithOne) {
  EXPECT_EQ(error_of({"p95=20"}),
            "--max 'p95=20': give p95's limit in % of the base run's value, e.g. p95=+20%, or off");
  EXPECT_EQ(
      error_of({"error_rate=1%"}),
      "--max 'error_rate=1%': give error_rate's limit in percentage points (pp), e.g. error_rate=+0.5pp, or "
      "off");
  EXPECT_EQ(error_of({"throughput=5"}),
            "--max 'throughput=5': give throughput's limit in % of the base run's value, e.g. "
            "throughput=-5%, or off");
}

TEST(Limits, ALimitInTheBetterDirectionIsAUsageError) {
  EXPECT_EQ(error_of({"throughput=+5%"}),
            "--max 'throughput=+5%': throughput gets worse when it falls: give how far it may fall, e.g. "
            "throughput=-10%");
  EXPECT_EQ(error_of({"p99=-5%"}),
            "--max 'p99=-5%': p99 gets worse when it rises: give how far it may rise, e.g. p99=+10%");
}

TEST(Limits, ALimitThatIsNotANumberIsAUsageError) {
  EXPECT_EQ(error_of({"p95=lots%"}), "--max 'p95=lots%': 'lots' is not a number of % (e.g. p95=+10%)");
  EXPECT_EQ(error_of({"p95=+%"}), "--max 'p95=+%': '' is not a number of % (e.g. p95=+10%)");
  EXPECT_EQ(error_of({"p95=+-5%"}), "--max 'p95=+-5%': '-5' is not a number of % (e.g. p95=+10%)");
  EXPECT_EQ(error_of({"p95=+inf%"}), "--max 'p95=+inf%': 'inf' is not a number of % (e.g. p95=+10%)");
}

TEST(Limits, LimitTextSpellsTheWorseDirection) {
  EXPECT_EQ(limit_text(Metric::kP50, 10), "+10%");
  EXPECT_EQ(limit_text(Metric::kThroughput, 5), "-5%");
  EXPECT_EQ(limit_text(Metric::kErrorRate, 0.5), "+0.5pp");
}

}  // namespace
}  // namespace surge::compare
