// The codec runs on a worker's hot path, where nothing may allocate per frame (STYLE.md). This binary
// replaces global operator new with a counting one; after one warm-up round (which grows the caller's
// buffers and the reassembly buffer), a second identical round must add nothing to the count.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "proto/ws/frame.h"
#include "proto/ws/frame_decoder.h"

#include "../../support/counting_new.h"

namespace surge::proto::ws {
namespace {

class CountingHandler final : public FrameHandler {
 public:
  void on_message(Opcode, std::string_view payload) override { bytes += payload.size(); }
  void on_ping(std::string_view payload) override { bytes += payload.size(); }
  void on_pong(std::string_view payload) override { bytes += payload.size(); }
  void on_close(uint16_t, std::string_view) override {}
  size_t bytes = 0;
};

// One client's traffic: small and large messages, fragments with a ping between them, written masked.
void write_round(std::string& wire, const std::string& small, const std::string& large) {
  (void)append_frame(wire, Opcode::kText, small, true, 0x01020304);
  (void)append_frame(wire, Opcode::kBinary, large, true, 0x05060708);
  (void)append_frame(wire, Opcode::kText, small, false, 0x0a0b0c0d);
  (void)append_frame(wire, Opcode::kPing, "ping", true, 0x0e0f1011);
  (void)append_frame(wire, Opcode::kContinuation, small, true, 0x12131415);
}

TEST(FrameCodecAllocation, WritesAndReadsFramesWithoutAllocatingAfterWarmUp) {
  FrameDecoder decoder(Role::kServer);
  CountingHandler handler;
  std::string wire;
  wire.reserve(1 << 20);
  const std::string small(100, 's'), large(20000, 'l');
  for (int round = 0; round < 2; ++round) {
    const size_t before = allocations;
    wire.clear();
    write_round(wire, small, large);
    for (size_t pos = 0; pos < wire.size(); pos += 1000)
      decoder.feed(std::string_view(wire).substr(pos, 1000), handler);
    if (round == 1) {
      EXPECT_EQ(allocations - before, 0u);
    }
  }
  EXPECT_EQ(decoder.error(), FrameError::kNone);
  EXPECT_EQ(handler.bytes, 2 * (100 + 20000 + 200 + 4));
}

}  // namespace
}  // namespace surge::proto::ws
