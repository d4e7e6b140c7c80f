// Custom metric cells: add, reset and the snapshot encoding (varints, then the histogram's own encoding).
#include "metrics/check_stats.h"

#include <cmath>

#include "metrics/varint.h"

namespace surge::metrics {

void CustomMetricStats::record_trend(double value) {
  ++total;
  double scaled = value > 0 ? std::round(value * kTrendScale) : 0;
  values.record(scaled > 9e18 ? int64_t{9'000'000'000'000'000'000} : static_cast<int64_t>(scaled));
}

void CustomMetricStats::add(const CustomMetricStats& other) {
  hits += other.hits;
  total += other.total;
  values.add(other.values);
}

void CustomMetricStats::reset() {
  hits = 0;
  total = 0;
  values.reset();
}

void CustomMetricStats::encode(std::string& out) const {
  put_varint(out, hits);
  put_varint(out, total);
  values.encode(out);
}

core::Result<void> CustomMetricStats::decode_into(std::string_view& in) {
  if (!get_varint(in, hits) || !get_varint(in, total)) return core::fail("snapshot: truncated custom metric");
  auto decoded = Histogram::decode(in);
  if (!decoded) return core::fail(decoded.error().message);
  values = std::move(decoded).value();
  return {};
}

}  // namespace surge::metrics
