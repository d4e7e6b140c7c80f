// Streaming decoder of the chunked transfer coding (RFC 9112 §7.1), shared by the response parser and the
// server's request-body reader. It keeps 16 bytes of state and never needs earlier input again, so any
// split of the stream between calls decodes the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proto/http/parse_error.h"

namespace surge::proto::http {

class ChunkedDecoder {
 public:
  // Bound on one chunk-size line (with extensions) and on the whole trailer section: framing a peer could
  // otherwise stream forever without producing a byte of body.
  static constexpr uint32_t kMaxFramingBytes = 64 * 1024;

  // Prepares for a new chunked body.
  void reset() { *this = ChunkedDecoder(); }

  // Consumes framing bytes and at most one run of chunk data from data[0, len), and points *chunk at that
  // run inside `data` (empty when none). Returns the bytes consumed; stops early after a data run or at the
  // end of the trailer section. Call again with the rest while !is_done() && error() == kNone.
  // Chunk extensions and trailer fields are read and ignored.
  size_t decode(const char* data, size_t len, std::string_view* chunk);

  bool is_done() const { return state_ == State::kDone; }
  ParseError error() const { return error_; }

 private:
  enum class State : uint8_t {
    kSizeStart,  // first hex digit of a chunk size
    kSize,       // more hex digits
    kSizeSpace,  // BWS after the size, before ';' or the line end
    kExtension,  // ";name=value" ignored up to the line end
    kSizeLf,     // CR seen at the end of the size line
    kData,       // remaining_ bytes of chunk data
    kDataCr,     // CRLF after the data
    kDataLf,
    kTrailerStart,  // start of a trailer line, or the final empty line
    kTrailerLine,   // a trailer field, ignored
    kTrailerLf,
    kEndLf,  // CR of the final empty line seen
    kDone,
    kError,
  };

  size_t decode_framing(const char* data, size_t len);
  void on_framing_byte(char c);
  void on_size_line_byte(char c);
  void on_line_end_byte(char c);
  void on_size_line_end();
  void fail(ParseError error) {
    error_ = error;
    state_ = State::kError;
  }

  uint64_t remaining_ = 0;      // chunk size being read, then data bytes left in the chunk
  uint32_t framing_bytes_ = 0;  // bytes of the current size line, or of the trailer section so far
  State state_ = State::kSizeStart;
  ParseError error_ = ParseError::kNone;
};

static_assert(sizeof(ChunkedDecoder) <= 16, "ChunkedDecoder is embedded in every response parser");

}  // namespace surge::proto::http
