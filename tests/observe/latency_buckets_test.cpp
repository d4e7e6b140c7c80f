// The `le` buckets: their labels, and counts derived from HDR buckets that never under-report a latency.
#include "observe/latency_buckets.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/clock.h"

namespace surge::observe {
namespace {

constexpr int64_t kMs = core::kNsPerMs;

std::vector<uint64_t> counts_of(const metrics::Histogram& histogram) {
  std::vector<uint64_t> counts(kBucketCount, 0);
  add_bucket_counts(histogram, counts);
  return counts;
}

size_t index_of_label(std::string_view label) {
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (bucket_label(i) == label) return i;
  }
  ADD_FAILURE() << "no bucket le=" << label;
  return kBucketCount;
}

TEST(LatencyBuckets, LabelsAreMillisecondStepsToOneHundredThenCoarserToSixtySeconds) {
  EXPECT_EQ(kBucketCount, 124u);
  EXPECT_EQ(bucket_label(0), "0.001");
  EXPECT_EQ(bucket_label(1), "0.002");
  EXPECT_EQ(bucket_label(9), "0.01");
  EXPECT_EQ(bucket_label(41), "0.042");
  EXPECT_EQ(bucket_label(99), "0.1");
  EXPECT_EQ(bucket_label(100), "0.125");
  EXPECT_EQ(bucket_label(104), "0.25");
  EXPECT_EQ(bucket_label(109), "1");
  EXPECT_EQ(bucket_label(110), "1.5");
  EXPECT_EQ(bucket_label(122), "60");
  EXPECT_EQ(bucket_label(123), "+Inf");
}

TEST(LatencyBuckets, BoundsIncreaseStrictly) {
  for (size_t i = 1; i < kFiniteBucketCount; ++i) EXPECT_LT(bucket_bound_ms(i - 1), bucket_bound_ms(i)) << i;
}

TEST(LatencyBuckets, SampleGoesToTheFirstBoundAtOrAboveItsHdrBucketsHighestValue) {
  metrics::Histogram histogram;
  histogram.record(999'000);    // HDR bucket [998912, 999423]: le=0.001
  histogram.record(1'000'000);  // HDR bucket [999936, 1000447] reaches past 1 ms: le=0.002
  histogram.record(3 * kMs);    // [2998272, 3000319]: le=0.004
  histogram.record(100 * kMs);  // [99975168, 100007935]: le=0.125
  histogram.record(0);          // [0, 511]: le=0.001
  std::vector<uint64_t> counts = counts_of(histogram);
  std::vector<uint64_t> expected(kBucketCount, 0);
  expected[index_of_label("0.001")] = 2;
  expected[index_of_label("0.002")] = 1;
  expected[index_of_label("0.004")] = 1;
  expected[index_of_label("0.125")] = 1;
  EXPECT_EQ(counts, expected);
}

TEST(LatencyBuckets, SamplesAboveSixtySecondsAreOnlyInInf) {
  metrics::Histogram histogram;
  histogram.record(59'000 * kMs);
  histogram.record(61'000 * kMs);
  histogram.record(3'600'000 * kMs);  // the histogram's highest value, one hour
  std::vector<uint64_t> counts = counts_of(histogram);
  EXPECT_EQ(counts[index_of_label("60")], 1u);
  EXPECT_EQ(counts[index_of_label("+Inf")], 2u);
}

TEST(LatencyBuckets, CountsAddAcrossHistograms) {
  metrics::Histogram a, b;
  a.record(5 * kMs);
  b.record(5 * kMs);
  b.record(7 * kMs);
  std::vector<uint64_t> counts(kBucketCount, 0);
  add_bucket_counts(a, counts);
  add_bucket_counts(b, counts);
  EXPECT_EQ(counts[index_of_label("0.006")], 2u);
  EXPECT_EQ(counts[index_of_label("0.008")], 1u);
}

// For every bound X the cumulative count lies between the true count of samples <= X − one HDR bucket and
// the true count of samples <= X: never a sample below its value, at most one HDR bucket's rounding.
TEST(LatencyBuckets, CumulativeCountsBracketTheTrueCountsOfRandomSamples) {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> latency_ms(2.0, 1.5);
  std::vector<int64_t> samples;
  metrics::Histogram histogram;
  for (int i = 0; i < 100'000; ++i) {
    auto ns = static_cast<int64_t>(latency_ms(random) * static_cast<double>(kMs));
    samples.push_back(ns);
    histogram.record(ns);
  }
  std::vector<uint64_t> counts = counts_of(histogram);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kFiniteBucketCount; ++i) {
    cumulative += counts[i];
    const int64_t bound = bucket_bound_ms(i) * kMs;
    const auto slack = std::max<int64_t>(static_cast<int64_t>(bound * metrics::Histogram::kRelativePrecision),
                                         metrics::Histogram::kUnitNs);
    uint64_t at_most = 0, surely = 0;
    for (int64_t s : samples) {
      at_most += s <= bound;
      surely += s <= bound - slack;
    }
    EXPECT_LE(cumulative, at_most) << "le=" << bucket_label(i);
    EXPECT_GE(cumulative, surely) << "le=" << bucket_label(i);
  }
  EXPECT_EQ(cumulative + counts[kFiniteBucketCount], histogram.count());
}

}  // namespace
}  // namespace surge::observe
