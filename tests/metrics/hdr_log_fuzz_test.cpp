// Deterministic mutation fuzzing of the HdrHistogram V2 decoders inside the normal test run (fixed seed, so a
// failure reproduces). The oracle: every input ends in either an error that says "hdr decode: " or a
// histogram whose buckets add up to its count, lie within the layout, and survive a re-encoding unchanged.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "metrics/hdr_log.h"

namespace surge::metrics {
namespace {

using Buckets = std::vector<std::tuple<int64_t, int64_t, uint64_t>>;

Buckets buckets_of(const Histogram& h) {
  Buckets out;
  h.for_each_bucket([&](int64_t lo, int64_t hi, uint64_t n) { out.emplace_back(lo, hi, n); });
  return out;
}

std::vector<std::string> seeds() {
  std::vector<std::string> out;
  Histogram small, wide, huge_count;
  small.record_n(1'000, 3);
  small.record(250'000);
  for (int64_t v = 1; v < Histogram::kHighestNs; v = v * 3 + 7) wide.record(v);
  huge_count.record_n(7'000'000, uint64_t{1} << 40);
  for (const Histogram* h : {&small, &wide, &huge_count}) out.push_back(encode_hdr_v2(*h));
  out.push_back(encode_hdr_v2(Histogram{}));
  return out;
}

// Checks the oracle for one decode result; returns false (with a test failure) when it does not hold.
bool holds(const core::Result<Histogram>& decoded, const std::string& input) {
  if (!decoded) {
    EXPECT_EQ(decoded.error().message.rfind("hdr decode: ", 0), 0u) << decoded.error().message;
    return decoded.error().message.rfind("hdr decode: ", 0) == 0;
  }
  uint64_t total = 0;
  decoded->for_each_bucket([&](int64_t, int64_t, uint64_t n) { total += n; });
  auto again = decode_hdr_v2(encode_hdr_v2(*decoded));
  const bool ok = total == decoded->count() && decoded->max() <= Histogram::kHighestNs && again &&
                  buckets_of(*again) == buckets_of(*decoded);
  EXPECT_TRUE(ok) << "input of " << input.size() << " bytes";
  return ok;
}

TEST(HdrLogFuzz, MutatedV2EncodingsDecodeOrFailCleanly) {
  std::mt19937_64 rng(20240611);
  const auto below = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  const std::vector<std::string> inputs = seeds();
  for (int round = 0; round < 20'000; ++round) {
    std::string bytes = inputs[below(inputs.size())];
    for (size_t edits = 1 + below(4); edits > 0; --edits) {
      switch (below(4)) {
        case 0:
          if (!bytes.empty()) bytes[below(bytes.size())] = static_cast<char>(below(256));
          break;
        case 1:
          bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(below(bytes.size() + 1)),
                       static_cast<char>(below(256)));
          break;
        case 2:
          if (!bytes.empty()) bytes.erase(below(bytes.size()), 1 + below(4));
          break;
        default:
          bytes.resize(below(bytes.size() + 1));
          break;
      }
    }
    // Half the time keep the header's payload length true, so the mutation reaches the counts.
    if (below(2) == 0 && bytes.size() >= 40) {
      const auto payload = static_cast<uint32_t>(bytes.size() - 40);
      for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<char>(payload >> (24 - 8 * i));
    }
    if (!holds(decode_hdr_v2(bytes), bytes)) return;
  }
}

TEST(HdrLogFuzz, MutatedBase64HistogramsDecodeOrFailCleanly) {
  std::mt19937_64 rng(7);
  const auto below = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  std::vector<std::string> inputs;
  for (const std::string& v2 : seeds()) inputs.push_back(encode_hdr_base64(*decode_hdr_v2(v2)));
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
  for (int round = 0; round < 5'000; ++round) {
    std::string text = inputs[below(inputs.size())];
    for (size_t edits = 1 + below(3); edits > 0; --edits)
      text[below(text.size())] = alphabet[below(alphabet.size())];
    if (!holds(decode_hdr_base64(text), text)) return;
  }
}

}  // namespace
}  // namespace surge::metrics
