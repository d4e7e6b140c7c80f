// Group cells: add, reset and the snapshot encoding (varints, then the histogram's own encoding), the same
// shape as the custom metric cells.
#include "metrics/group_stats.h"

#include "metrics/varint.h"

namespace surge::metrics {

void GroupStats::add(const GroupStats& other) {
  runs += other.runs;
  failed += other.failed;
  duration.add(other.duration);
}

void GroupStats::reset() {
  runs = 0;
  failed = 0;
  duration.reset();
}

void GroupStats::encode(std::string& out) const {
  put_varint(out, runs);
  put_varint(out, failed);
  duration.encode(out);
}

core::Result<void> GroupStats::decode_into(std::string_view& in) {
  if (!get_varint(in, runs) || !get_varint(in, failed) || failed > runs) {
    return core::fail("snapshot: truncated group stats");
  }
  auto decoded = Histogram::decode(in);
  if (!decoded) return core::fail(decoded.error().message);
  duration = std::move(decoded).value();
  return {};
}

}  // namespace surge::metrics
