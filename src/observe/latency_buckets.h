// The fixed `le` buckets of surge_request_duration_seconds, and their counts derived exactly from an HDR
// histogram. 1 ms steps up to 100 ms give histogram_quantile() 1 ms resolution where SLAs usually sit.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "metrics/histogram.h"

namespace surge::observe {

// Upper bounds in ms: 1, 2, ..., 100, then coarser steps up to 60 s; +Inf comes after the last.
inline constexpr size_t kFineBucketCount = 100;
inline constexpr std::array<int64_t, 23> kCoarseBoundsMs = {
    125,  150,  175,  200,  250,  300,   400,   500,   750,   1000,  1500, 2000,
    2500, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 45000, 60000};
inline constexpr size_t kFiniteBucketCount = kFineBucketCount + kCoarseBoundsMs.size();
inline constexpr size_t kBucketCount = kFiniteBucketCount + 1;  // with +Inf

// Upper bound of bucket i < kFiniteBucketCount, in ms.
constexpr int64_t bucket_bound_ms(size_t i) {
  return i < kFineBucketCount ? int64_t(i) + 1 : kCoarseBoundsMs[i - kFineBucketCount];
}

// The `le` label of bucket i: "0.001", "0.25", "60", "+Inf" (exact decimals, the same text on every scrape).
std::string_view bucket_label(size_t i);

// Adds each sample of histogram to counts[i] (non-cumulative, counts.size() == kBucketCount) of the first
// bucket whose bound is >= the highest value of the sample's HDR bucket. A sample is thus never counted
// below its true value; one within 0.1% (HDR's precision) under a bound may land one bucket higher.
void add_bucket_counts(const metrics::Histogram& histogram, std::span<uint64_t> counts);

}  // namespace surge::observe
