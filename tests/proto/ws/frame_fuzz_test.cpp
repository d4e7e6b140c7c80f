// Deterministic mutation fuzzing of FrameDecoder inside the normal test run (fixed seed, so a failure
// reproduces; fuzz_frame_decoder.cpp is the libFuzzer target for longer runs). The oracle: no crash, every
// payload respects its limits, an error has a detail, and the outcome does not depend on the read sizes.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "proto/ws/frame.h"
#include "ws_test_helpers.h"

namespace surge::proto::ws {
namespace {

std::vector<std::string> seeds() {
  std::vector<std::string> result;
  for (std::optional<uint32_t> mask : {std::optional<uint32_t>(), std::optional<uint32_t>(0x37fa213d)}) {
    std::string wire;
    (void)append_frame(wire, Opcode::kText, "Hello", false, mask);
    (void)append_frame(wire, Opcode::kPing, "p", true, mask);
    (void)append_frame(wire, Opcode::kContinuation, "\xc3\xa9!", true, mask);
    (void)append_frame(wire, Opcode::kBinary, std::string(300, 'b'), true, mask);
    (void)append_close_frame(wire, 1000, "bye", mask);
    result.push_back(wire);
  }
  return result;
}

TEST(FrameDecoderFuzz, SurvivesTwentyThousandMutationsWithTheSameVerdictInEverySplit) {
  std::mt19937_64 rng(20260905);
  const std::vector<std::string> inputs = seeds();
  for (int i = 0; i < 20000; ++i) {
    std::string wire = inputs[i % 2];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !wire.empty(); ++e) {
      const size_t at = rng() % wire.size();
      switch (rng() % 3) {
        case 0:
          wire[at] = static_cast<char>(rng());
          break;
        case 1:
          wire.insert(wire.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng()));
          break;
        default:
          wire.erase(at, 1 + rng() % 3);
      }
    }
    const DecodeOptions options{i % 2 == 0 ? Role::kClient : Role::kServer, 200};
    const Decoded whole = decode_whole(wire, options);
    if (whole.error != FrameError::kNone) {
      ASSERT_FALSE(whole.detail.empty()) << i;
    }
    for (const std::string& event : whole.events) ASSERT_LE(event.size(), 207u) << i;  // "binary:" + 200
    ASSERT_EQ(decode_in_reads(wire, 1 + rng() % 7, 0, options), whole) << "mutation " << i;
  }
}

}  // namespace
}  // namespace surge::proto::ws
