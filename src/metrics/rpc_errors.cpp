// RpcErrorCounts: recording by code into the fixed table, merging, and the snapshot encoding (used slots as
// zigzag code and count pairs, then `other`).
#include "metrics/rpc_errors.h"

#include "metrics/varint.h"

namespace surge::metrics {
namespace {

// Error codes are mostly negative (-32768..-32000): zigzag keeps them short as varints.
uint64_t zigzag(int64_t value) { return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63); }
int64_t unzigzag(uint64_t value) { return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1); }

}  // namespace

void RpcErrorCounts::record(int64_t code, uint64_t n) {
  if (n == 0) return;
  for (size_t i = 0; i < kSlots; ++i) {
    if (counts[i] == 0) codes[i] = code;
    if (codes[i] == code) {
      counts[i] += n;
      return;
    }
  }
  other += n;
}

uint64_t RpcErrorCounts::total() const {
  uint64_t sum = other;
  for (uint64_t count : counts) sum += count;
  return sum;
}

void RpcErrorCounts::add(const RpcErrorCounts& more) {
  for (size_t i = 0; i < kSlots && more.counts[i] != 0; ++i) record(more.codes[i], more.counts[i]);
  other += more.other;
}

void RpcErrorCounts::reset() {
  codes.fill(0);
  counts.fill(0);
  other = 0;
}

void RpcErrorCounts::encode(std::string& out) const {
  size_t used = 0;
  while (used < kSlots && counts[used] != 0) ++used;
  put_varint(out, used);
  for (size_t i = 0; i < used; ++i) {
    put_varint(out, zigzag(codes[i]));
    put_varint(out, counts[i]);
  }
  put_varint(out, other);
}

bool RpcErrorCounts::decode_into(std::string_view& in) {
  reset();
  uint64_t used = 0;
  if (!get_varint(in, used) || used > kSlots) return false;
  for (size_t i = 0; i < used; ++i) {
    uint64_t code = 0;
    if (!get_varint(in, code) || !get_varint(in, counts[i]) || counts[i] == 0) return false;
    codes[i] = unzigzag(code);
  }
  return get_varint(in, other);
}

}  // namespace surge::metrics
