// FrameDecoder: wslay_frame_recv pulls bytes through a callback and returns each frame's payload in pieces,
// with the header facts; we check what wslay leaves to its caller (reserved bits and opcodes, masking,
// fragmentation order, sizes, close codes, UTF-8) and turn pieces into messages and events.
#include "proto/ws/frame_decoder.h"

#include <wslay/wslay.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "text/utf8.h"

namespace surge::proto::ws {

// One piece of a frame's payload as wslay returns it, with the header of its frame.
struct FrameDecoder::Chunk {
  uint8_t opcode;
  uint8_t rsv;
  bool fin;
  bool masked;
  uint64_t payload_length;
  std::string_view data;
};

namespace {

ssize_t pull_input(uint8_t* buf, size_t len, int /*flags*/, void* user_data) {
  auto* input = static_cast<FrameDecoder::Input*>(user_data);
  const size_t take = std::min(len, input->size);
  if (take == 0) return -1;  // wslay turns this into WSLAY_ERR_WANT_READ
  std::memcpy(buf, input->data, take);
  input->data += take;
  input->size -= take;
  return static_cast<ssize_t>(take);
}

ssize_t never_send(const uint8_t* /*data*/, size_t /*len*/, int /*flags*/, void* /*user_data*/) { return -1; }
int no_mask(uint8_t* /*buf*/, size_t /*len*/, void* /*user_data*/) { return -1; }

bool is_known_opcode(uint8_t opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }

}  // namespace

std::string_view to_string(FrameError error) {
  switch (error) {
    case FrameError::kNone:
      return "none";
    case FrameError::kProtocolError:
      return "protocol_error";
    case FrameError::kMaskMismatch:
      return "mask_mismatch";
    case FrameError::kMessageTooBig:
      return "message_too_big";
  }
  return "unknown";
}

FrameDecoder::FrameDecoder(Role role, size_t max_message_bytes)
    : input_(std::make_unique<Input>()), max_message_bytes_(max_message_bytes), role_(role) {
  reset();
}

FrameDecoder::~FrameDecoder() { free_context(); }

FrameDecoder::FrameDecoder(FrameDecoder&& other) noexcept
    : context_(other.context_),
      input_(std::move(other.input_)),
      message_(std::move(other.message_)),
      frame_length_(other.frame_length_),
      frame_read_(other.frame_read_),
      max_message_bytes_(other.max_message_bytes_),
      control_(other.control_),
      detail_(other.detail_),
      detail_size_(other.detail_size_),
      role_(other.role_),
      frame_opcode_(other.frame_opcode_),
      message_opcode_(other.message_opcode_),
      error_(other.error_),
      in_frame_(other.in_frame_),
      frame_fin_(other.frame_fin_),
      frame_direct_(other.frame_direct_),
      closed_(other.closed_) {
  other.context_ = nullptr;
}

void FrameDecoder::free_context() {
  if (context_ != nullptr) wslay_frame_context_free(context_);
  context_ = nullptr;
}

void FrameDecoder::reset() {
  free_context();
  if (input_ == nullptr) input_ = std::make_unique<Input>();
  *input_ = Input{};
  message_.clear();
  frame_length_ = frame_read_ = 0;
  detail_size_ = 0;
  frame_opcode_ = message_opcode_ = Opcode::kContinuation;
  error_ = FrameError::kNone;
  in_frame_ = frame_fin_ = frame_direct_ = closed_ = false;
  const wslay_frame_callbacks callbacks{never_send, pull_input, no_mask};
  if (wslay_frame_context_init(&context_, &callbacks, input_.get()) != 0) {
    context_ = nullptr;
    fail(FrameError::kProtocolError, "out of memory for wslay's frame context");
  }
}

FrameError FrameDecoder::feed(std::string_view bytes, FrameHandler& handler) {
  if (error_ != FrameError::kNone || closed_) return error_;
  input_->data = bytes.data();
  input_->size = bytes.size();
  while (error_ == FrameError::kNone && !closed_) {
    wslay_frame_iocb iocb{};
    const ssize_t result = wslay_frame_recv(context_, &iocb);
    // WANT_READ only comes once the callback found no input left: wslay's buffer always has room for the
    // few header bytes it waits for.
    if (result == WSLAY_ERR_WANT_READ) break;
    if (result < 0) {
      // wslay's own header checks (RFC 6455 §5.2, §5.5): the only ones it makes before returning a frame.
      fail(FrameError::kProtocolError,
           "control frame fragmented or over 125 bytes, or a length not in its shortest form");
      break;
    }
    const Chunk chunk{iocb.opcode,         iocb.rsv,
                      iocb.fin != 0,       iocb.mask != 0,
                      iocb.payload_length, {reinterpret_cast<const char*>(iocb.data), iocb.data_length}};
    on_chunk(chunk, handler);
  }
  *input_ = Input{};
  return error_;
}

void FrameDecoder::on_chunk(const Chunk& chunk, FrameHandler& handler) {
  if (!in_frame_ && !start_frame(chunk)) return;
  frame_read_ += chunk.data.size();
  if (is_control(frame_opcode_)) {
    on_control_bytes(chunk, handler);
  } else {
    on_data_bytes(chunk, handler);
  }
}

// The first piece of a frame: the header checks left to us, in wire order of the fields they look at.
bool FrameDecoder::start_frame(const Chunk& chunk) {
  if (chunk.rsv != 0) {
    fail(FrameError::kProtocolError, "reserved bits set without a negotiated extension");
    return false;
  }
  if (!is_known_opcode(chunk.opcode)) {
    fail(FrameError::kProtocolError, "reserved opcode 0x", chunk.opcode);
    return false;
  }
  if (chunk.masked != (role_ == Role::kServer)) {
    fail(FrameError::kMaskMismatch,
         role_ == Role::kServer ? "unmasked frame from a client" : "masked frame from a server");
    return false;
  }
  in_frame_ = true;
  frame_opcode_ = static_cast<Opcode>(chunk.opcode);
  frame_fin_ = chunk.fin;
  frame_length_ = chunk.payload_length;
  frame_read_ = 0;
  frame_direct_ = false;
  return is_control(frame_opcode_) || start_data_frame(chunk);
}

bool FrameDecoder::start_data_frame(const Chunk& chunk) {
  const bool continues = frame_opcode_ == Opcode::kContinuation;
  const bool open = message_opcode_ != Opcode::kContinuation;
  if (continues && !open) {
    fail(FrameError::kProtocolError, "continuation frame without a message to continue");
    return false;
  }
  if (!continues && open) {
    fail(FrameError::kProtocolError, "new message inside a fragmented one");
    return false;
  }
  const uint64_t so_far = message_.size();
  if (frame_length_ > max_message_bytes_ - so_far) {
    fail(FrameError::kMessageTooBig, "message over the limit of ", max_message_bytes_);
    return false;
  }
  if (!continues) message_opcode_ = frame_opcode_;
  // A whole message in one piece needs no copy: it is delivered from wslay's buffer.
  frame_direct_ = frame_fin_ && !continues && chunk.data.size() == frame_length_;
  return true;
}

void FrameDecoder::on_control_bytes(const Chunk& chunk, FrameHandler& handler) {
  // wslay has rejected control frames over 125 bytes, so frame_read_ <= control_.size().
  std::memcpy(control_.data() + (frame_read_ - chunk.data.size()), chunk.data.data(), chunk.data.size());
  if (frame_read_ < frame_length_) return;
  in_frame_ = false;
  const std::string_view payload(control_.data(), frame_length_);
  if (frame_opcode_ == Opcode::kPing) {
    handler.on_ping(payload);
  } else if (frame_opcode_ == Opcode::kPong) {
    handler.on_pong(payload);
  } else {
    deliver_close(payload, handler);
  }
}

void FrameDecoder::on_data_bytes(const Chunk& chunk, FrameHandler& handler) {
  if (frame_direct_) {
    in_frame_ = false;
    message_opcode_ = Opcode::kContinuation;
    deliver_message(frame_opcode_, chunk.data, handler);
    return;
  }
  message_.append(chunk.data);
  if (frame_read_ < frame_length_) return;
  in_frame_ = false;
  if (!frame_fin_) return;
  const Opcode opcode = message_opcode_;
  message_opcode_ = Opcode::kContinuation;
  deliver_message(opcode, message_, handler);
  message_.clear();
}

void FrameDecoder::deliver_message(Opcode opcode, std::string_view payload, FrameHandler& handler) {
  if (opcode == Opcode::kText && !text::is_valid_utf8(payload)) {
    fail(FrameError::kProtocolError, "text message is not valid UTF-8");
    return;
  }
  handler.on_message(opcode, payload);
}

// RFC 6455 §5.5.1: empty, or a 2-byte code and a UTF-8 reason.
void FrameDecoder::deliver_close(std::string_view payload, FrameHandler& handler) {
  if (payload.size() == 1) {
    fail(FrameError::kProtocolError, "close frame with a 1-byte payload");
    return;
  }
  uint16_t code = kCloseNoStatus;
  std::string_view reason;
  if (!payload.empty()) {
    code = static_cast<uint16_t>((static_cast<uint8_t>(payload[0]) << 8) | static_cast<uint8_t>(payload[1]));
    reason = payload.substr(2);
    if (!is_valid_close_code(code)) {
      fail(FrameError::kProtocolError, "close code not allowed in a close frame: ", code);
      return;
    }
    if (!text::is_valid_utf8(reason)) {
      fail(FrameError::kProtocolError, "close reason is not valid UTF-8");
      return;
    }
  }
  closed_ = true;
  handler.on_close(code, reason);
}

// Records the error and its one-line detail; `number` (when given) is appended, in hex after "0x".
void FrameDecoder::fail(FrameError error, std::string_view detail, uint64_t number) {
  error_ = error;
  const size_t size = std::min(detail.size(), detail_.size());
  detail.copy(detail_.data(), size);
  char* end = detail_.data() + size;
  if (number != kNoNumber) {
    const int base = detail.ends_with("0x") ? 16 : 10;
    end = std::to_chars(end, detail_.data() + detail_.size(), number, base).ptr;
  }
  detail_size_ = static_cast<uint8_t>(end - detail_.data());
}

}  // namespace surge::proto::ws
