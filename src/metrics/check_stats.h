// Counters of the checks and custom metrics of a plan (docs/checks.md), one per phase and check or metric,
// recorded by the workers and merged by the coordinator like the request cells.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "metrics/histogram.h"

namespace surge::metrics {

// One check of one step: responses it judged, by verdict.
struct CheckCounts {
  uint64_t passed = 0;
  uint64_t failed = 0;

  bool empty() const { return passed == 0 && failed == 0; }
  void add(const CheckCounts& other) {
    passed += other.passed;
    failed += other.failed;
  }
};

// One custom metric. rate: `hits` of `total` responses satisfied its condition; counter: `hits` counts them;
// trend: `values` holds each response's value × kTrendScale (so the histogram's ns-shaped buckets keep three
// significant digits for values from 0.001 up), `total` counts the responses that had a value.
struct CustomMetricStats {
  static constexpr double kTrendScale = 1e6;

  uint64_t hits = 0;
  uint64_t total = 0;
  Histogram values;

  bool empty() const { return total == 0 && hits == 0; }
  void record_trend(double value);  // negative values are recorded as 0
  void add(const CustomMetricStats& other);
  void reset();
  void encode(std::string& out) const;
  core::Result<void> decode_into(std::string_view& in);
};

}  // namespace surge::metrics
