// Bucket labels and the HDR → Prometheus bucket derivation. Labels are built from whole milliseconds, never
// printed from doubles, so "0.003" is "0.003" and not "0.0030000000000000001" on some scrape.
#include "observe/latency_buckets.h"

#include <string>

#include "core/clock.h"

namespace surge::observe {
namespace {

std::string seconds_label(int64_t ms) {
  std::string label = std::to_string(ms / 1000);
  int64_t fraction = ms % 1000;
  if (fraction == 0) return label;
  std::string digits = std::to_string(1000 + fraction).substr(1);  // three digits, leading zeros kept
  digits.erase(digits.find_last_not_of('0') + 1);
  return label + "." + digits;
}

}  // namespace

std::string_view bucket_label(size_t i) {
  static const std::array<std::string, kBucketCount> labels = [] {
    std::array<std::string, kBucketCount> out;
    for (size_t b = 0; b < kFiniteBucketCount; ++b) out[b] = seconds_label(bucket_bound_ms(b));
    out[kFiniteBucketCount] = "+Inf";
    return out;
  }();
  return labels[i];
}

void add_bucket_counts(const metrics::Histogram& histogram, std::span<uint64_t> counts) {
  // HDR buckets arrive in increasing order, so one cursor walks the bounds once.
  size_t bucket = 0;
  histogram.for_each_bucket([&](int64_t /*lowest_ns*/, int64_t highest_ns, uint64_t count) {
    while (bucket < kFiniteBucketCount && bucket_bound_ms(bucket) * core::kNsPerMs < highest_ns) ++bucket;
    counts[bucket] += count;
  });
}

}  // namespace surge::observe
