// Writing frames through wslay_frame_send. wslay sends through a callback, which here appends to the
// caller's string, so one call writes the whole frame. Its contexts (4 KiB of receive buffer we never use
// here) are made once per thread and reused for every frame, so writing a frame allocates nothing of its own.
#include <wslay/wslay.h>

#include <array>
#include <string>

#include "proto/ws/frame.h"
#include "text/utf8.h"

namespace surge::proto::ws {
namespace {

// Where the frame being written goes; wslay's user_data points at the thread's one instance.
struct Sink {
  std::string* out = nullptr;
  uint32_t mask_key = 0;
};

ssize_t append_to_sink(const uint8_t* data, size_t len, int /*flags*/, void* user_data) {
  auto* sink = static_cast<Sink*>(user_data);
  sink->out->append(reinterpret_cast<const char*>(data), len);
  return static_cast<ssize_t>(len);
}

ssize_t never_receive(uint8_t* /*buf*/, size_t /*len*/, int /*flags*/, void* /*user_data*/) { return -1; }

// wslay asks for the 4 mask bytes of each masked frame: they are the caller's key, big-endian.
int give_mask_key(uint8_t* buf, size_t len, void* user_data) {
  const uint32_t key = static_cast<Sink*>(user_data)->mask_key;
  for (size_t i = 0; i < len && i < 4; ++i) buf[i] = static_cast<uint8_t>(key >> (24 - 8 * i));
  return 0;
}

class Encoder {
 public:
  Encoder() {
    const wslay_frame_callbacks callbacks{append_to_sink, never_receive, give_mask_key};
    if (wslay_frame_context_init(&context_, &callbacks, &sink_) != 0) context_ = nullptr;
  }
  ~Encoder() {
    if (context_ != nullptr) wslay_frame_context_free(context_);
  }
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  core::Result<void> write(std::string& out, Opcode opcode, std::string_view payload, bool fin,
                           std::optional<uint32_t> mask_key) {
    if (context_ == nullptr) return core::fail("cannot write a WebSocket frame: out of memory for wslay");
    sink_ = Sink{&out, mask_key.value_or(0)};
    wslay_frame_iocb iocb{};
    iocb.fin = fin ? 1 : 0;
    iocb.opcode = static_cast<uint8_t>(opcode);
    iocb.mask = mask_key ? 1 : 0;
    iocb.payload_length = payload.size();
    iocb.data = reinterpret_cast<const uint8_t*>(payload.data());
    iocb.data_length = payload.size();
    const size_t start = out.size();
    out.reserve(start + 14 + payload.size());  // the longest header is 2 + 8 length + 4 mask bytes
    // The sink takes every byte it is given, so one call sends header and payload, and wslay's output
    // state is back at "next frame" afterwards.
    const ssize_t sent = wslay_frame_send(context_, &iocb);
    if (sent != static_cast<ssize_t>(payload.size())) {
      out.resize(start);
      return core::fail("wslay could not write a " + std::string(to_string(opcode)) + " frame (error " +
                        std::to_string(sent) + ")");
    }
    return {};
  }

 private:
  wslay_frame_context_ptr context_ = nullptr;
  Sink sink_;
};

// Two encoders: wslay 1.1 sets its "mask the payload" flag on the first masked frame and never clears it,
// so one context that wrote a masked frame would XOR the payload of every later unmasked one.
Encoder& thread_encoder(bool masked) {
  static thread_local Encoder masking, plain;
  return masked ? masking : plain;
}

}  // namespace

std::string_view to_string(Opcode opcode) {
  switch (opcode) {
    case Opcode::kContinuation:
      return "continuation";
    case Opcode::kText:
      return "text";
    case Opcode::kBinary:
      return "binary";
    case Opcode::kClose:
      return "close";
    case Opcode::kPing:
      return "ping";
    case Opcode::kPong:
      return "pong";
  }
  return "reserved";
}

bool is_valid_close_code(uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

core::Result<void> append_frame(std::string& out, Opcode opcode, std::string_view payload, bool fin,
                                std::optional<uint32_t> mask_key) {
  if (is_control(opcode)) {
    if (!fin) return core::fail("a " + std::string(to_string(opcode)) + " frame cannot be fragmented");
    if (payload.size() > kMaxControlPayload) {
      return core::fail("a " + std::string(to_string(opcode)) + " frame carries at most 125 bytes, got " +
                        std::to_string(payload.size()));
    }
  }
  return thread_encoder(mask_key.has_value()).write(out, opcode, payload, fin, mask_key);
}

core::Result<void> append_close_frame(std::string& out, uint16_t code, std::string_view reason,
                                      std::optional<uint32_t> mask_key) {
  if (code == kCloseNoStatus) {
    if (!reason.empty()) return core::fail("a close frame without a code cannot carry a reason");
    return append_frame(out, Opcode::kClose, {}, true, mask_key);
  }
  if (!is_valid_close_code(code)) return core::fail("close code " + std::to_string(code) + " cannot be sent");
  if (reason.size() > kMaxCloseReason) {
    return core::fail("a close reason has at most 123 bytes, got " + std::to_string(reason.size()));
  }
  if (!text::is_valid_utf8(reason)) return core::fail("a close reason must be valid UTF-8");
  std::array<char, kMaxControlPayload> payload;
  payload[0] = static_cast<char>(code >> 8);
  payload[1] = static_cast<char>(code & 0xFF);
  reason.copy(payload.data() + 2, reason.size());
  return append_frame(out, Opcode::kClose, std::string_view(payload.data(), 2 + reason.size()), true,
                      mask_key);
}

}  // namespace surge::proto::ws
