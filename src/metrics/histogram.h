// Latency histogram in int64 ns with HdrHistogram's log-linear buckets. Every instance has one fixed layout,
// so recording is O(1) and merging is a plain loop. Workers record; the coordinator adds. The counts (196 KB)
// are allocated on the first sample, so the many cells that never see one (other phases, per-second deltas)
// cost a few words each; they are mapped, not malloc'd, so only the pages a distribution's buckets fall in are
// ever resident (two 4 KiB pages per power of two of latency: ~30-60 KB for a typical run, not 196 KB).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::metrics {

// The 1-based rank of the sample at percentile p (clamped to [0, 100]) among count samples: at least 1, else
// ceil(p/100 × count). Floating-point noise in the product (99.9% of 1000 is 999.0000000000001) is ignored.
uint64_t percentile_rank(double p, uint64_t count);

class Histogram {
 public:
  static constexpr int64_t kLowestNs = 1'000;               // lowest discernible value
  static constexpr int64_t kHighestNs = 3'600'000'000'000;  // one hour; larger values are clamped to it
  static constexpr int kSignificantDigits = 3;
  // HdrHistogram rounds the lowest discernible value down to a power of two: the unit is 512 ns.
  static constexpr int kUnitMagnitude = std::bit_width(uint64_t{kLowestNs}) - 1;
  static constexpr int64_t kUnitNs = int64_t{1} << kUnitMagnitude;
  // 2^kSubBucketMagnitude buckets per power-of-two range are the fewest that give 2 × 10^digits steps.
  static_assert(kSignificantDigits == 3, "the next line spells out 10^kSignificantDigits");
  static constexpr int kSubBucketMagnitude = std::bit_width(uint64_t{2 * 1'000} - 1);
  static constexpr int kHalfMagnitude = kSubBucketMagnitude - 1;
  // No bucket is wider than max(its lowest value × kRelativePrecision, kUnitNs), so a value v is reported as
  // some v' with v <= v' < v + max(v × kRelativePrecision, kUnitNs).
  static constexpr double kRelativePrecision = 1.0 / static_cast<double>(int64_t{1} << kHalfMagnitude);
  static constexpr size_t kCountsLen =
      (size_t(std::bit_width(uint64_t{kHighestNs})) - kUnitMagnitude - kSubBucketMagnitude + 2)
      << kHalfMagnitude;

  Histogram() = default;  // empty; the counts are allocated by the first sample
  Histogram(const Histogram& other);
  Histogram& operator=(const Histogram& other);  // reuses this buffer
  // A moved-from Histogram may only be destroyed or assigned to.
  Histogram(Histogram&&) noexcept = default;
  Histogram& operator=(Histogram&&) noexcept = default;

  // Records value_ns count times. Values below 0 or above kHighestNs are stored at that edge and counted in
  // clamped(); min, max and sum see the stored value. O(1); only the first sample allocates.
  void record(int64_t value_ns) { record_n(value_ns, 1); }
  void record_n(int64_t value_ns, uint64_t count) {
    if (count == 0) return;  // keeps min/max honest: they describe samples that exist
    const int64_t value = std::clamp<int64_t>(value_ns, 0, kHighestNs);
    clamped_ += value != value_ns ? count : 0;
    if (!counts_) [[unlikely]] allocate_counts();
    counts_[index_of(value)] += count;
    count_ += count;
    sum_ += Sum{static_cast<uint64_t>(value)} * count;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  uint64_t clamped() const { return clamped_; }       // samples that were outside [0, kHighestNs]
  int64_t min() const { return empty() ? 0 : min_; }  // exact recorded extremes; 0 when empty
  int64_t max() const { return max_; }
  double mean() const;  // exact sum / count in ns; 0 when empty
  // The highest value equivalent to the bucket holding the sample of rank percentile_rank(p, count()), kept
  // within [min(), max()]; 0 when empty. O(buckets between min and max).
  int64_t value_at_percentile(double p) const;

  // Exact merge: afterwards this equals a histogram that recorded both sets of samples.
  void add(const Histogram& other);
  // Clears only the buckets between min and max, which hold every non-zero count.
  void reset();
  bool operator==(const Histogram& other) const;

  // Calls f(lowest_ns, highest_ns, count) for every non-empty bucket in increasing order. The edges are the
  // bucket's, not clamped to min()/max() (the last bucket may reach past kHighestNs).
  template <class F>
  void for_each_bucket(F f) const {
    if (empty()) return;
    for (size_t i = index_of(min_), last = index_of(max_); i <= last; ++i) {
      if (counts_[i] != 0) f(lowest_of(i), lowest_of(i) + width_of(i) - 1, counts_[i]);
    }
  }

  // Appends a sparse varint encoding: count, then (when non-zero) min, max, sum, clamped and the non-zero
  // buckets as (index gap, count) pairs. An empty histogram is one byte.
  void encode(std::string& out) const;
  // Consumes one encoded histogram from the front of in. Truncated or inconsistent input gives an error (and
  // leaves in at an unspecified position); it is never read past its end.
  static core::Result<Histogram> decode(std::string_view& in);

 private:
  __extension__ using Sum = unsigned __int128;  // a 64-bit sum overflows at 5e6 samples of one hour
  static constexpr int64_t kSubBucketMask = ((int64_t{1} << kSubBucketMagnitude) - 1) << kUnitMagnitude;
  static constexpr int64_t kEmptyMin = std::numeric_limits<int64_t>::max();

  // HdrHistogram's bucket r >= 1, here a range, is [2^(r-1), 2^r) × 2^(kSubBucketMagnitude + kUnitMagnitude)
  // cut into 2^kHalfMagnitude buckets of 2^(r + kUnitMagnitude) ns; range 0 is everything below, in buckets
  // of one unit. value must be in [0, kHighestNs].
  static size_t index_of(int64_t value) {
    const int range =
        std::bit_width(static_cast<uint64_t>(value | kSubBucketMask)) - kUnitMagnitude - kSubBucketMagnitude;
    return (size_t(range) << kHalfMagnitude) + size_t(value >> (range + kUnitMagnitude));
  }
  static int range_of(size_t index) { return std::max(int(index >> kHalfMagnitude) - 1, 0); }
  static int64_t width_of(size_t index) { return int64_t{1} << (range_of(index) + kUnitMagnitude); }
  static int64_t lowest_of(size_t index) {
    return int64_t(index - (size_t(range_of(index)) << kHalfMagnitude)) * width_of(index);
  }

  void allocate_counts();
  struct FieldReader;
  core::Result<void> decode_buckets(FieldReader& reader);  // after decode() has read and checked the header

  struct Unmap {
    void operator()(uint64_t* counts) const;
  };
  std::unique_ptr<uint64_t[], Unmap> counts_;  // null until the first sample; every count is zero where it is null
  uint64_t count_ = 0;
  uint64_t clamped_ = 0;
  Sum sum_ = 0;
  int64_t min_ = kEmptyMin;
  int64_t max_ = 0;
};

}  // namespace surge::metrics
