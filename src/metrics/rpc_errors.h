// JSON-RPC error responses of one (phase, step) cell counted by their error code: a fixed table of the first
// kSlots distinct codes seen and one `other` count, so recording never allocates and a cell stays small.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace surge::metrics {

struct RpcErrorCounts {
  // Servers use a handful of codes (the five of JSON-RPC 2.0 §5.1 and a few of their own); past this many
  // distinct codes in one cell, the rest are counted in `other`.
  static constexpr size_t kSlots = 8;

  std::array<int64_t, kSlots> codes{};
  std::array<uint64_t, kSlots> counts{};  // counts[i] == 0: slot i is free (slots fill in order)
  uint64_t other = 0;                     // errors whose code found no slot

  // Counts `n` error responses with this code.
  void record(int64_t code, uint64_t n = 1);
  uint64_t total() const;
  bool empty() const { return counts[0] == 0 && other == 0; }
  // Adds by code; codes that find no slot here go to `other`, so merged totals stay exact.
  void add(const RpcErrorCounts& more);
  void reset();
  void encode(std::string& out) const;
  // False on truncated or corrupt input.
  bool decode_into(std::string_view& in);
};

}  // namespace surge::metrics
