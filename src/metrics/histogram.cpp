// Histogram queries, merging and the sparse varint encoding that carries it from a worker to the coordinator.
// decode() trusts nothing: every field is checked against the layout and against the others before use.
#include "metrics/histogram.h"

#include <sys/mman.h>

#include <cmath>
#include <cstring>
#include <new>

#include "metrics/varint.h"

namespace surge::metrics {
namespace {

core::Unexpected<core::Error> decode_error(const std::string& what) {
  return core::fail("histogram decode: " + what);
}

}  // namespace

// Reads varint fields and remembers which one ran out, so a corrupt frame can be traced to the field.
struct Histogram::FieldReader {
  std::string_view& in;
  const char* failed_field = nullptr;

  bool read(uint64_t& value, const char* field) {
    if (get_varint(in, value)) return true;
    failed_field = field;
    return false;
  }
  core::Unexpected<core::Error> truncated() const {
    return decode_error(std::string("truncated or over-long ") + failed_field);
  }
};

uint64_t percentile_rank(double p, uint64_t count) {
  if (!(p > 0.0) || count == 0) return 1;  // also NaN
  if (p >= 100.0) return count;
  const double scaled = p / 100.0 * static_cast<double>(count);
  // The product carries a few ulps of error; a true fraction that small cannot come from a percentile a
  // person writes, so treat it as noise rather than as part of the next rank.
  const auto rank = static_cast<uint64_t>(std::ceil(scaled - scaled * 1e-15));
  return std::clamp<uint64_t>(rank, 1, count);
}

// An anonymous mapping is zero and costs no memory until a page is written; malloc would hand back reused
// heap that calloc must clear, touching every page. Without memory, the process fails as new[] would.
void Histogram::allocate_counts() {
  void* counts = mmap(nullptr, kCountsLen * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (counts == MAP_FAILED) throw std::bad_alloc();
  counts_.reset(static_cast<uint64_t*>(counts));
}

void Histogram::Unmap::operator()(uint64_t* counts) const { munmap(counts, kCountsLen * sizeof(uint64_t)); }

Histogram::Histogram(const Histogram& other) { add(other); }

Histogram& Histogram::operator=(const Histogram& other) {
  if (this == &other) return *this;
  if (counts_) {
    reset();
  } else {  // empty or moved from: make it a valid empty histogram first
    count_ = clamped_ = 0;
    sum_ = 0;
    min_ = kEmptyMin;
    max_ = 0;
  }
  add(other);
  return *this;
}

double Histogram::mean() const {
  return empty() ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

int64_t Histogram::value_at_percentile(double p) const {
  if (empty()) return 0;
  const uint64_t rank = percentile_rank(p, count_);
  uint64_t seen = 0;
  for (size_t i = index_of(min_), last = index_of(max_); i <= last; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(lowest_of(i) + width_of(i) - 1, min_, max_);
  }
  return max_;  // unreachable while the counts add up to count_
}

void Histogram::add(const Histogram& other) {
  if (other.empty()) return;
  if (!counts_) allocate_counts();
  for (size_t i = index_of(other.min_), last = index_of(other.max_); i <= last; ++i) {
    counts_[i] += other.counts_[i];
  }
  count_ += other.count_;
  clamped_ += other.clamped_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::reset() {
  if (empty()) return;
  const size_t first = index_of(min_);
  std::fill(counts_.get() + first, counts_.get() + index_of(max_) + 1, uint64_t{0});
  count_ = clamped_ = 0;
  sum_ = 0;
  min_ = kEmptyMin;
  max_ = 0;
}

bool Histogram::operator==(const Histogram& other) const {
  if (count_ != other.count_ || clamped_ != other.clamped_ || sum_ != other.sum_ || min_ != other.min_ ||
      max_ != other.max_) {
    return false;
  }
  if (empty()) return true;
  // Equal min and max mean both hold all their counts in the same index range.
  const size_t first = index_of(min_);
  const size_t length = index_of(max_) + 1 - first;
  return std::memcmp(counts_.get() + first, other.counts_.get() + first, length * sizeof(uint64_t)) == 0;
}

void Histogram::encode(std::string& out) const {
  put_varint(out, count_);
  if (empty()) return;
  put_varint(out, static_cast<uint64_t>(min_));
  put_varint(out, static_cast<uint64_t>(max_));
  put_varint(out, static_cast<uint64_t>(sum_));
  put_varint(out, static_cast<uint64_t>(sum_ >> 64));
  put_varint(out, clamped_);
  const size_t first = index_of(min_), last = index_of(max_);
  uint64_t buckets = 0;
  for (size_t i = first; i <= last; ++i) buckets += counts_[i] != 0;
  put_varint(out, buckets);
  size_t next = first;  // gaps count the empty buckets skipped, so no pair can repeat or go backwards
  for (size_t i = first; i <= last; ++i) {
    if (counts_[i] == 0) continue;
    put_varint(out, i - next);
    put_varint(out, counts_[i]);
    next = i + 1;
  }
}

core::Result<Histogram> Histogram::decode(std::string_view& in) {
  FieldReader reader{in};
  Histogram h;
  if (!reader.read(h.count_, "count")) return reader.truncated();
  if (h.empty()) return h;
  h.allocate_counts();
  uint64_t min = 0, max = 0, sum_low = 0, sum_high = 0;
  if (!reader.read(min, "min") || !reader.read(max, "max") || !reader.read(sum_low, "sum") ||
      !reader.read(sum_high, "sum") || !reader.read(h.clamped_, "clamped count")) {
    return reader.truncated();
  }
  if (min > max || max > uint64_t{kHighestNs}) {
    return decode_error("min " + std::to_string(min) + " and max " + std::to_string(max) +
                        " are not ordered within [0, " + std::to_string(kHighestNs) + "]");
  }
  h.min_ = static_cast<int64_t>(min);
  h.max_ = static_cast<int64_t>(max);
  h.sum_ = (Sum{sum_high} << 64) | sum_low;
  if (h.sum_ < Sum{h.count_} * min || h.sum_ > Sum{h.count_} * max) {
    return decode_error("sum is impossible for " + std::to_string(h.count_) + " samples in [" +
                        std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  if (h.clamped_ > h.count_ || (h.clamped_ > 0 && min != 0 && max != uint64_t{kHighestNs})) {
    return decode_error(std::to_string(h.clamped_) + " clamped samples do not fit " +
                        std::to_string(h.count_) + " samples in [" + std::to_string(min) + ", " +
                        std::to_string(max) + "]");
  }
  auto read = h.decode_buckets(reader);
  if (!read) return core::fail(read.error().message);
  return h;
}

// The pairs must fill exactly the range min and max allow: first at min's bucket, last at max's, none empty,
// and their counts must add up to the header's count.
core::Result<void> Histogram::decode_buckets(FieldReader& reader) {
  const size_t first = index_of(min_), last = index_of(max_);
  uint64_t buckets = 0;
  if (!reader.read(buckets, "bucket count")) return reader.truncated();
  if (buckets == 0 || buckets > last - first + 1) {
    return decode_error(std::to_string(buckets) + " buckets listed for indices " + std::to_string(first) +
                        " to " + std::to_string(last));
  }
  uint64_t seen = 0;
  size_t next = first;
  for (uint64_t n = 0; n < buckets; ++n) {
    uint64_t gap = 0, count = 0;
    if (!reader.read(gap, "bucket index") || !reader.read(count, "bucket count")) return reader.truncated();
    // next passes last when a pair lands on max's bucket early; checking it first keeps last - next unsigned.
    if (next > last || gap > last - next || (n == 0 && gap != 0) ||
        (n + 1 == buckets && next + gap != last)) {
      return decode_error("bucket " + std::to_string(n) + " does not fit indices " + std::to_string(first) +
                          " to " + std::to_string(last) + " that min and max set");
    }
    if (count == 0) return decode_error("bucket " + std::to_string(n) + " is listed with no samples");
    if (count > count_ - seen) {
      return decode_error("bucket counts do not add up to the count " + std::to_string(count_));
    }
    counts_[next + gap] = count;
    seen += count;
    next += gap + 1;
  }
  if (seen != count_)
    return decode_error("bucket counts do not add up to the count " + std::to_string(count_));
  return {};
}

}  // namespace surge::metrics
