// libFuzzer target for the WebSocket FrameDecoder (built and run as tests/fuzz/CMakeLists.txt says).
// The first byte picks the role, the limit and the read size, so one input also tests every split; the
// oracle is the sanitizers plus the decoder's own promises (a failed decoder stays failed and says why).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/ws/frame_decoder.h"

namespace {

using surge::proto::ws::FrameDecoder;
using surge::proto::ws::FrameError;
using surge::proto::ws::Opcode;

class Sink final : public surge::proto::ws::FrameHandler {
 public:
  void on_message(Opcode opcode, std::string_view payload) override {
    if (opcode != Opcode::kText && opcode != Opcode::kBinary) std::abort();
    bytes_ += payload.size();
  }
  void on_ping(std::string_view payload) override { check_control(payload); }
  void on_pong(std::string_view payload) override { check_control(payload); }
  void on_close(uint16_t, std::string_view reason) override { check_control(reason); }

 private:
  static void check_control(std::string_view payload) {
    if (payload.size() > 125) std::abort();
  }
  size_t bytes_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = data[0];
  const auto role = (control & 1) ? surge::proto::ws::Role::kServer : surge::proto::ws::Role::kClient;
  const size_t limit = (control & 2) ? 300 : FrameDecoder::kDefaultMaxMessageBytes;
  const size_t read_size = 1 + (control >> 2);
  FrameDecoder decoder(role, limit);
  Sink sink;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  while (!input.empty()) {
    const std::string_view piece = input.substr(0, read_size);
    input.remove_prefix(piece.size());
    const FrameError error = decoder.feed(piece, sink);
    if (error != FrameError::kNone) {
      if (decoder.error_detail().empty()) std::abort();
      if (decoder.feed(piece, sink) != error) std::abort();  // stays failed
      break;
    }
  }
  return 0;
}
