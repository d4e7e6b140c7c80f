// WebSocket frames (RFC 6455 §5): opcodes, close codes, and writing frames into a caller's buffer through
// wslay's frame API. Reading them is FrameDecoder's job (frame_decoder.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::proto::ws {

// RFC 6455 §5.2; 0x3-0x7 and 0xB-0xF are reserved and a protocol error when received.
enum class Opcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// "continuation", "text", "binary", "close", "ping", "pong".
std::string_view to_string(Opcode opcode);

inline bool is_control(Opcode opcode) { return (static_cast<uint8_t>(opcode) & 0x8) != 0; }

// Control frames carry at most 125 payload bytes and are never fragmented (RFC 6455 §5.5); a close frame's
// reason therefore has at most 123 bytes after its 2-byte code.
inline constexpr size_t kMaxControlPayload = 125;
inline constexpr size_t kMaxCloseReason = kMaxControlPayload - 2;

// Close codes of RFC 6455 §7.4.1 that surge sends or reports.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseNoStatus = 1005;  // reported for a close frame without a code; never sent
inline constexpr uint16_t kCloseMessageTooBig = 1009;

// Whether `code` may travel in a close frame (RFC 6455 §7.4): 1000-1003, 1007-1014 (the IANA registry's
// 1012-1014 included), and 3000-4999 for libraries and applications. 1004-1006 and 1015 are reserved for
// reporting, everything else is undefined.
bool is_valid_close_code(uint16_t code);

// Appends one frame to `out` (wire bytes, RFC 6455 §5.2: the shortest length form, then the mask key and
// the payload). Clients mask every frame and servers never do (§5.1, §5.3): pass the 4 mask bytes as
// mask_key, whose most significant byte goes first on the wire, or nullopt for an unmasked frame. Fails
// without writing anything for a control frame that is fragmented or over 125 bytes (§5.5). Allocates only
// when `out` has to grow.
core::Result<void> append_frame(std::string& out, Opcode opcode, std::string_view payload, bool fin,
                                std::optional<uint32_t> mask_key);

// Appends a close frame (§5.5.1): code (big-endian) then reason. code == kCloseNoStatus sends an empty
// payload, as the code itself must not be sent. Fails for a code is_valid_close_code rejects or a reason
// over kMaxCloseReason bytes.
core::Result<void> append_close_frame(std::string& out, uint16_t code, std::string_view reason,
                                      std::optional<uint32_t> mask_key);

}  // namespace surge::proto::ws
