// Incremental WebSocket frame reader (RFC 6455 §5) over wslay's frame API: bytes go in as they arrive, in
// any split, and whole messages, pings, pongs and the close come out as events. It keeps only the partial
// tail: wslay's 4 KiB input buffer, the fragments of an unfinished message, and up to 125 control bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "proto/ws/frame.h"

struct wslay_frame_context;

namespace surge::proto::ws {

// What the decoder reports. Payload views are valid only during the call. A handler must not destroy or
// feed the decoder it is called from.
class FrameHandler {
 public:
  virtual ~FrameHandler() = default;
  // A whole text or binary message, its fragments joined; opcode is kText or kBinary. Text is valid UTF-8.
  virtual void on_message(Opcode opcode, std::string_view payload) = 0;
  virtual void on_ping(std::string_view payload) = 0;
  virtual void on_pong(std::string_view payload) = 0;
  // The peer's close frame: code is kCloseNoStatus (1005) when the frame had no payload; reason is UTF-8.
  virtual void on_close(uint16_t code, std::string_view reason) = 0;
};

// Why the decoder stopped. Each has a printable name (to_string) for counting; the precise reason is the
// decoder's error_detail().
enum class FrameError : uint8_t {
  kNone,
  // Reserved bits set, a reserved opcode, a control frame fragmented or over 125 bytes, a length not in its
  // shortest form, a continuation with no message to continue, a new message inside a fragmented one, a
  // close frame of 1 byte or with a code that may not be sent, text or a close reason that is not UTF-8.
  kProtocolError,
  kMaskMismatch,   // a masked frame from a server, or an unmasked one from a client (RFC 6455 §5.1)
  kMessageTooBig,  // a message (all its fragments) over the decoder's limit
};

// "none", "protocol_error", "mask_mismatch", "message_too_big".
std::string_view to_string(FrameError error);

// Which end of the connection we are: a client reads unmasked frames, a server masked ones.
enum class Role : uint8_t { kClient, kServer };

class FrameDecoder {
 public:
  static constexpr size_t kDefaultMaxMessageBytes = size_t{16} << 20;

  // max_message_bytes bounds each message's payload, fragments added up. Allocates wslay's context here;
  // if that fails, the first feed() fails with kProtocolError and an out-of-memory detail.
  explicit FrameDecoder(Role role, size_t max_message_bytes = kDefaultMaxMessageBytes);
  ~FrameDecoder();
  // Movable (wslay's context keeps pointing at the same heap Input), so decoders can live in a vector.
  FrameDecoder(FrameDecoder&& other) noexcept;
  FrameDecoder& operator=(FrameDecoder&& other) = delete;
  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  // Reads every byte of `bytes` (nothing needs to be kept by the caller) and calls `handler` for each
  // event completed. Returns error(). After an error the decoder stays failed and reads nothing more; after
  // a close frame it ignores the rest (RFC 6455 §5.5.1: nothing follows a close). No allocation, except the
  // reassembly buffer growing to the largest fragmented or >4 KiB message seen (then reused).
  FrameError feed(std::string_view bytes, FrameHandler& handler);

  FrameError error() const { return error_; }
  // One line on what was wrong ("reserved opcode 0x3"); empty without an error. Valid until the next call.
  std::string_view error_detail() const { return {detail_.data(), detail_size_}; }
  // Whether the peer's close frame has been read.
  bool is_closed() const { return closed_; }
  // Ready for a new connection: the state, the error and the close are forgotten (wslay's context is made
  // again; the reassembly buffer keeps its capacity).
  void reset();

  // Where wslay pulls its input from during feed(); on the heap so the decoder can move.
  struct Input {
    const char* data = nullptr;
    size_t size = 0;
  };

 private:
  struct Chunk;

  void on_chunk(const Chunk& chunk, FrameHandler& handler);
  bool start_frame(const Chunk& chunk);
  bool start_data_frame(const Chunk& chunk);
  void on_control_bytes(const Chunk& chunk, FrameHandler& handler);
  void on_data_bytes(const Chunk& chunk, FrameHandler& handler);
  void deliver_message(Opcode opcode, std::string_view payload, FrameHandler& handler);
  void deliver_close(std::string_view payload, FrameHandler& handler);
  void fail(FrameError error, std::string_view detail, uint64_t number = kNoNumber);
  void free_context();

  static constexpr uint64_t kNoNumber = UINT64_MAX;

  wslay_frame_context* context_ = nullptr;
  std::unique_ptr<Input> input_;
  std::string message_;  // fragments of the message being reassembled (reused: clear() keeps capacity)
  uint64_t frame_length_ = 0;
  uint64_t frame_read_ = 0;
  size_t max_message_bytes_;
  std::array<char, kMaxControlPayload> control_{};
  std::array<char, 80> detail_{};
  uint8_t detail_size_ = 0;
  Role role_;
  Opcode frame_opcode_ = Opcode::kContinuation;
  Opcode message_opcode_ = Opcode::kContinuation;  // kText/kBinary while a fragmented message is open
  FrameError error_ = FrameError::kNone;
  bool in_frame_ = false;  // a frame's header has been read and some of its payload is still to come
  bool frame_fin_ = false;
  bool frame_direct_ = false;  // the whole frame came in one piece: delivered without copying
  bool closed_ = false;
};

}  // namespace surge::proto::ws
