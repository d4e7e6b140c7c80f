// Histogram: every percentile checked against a sorted array of the same samples (same rank definition), plus
// the bucket layout, exact merging, reset, and an encoding that rejects every truncation and corruption.
#include "metrics/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "metrics/varint.h"

namespace surge::metrics {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kHighest = Histogram::kHighestNs;
constexpr double kPercentiles[] = {0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

Histogram histogram_of(const std::vector<int64_t>& values) {
  Histogram h;
  for (int64_t v : values) h.record(v);
  return h;
}

// Records raw values and compares every query with the sorted values as stored (clamped to [0, kHighest]).
void expect_matches_sorted_reference(const std::vector<int64_t>& raw) {
  const Histogram h = histogram_of(raw);
  std::vector<int64_t> sorted;
  for (int64_t v : raw) sorted.push_back(std::clamp<int64_t>(v, 0, kHighest));
  std::sort(sorted.begin(), sorted.end());
  uint64_t sum = 0;
  for (int64_t v : sorted) sum += static_cast<uint64_t>(v);
  const double exact_mean = static_cast<double>(sum) / static_cast<double>(sorted.size());

  EXPECT_EQ(h.count(), sorted.size());
  EXPECT_EQ(h.min(), sorted.front());
  EXPECT_EQ(h.max(), sorted.back());
  EXPECT_NEAR(h.mean(), exact_mean, exact_mean * 1e-9);
  for (double p : kPercentiles) {
    const int64_t exact = sorted[percentile_rank(p, sorted.size()) - 1];
    const int64_t reported = h.value_at_percentile(p);
    const double bound = std::max(static_cast<double>(exact) * Histogram::kRelativePrecision,
                                  static_cast<double>(Histogram::kUnitNs));
    EXPECT_GE(reported, exact) << "p" << p;
    EXPECT_LT(static_cast<double>(reported - exact), bound) << "p" << p << " exact " << exact;
  }
}

// Every bucket of the layout as (lowest, highest), found by recording each bucket's lowest value in turn.
const std::vector<std::pair<int64_t, int64_t>>& all_buckets() {
  static const auto buckets = [] {
    std::vector<std::pair<int64_t, int64_t>> out;
    Histogram h;
    for (int64_t next = 0; next <= kHighest; next = out.back().second + 1) {
      h.reset();
      h.record(next);
      h.for_each_bucket(
          [&](int64_t lowest, int64_t highest, uint64_t) { out.emplace_back(lowest, highest); });
    }
    return out;
  }();
  return buckets;
}

TEST(HistogramLayout, MatchesHdrHistogramForOneMicrosecondToOneHourAtThreeDigits) {
  EXPECT_EQ(Histogram::kUnitNs, 512);
  EXPECT_EQ(Histogram::kCountsLen, 24'576u);
  EXPECT_EQ(Histogram::kRelativePrecision, 1.0 / 1024);
}

TEST(HistogramLayout, BucketsTileZeroToOneHourWithoutGapsOrOverlaps) {
  const auto& buckets = all_buckets();
  ASSERT_EQ(buckets.size(), 24'205u);
  EXPECT_EQ(buckets.front(), std::make_pair(int64_t{0}, int64_t{511}));
  for (size_t i = 1; i < buckets.size(); ++i) ASSERT_EQ(buckets[i].first, buckets[i - 1].second + 1) << i;
  EXPECT_EQ(buckets.back(), std::make_pair(int64_t{3'599'182'594'048}, int64_t{3'601'330'077'695}));
}

TEST(HistogramLayout, EveryBucketIsNarrowerThanTheStatedPrecision) {
  for (const auto& [lowest, highest] : all_buckets()) {
    const double bound = std::max(static_cast<double>(lowest) * Histogram::kRelativePrecision,
                                  static_cast<double>(Histogram::kUnitNs));
    ASSERT_LE(static_cast<double>(highest - lowest + 1), bound) << lowest;
  }
}

TEST(PercentileRank, IsTheCeilingOfTheFractionOfTheCount) {
  EXPECT_EQ(percentile_rank(50, 4), 2u);
  EXPECT_EQ(percentile_rank(50, 3), 2u);
  EXPECT_EQ(percentile_rank(25, 10), 3u);
  EXPECT_EQ(percentile_rank(20, 11), 3u);
  EXPECT_EQ(percentile_rank(99.99, 100'000), 99'990u);
  EXPECT_EQ(percentile_rank(99.99, 100'001), 99'991u);
}

TEST(PercentileRank, IgnoresFloatingPointNoiseInTheProduct) {
  EXPECT_EQ(percentile_rank(7, 100), 7u);         // 0.07 × 100 = 7.000000000000001
  EXPECT_EQ(percentile_rank(99.9, 1'000), 999u);  // 0.999 × 1000 = 999.0000000000001
  EXPECT_EQ(percentile_rank(56, 10'000), 5'600u);
}

TEST(PercentileRank, ClampsToTheFirstAndLastSample) {
  EXPECT_EQ(percentile_rank(0, 10), 1u);
  EXPECT_EQ(percentile_rank(-5, 10), 1u);
  EXPECT_EQ(percentile_rank(std::nan(""), 10), 1u);
  EXPECT_EQ(percentile_rank(100, 10), 10u);
  EXPECT_EQ(percentile_rank(150, 10), 10u);
}

TEST(HistogramAccuracy, UniformValuesMatchTheSortedReference) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<int64_t> uniform(0, 2'000 * kMs);
  std::vector<int64_t> values(100'000);
  for (int64_t& v : values) v = uniform(rng);
  expect_matches_sorted_reference(values);
}

TEST(HistogramAccuracy, ExponentialValuesMatchTheSortedReference) {
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> exponential(1.0 / (5.0 * kMs));
  std::vector<int64_t> values(100'000);
  for (int64_t& v : values) v = std::llround(exponential(rng));
  expect_matches_sorted_reference(values);
}

TEST(HistogramAccuracy, BimodalValuesMatchTheSortedReference) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> jitter(-10'000, 10'000);
  std::vector<int64_t> values;
  for (int i = 0; i < 99'000; ++i) values.push_back(1 * kMs + jitter(rng));
  for (int i = 0; i < 1'000; ++i) values.push_back(500 * kMs + 100 * jitter(rng));
  std::shuffle(values.begin(), values.end(), rng);
  expect_matches_sorted_reference(values);
}

TEST(HistogramAccuracy, ConstantValueIsReportedExactlyAtEveryPercentile) {
  const std::vector<int64_t> values(100'000, 1'234'567);
  expect_matches_sorted_reference(values);
  const Histogram h = histogram_of(values);
  for (double p : kPercentiles) EXPECT_EQ(h.value_at_percentile(p), 1'234'567) << "p" << p;
  EXPECT_EQ(h.mean(), 1'234'567.0);
}

TEST(HistogramAccuracy, AllIdenticalZerosReportZeroEverywhere) {
  const std::vector<int64_t> values(1'000, 0);
  expect_matches_sorted_reference(values);
  const Histogram h = histogram_of(values);
  for (double p : kPercentiles) EXPECT_EQ(h.value_at_percentile(p), 0) << "p" << p;
}

TEST(HistogramAccuracy, SingleSampleIsEveryPercentile) {
  const Histogram h = histogram_of({42 * kMs + 17});
  for (double p : kPercentiles) EXPECT_EQ(h.value_at_percentile(p), 42 * kMs + 17) << "p" << p;
  EXPECT_EQ(h.mean(), 42.0 * kMs + 17);
  EXPECT_EQ(h.count(), 1u);
}

TEST(HistogramAccuracy, AdversarialValuesMatchTheSortedReference) {
  constexpr int64_t kLowestInt = std::numeric_limits<int64_t>::min();
  constexpr int64_t kHighestInt = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> values = {0,     -1,           kLowestInt, 999,          1'000,
                                 1'001, kHighest - 1, kHighest,   kHighest + 1, kHighestInt};
  for (int shift = 0; shift < 63; ++shift) {
    const int64_t power = int64_t{1} << shift;
    values.insert(values.end(), {power - 1, power, power + 1});
  }
  const auto& buckets = all_buckets();
  for (size_t i = 0; i < buckets.size(); i += 97)
    values.insert(values.end(), {buckets[i].first, buckets[i].second});
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<int> copies(1, 5);
  std::vector<int64_t> repeated;
  for (int64_t v : values) repeated.insert(repeated.end(), size_t(copies(rng)), v);
  expect_matches_sorted_reference(repeated);
  const auto outside =
      std::count_if(repeated.begin(), repeated.end(), [](int64_t v) { return v < 0 || v > kHighest; });
  EXPECT_EQ(histogram_of(repeated).clamped(), uint64_t(outside));
}

TEST(Histogram, StoresNegativeValuesAsZeroAndCountsThemClamped) {
  const Histogram h = histogram_of({-5});
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.value_at_percentile(50), 0);
  EXPECT_EQ(h.clamped(), 1u);
}

TEST(Histogram, StoresValuesAboveOneHourAtOneHourAndCountsThemClamped) {
  const Histogram h = histogram_of({kHighest + 1, std::numeric_limits<int64_t>::max()});
  EXPECT_EQ(h.max(), kHighest);
  EXPECT_EQ(h.value_at_percentile(100), kHighest);
  EXPECT_EQ(h.clamped(), 2u);
}

TEST(Histogram, ValuesAtTheEdgesOfTheRangeAreNotClamped) {
  EXPECT_EQ(histogram_of({0, kHighest}).clamped(), 0u);
}

TEST(Histogram, MaxIsTheRecordedValueNotTheBucketEdge) {
  const Histogram h = histogram_of({999'999, 1'000'001});  // both in the bucket [999936, 1000447]
  EXPECT_EQ(h.min(), 999'999);
  EXPECT_EQ(h.max(), 1'000'001);
  EXPECT_EQ(h.value_at_percentile(100), 1'000'001);
}

TEST(Histogram, RecordNEqualsRecordingTheValueNTimes) {
  Histogram repeated, once;
  for (int i = 0; i < 5; ++i) repeated.record(7 * kMs);
  once.record_n(7 * kMs, 5);
  EXPECT_TRUE(once == repeated);
}

TEST(Histogram, RecordNWithZeroCountChangesNothing) {
  Histogram h = histogram_of({2 * kMs});
  h.record_n(1, 0);
  h.record_n(-1, 0);
  h.record_n(kHighest + 1, 0);
  EXPECT_TRUE(h == histogram_of({2 * kMs}));
  EXPECT_EQ(h.min(), 2 * kMs);
}

TEST(Histogram, EmptyHistogramReportsZeros) {
  const Histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.value_at_percentile(50), 0);
  int calls = 0;
  h.for_each_bucket([&](int64_t, int64_t, uint64_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(Histogram, MeanStaysExactPastASixtyFourBitSum) {
  Histogram h;
  h.record_n(kHighest, 10'000'000);  // sum 3.6e19 > 2^64
  EXPECT_EQ(h.mean(), static_cast<double>(kHighest));
}

TEST(Histogram, ForEachBucketVisitsNonEmptyBucketsInIncreasingOrder) {
  const Histogram h = histogram_of({kHighest, 5 * kMs, 1'000, 5 * kMs});
  std::vector<std::tuple<int64_t, int64_t, uint64_t>> seen;
  h.for_each_bucket(
      [&](int64_t lowest, int64_t highest, uint64_t count) { seen.emplace_back(lowest, highest, count); });
  const std::vector<std::tuple<int64_t, int64_t, uint64_t>> expected = {
      {512, 1'023, 1}, {4'997'120, 5'001'215, 2}, {3'599'182'594'048, 3'601'330'077'695, 1}};
  EXPECT_EQ(seen, expected);
}

TEST(Histogram, EqualityComparesBucketsNotJustSummaries) {
  // Same count, min, max and sum; different middles.
  EXPECT_FALSE(histogram_of({1 * kMs, 3 * kMs, 3 * kMs, 5 * kMs}) ==
               histogram_of({1 * kMs, 2 * kMs, 4 * kMs, 5 * kMs}));
}

TEST(Histogram, CopyIsDeepAndIndependent) {
  Histogram original = histogram_of({1 * kMs, 2 * kMs});
  Histogram copy(original);
  copy.record(3 * kMs);
  EXPECT_TRUE(original == histogram_of({1 * kMs, 2 * kMs}));
  EXPECT_TRUE(copy == histogram_of({1 * kMs, 2 * kMs, 3 * kMs}));
}

TEST(Histogram, CopyAssignmentLeavesNoStaleCountsOutsideTheNewRange) {
  Histogram target = histogram_of({0, kHighest});
  target = histogram_of({5 * kMs});
  target.record(0);
  target.record(kHighest);
  EXPECT_TRUE(target == histogram_of({5 * kMs, 0, kHighest}));
}

TEST(Histogram, MoveKeepsTheContentsAndTheSourceCanBeAssignedAgain) {
  Histogram source = histogram_of({1 * kMs, 9 * kMs});
  Histogram moved(std::move(source));
  EXPECT_TRUE(moved == histogram_of({1 * kMs, 9 * kMs}));
  source = moved;  // NOLINT(bugprone-use-after-move): assignment is the documented way back
  source.record(2 * kMs);
  EXPECT_TRUE(source == histogram_of({1 * kMs, 9 * kMs, 2 * kMs}));
}

TEST(Histogram, AnEmptyHistogramCopiesAssignsAndMergesLikeAFullOne) {
  const Histogram empty;
  Histogram copy(empty);
  EXPECT_TRUE(copy == empty);
  Histogram full = histogram_of({4 * kMs});
  full = empty;
  EXPECT_TRUE(full.empty());
  EXPECT_EQ(full.value_at_percentile(99), 0);
  Histogram merged;
  merged.add(empty);
  merged.add(histogram_of({7 * kMs}));
  EXPECT_TRUE(merged == histogram_of({7 * kMs}));
}

TEST(Histogram, AnEmptyHistogramAssignedIntoAMovedFromOneLeavesItEmpty) {
  Histogram source = histogram_of({1 * kMs});
  Histogram moved(std::move(source));
  source = Histogram();  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(source.empty());
  EXPECT_EQ(source.max(), 0);
  source.record(3 * kMs);
  EXPECT_TRUE(source == histogram_of({3 * kMs}));
}

TEST(HistogramMerge, MergingTwoHalvesEqualsTheWhole) {
  std::mt19937_64 rng(5);
  std::exponential_distribution<double> exponential(1.0 / (20.0 * kMs));
  Histogram whole, first, second;
  for (int i = 0; i < 100'000; ++i) {
    const int64_t v = std::llround(exponential(rng));
    whole.record(v);
    (i % 2 == 0 ? first : second).record(v);
  }
  first.add(second);
  EXPECT_TRUE(first == whole);
  for (double p : kPercentiles) EXPECT_EQ(first.value_at_percentile(p), whole.value_at_percentile(p)) << p;
}

TEST(HistogramMerge, KeepsTheExtremesAndClampedCountsOfBoth) {
  Histogram h = histogram_of({-1, 5 * kMs});
  h.add(histogram_of({kHighest + 1}));
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), kHighest);
  EXPECT_EQ(h.clamped(), 2u);
  EXPECT_EQ(h.count(), 3u);
}

TEST(HistogramMerge, AddingAnEmptyHistogramChangesNothing) {
  Histogram h = histogram_of({3 * kMs});
  h.add(Histogram{});
  EXPECT_TRUE(h == histogram_of({3 * kMs}));
}

TEST(HistogramMerge, AddingAHistogramToItselfDoublesEveryCount) {
  Histogram h = histogram_of({3 * kMs, 8 * kMs});
  h.add(h);
  EXPECT_TRUE(h == histogram_of({3 * kMs, 8 * kMs, 3 * kMs, 8 * kMs}));
}

TEST(HistogramReset, ThenRecordingGivesTheSameAsAFreshHistogram) {
  Histogram h = histogram_of({1'000, 5 * kMs, kHighest, -3});
  h.reset();
  h.record(7 * kMs);
  EXPECT_TRUE(h == histogram_of({7 * kMs}));
  EXPECT_EQ(h.clamped(), 0u);
}

TEST(HistogramReset, ClearsTheWholeRangeThatAMergeWidened) {
  Histogram h = histogram_of({5 * kMs});
  h.add(histogram_of({0, kHighest}));
  h.reset();
  h.record(0);
  h.record(kHighest);
  EXPECT_TRUE(h == histogram_of({0, kHighest}));
}

std::string encoding_of(const Histogram& h) {
  std::string out;
  h.encode(out);
  return out;
}

// A hand-written encoding: each field one varint, in the documented order.
std::string fields(std::initializer_list<uint64_t> values) {
  std::string out;
  for (uint64_t v : values) put_varint(out, v);
  return out;
}

std::string decode_error_of(const std::string& bytes) {
  std::string_view in = bytes;
  auto decoded = Histogram::decode(in);
  return decoded ? "decoded" : decoded.error().message;
}

TEST(HistogramEncoding, RoundTripReproducesTheHistogramAndConsumesOnlyItsBytes) {
  std::mt19937_64 rng(6);
  std::exponential_distribution<double> exponential(1.0 / (3.0 * kMs));
  Histogram original = histogram_of({-7, kHighest + 9});
  for (int i = 0; i < 10'000; ++i) original.record(std::llround(exponential(rng)));
  const std::string bytes = encoding_of(original) + "tail";
  std::string_view in = bytes;
  auto decoded = Histogram::decode(in);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(*decoded == original);
  EXPECT_EQ(in, "tail");
}

TEST(HistogramEncoding, RoundTripKeepsASumBeyondSixtyFourBits) {
  Histogram original;
  original.record_n(kHighest, 10'000'000);
  const std::string bytes = encoding_of(original);
  std::string_view in = bytes;
  auto decoded = Histogram::decode(in);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(*decoded == original);
}

TEST(HistogramEncoding, EmptyHistogramIsOneZeroByte) {
  const std::string bytes = encoding_of(Histogram{});
  EXPECT_EQ(bytes, std::string(1, '\0'));
  std::string_view in = bytes;
  auto decoded = Histogram::decode(in);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
  EXPECT_TRUE(in.empty());
}

TEST(HistogramEncoding, EncodeAppendsAfterExistingBytes) {
  std::string out = "head";
  histogram_of({1'000}).encode(out);
  EXPECT_EQ(out, "head" + fields({1, 1'000, 1'000, 1'000, 0, 0, 1, 0, 1}));
}

TEST(HistogramEncoding, DecodesTheDocumentedFieldOrder) {
  // count, min, max, sum low, sum high, clamped, buckets, then (gap, count) from min's bucket (index 1 here).
  const std::string bytes = fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 1, 4'290, 2});
  std::string_view in = bytes;
  auto decoded = Histogram::decode(in);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(*decoded == histogram_of({1'000, 5 * kMs, 5 * kMs}));
}

TEST(HistogramEncoding, EveryTruncationIsRejected) {
  const std::string bytes = encoding_of(histogram_of({1'000, 5 * kMs, 5 * kMs, kHighest + 5}));
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_EQ(decode_error_of(bytes.substr(0, length)).rfind("histogram decode: truncated or over-long ", 0),
              0u)
        << "length " << length;
  }
  EXPECT_EQ(decode_error_of(""), "histogram decode: truncated or over-long count");
}

TEST(HistogramEncoding, RejectsAnOverLongVarint) {
  EXPECT_EQ(decode_error_of(std::string(11, '\x80')), "histogram decode: truncated or over-long count");
}

TEST(HistogramEncoding, RejectsMinAboveMax) {
  EXPECT_EQ(decode_error_of(fields({1, 5'000, 3'000, 5'000, 0, 0, 1, 0, 1})),
            "histogram decode: min 5000 and max 3000 are not ordered within [0, 3600000000000]");
}

TEST(HistogramEncoding, RejectsMaxAboveOneHour) {
  EXPECT_EQ(decode_error_of(fields({1, 0, 3'600'000'000'001, 0, 0, 1, 1, 0, 1})),
            "histogram decode: min 0 and max 3600000000001 are not ordered within [0, 3600000000000]");
}

TEST(HistogramEncoding, RejectsASumOutsideCountTimesMinAndMax) {
  EXPECT_EQ(decode_error_of(fields({2, 1'000, 2'000, 100, 0, 0, 2, 0, 1, 1, 1})),
            "histogram decode: sum is impossible for 2 samples in [1000, 2000]");
}

TEST(HistogramEncoding, RejectsMoreClampedSamplesThanSamples) {
  EXPECT_EQ(decode_error_of(fields({1, 0, 0, 0, 0, 2, 1, 0, 1})),
            "histogram decode: 2 clamped samples do not fit 1 samples in [0, 0]");
}

TEST(HistogramEncoding, RejectsClampedSamplesWithNoValueAtAnEdge) {
  EXPECT_EQ(decode_error_of(fields({1, 1'000, 1'000, 1'000, 0, 1, 1, 0, 1})),
            "histogram decode: 1 clamped samples do not fit 1 samples in [1000, 1000]");
}

TEST(HistogramEncoding, RejectsABucketCountTheRangeCannotHold) {
  EXPECT_EQ(decode_error_of(fields({1, 1'000, 1'000, 1'000, 0, 0, 0})),
            "histogram decode: 0 buckets listed for indices 1 to 1");
  EXPECT_EQ(decode_error_of(fields({2, 1'000, 1'000, 2'000, 0, 0, 2, 0, 1, 0, 1})),
            "histogram decode: 2 buckets listed for indices 1 to 1");
}

TEST(HistogramEncoding, RejectsAFirstBucketOtherThanMinsBucket) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 1, 1, 4'289, 2})),
            "histogram decode: bucket 0 does not fit indices 1 to 4292 that min and max set");
}

TEST(HistogramEncoding, RejectsALastBucketOtherThanMaxsBucket) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 1, 100, 2})),
            "histogram decode: bucket 1 does not fit indices 1 to 4292 that min and max set");
}

TEST(HistogramEncoding, RejectsAGapThatWouldWrapAround) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 1, ~uint64_t{0}, 2})),
            "histogram decode: bucket 1 does not fit indices 1 to 4292 that min and max set");
}

TEST(HistogramEncoding, RejectsMoreBucketsAfterTheLastOne) {
  // Indices 1 (1000 ns) to 4 (2048 ns): the second pair already reaches max's bucket, the third points far
  // past.
  EXPECT_EQ(decode_error_of(fields({4, 1'000, 2'048, 6'000, 0, 0, 4, 0, 1, 2, 1, 1'000'000, 1, 0, 1})),
            "histogram decode: bucket 2 does not fit indices 1 to 4 that min and max set");
}

TEST(HistogramEncoding, RejectsAnEmptyBucket) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 0, 4'290, 3})),
            "histogram decode: bucket 0 is listed with no samples");
}

TEST(HistogramEncoding, RejectsBucketCountsThatDoNotAddUpToTheCount) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 1, 4'290, 1})),
            "histogram decode: bucket counts do not add up to the count 3");
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 1, 4'290, 5})),
            "histogram decode: bucket counts do not add up to the count 3");
}

TEST(HistogramEncoding, RejectsBucketCountsThatOnlyAddUpAfterWrappingAround) {
  EXPECT_EQ(decode_error_of(fields({3, 1'000, 5 * kMs, 10'001'000, 0, 0, 2, 0, 4, 4'290, ~uint64_t{0}})),
            "histogram decode: bucket counts do not add up to the count 3");
}

TEST(HistogramEncoding, FlippedBitsGiveAnErrorOrAConsistentHistogram) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> exponential(1.0 / (2.0 * kMs));
  Histogram original;
  for (int i = 0; i < 1'000; ++i) original.record(std::llround(exponential(rng)));
  const std::string bytes = encoding_of(original);
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string corrupt = bytes;
      corrupt[at] = static_cast<char>(corrupt[at] ^ (1 << bit));
      std::string_view in = corrupt;
      auto decoded = Histogram::decode(in);
      if (!decoded) continue;
      uint64_t total = 0;
      decoded->for_each_bucket([&](int64_t, int64_t, uint64_t count) { total += count; });
      EXPECT_EQ(total, decoded->count()) << "byte " << at << " bit " << bit;
      EXPECT_LE(decoded->value_at_percentile(50), decoded->max());
    }
  }
}

}  // namespace
}  // namespace surge::metrics
