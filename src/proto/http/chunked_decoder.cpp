// Chunked transfer coding, byte-at-a-time for the framing and one arithmetic step per data run, so chunk
// payloads are never looped over. Lenient where RFC 9112 allows (bare LF line ends, BWS before ';').
#include "proto/http/chunked_decoder.h"

#include <algorithm>

#include "proto/http/field_rules.h"
#include "text/hex.h"

namespace surge::proto::http {

size_t ChunkedDecoder::decode(const char* data, size_t len, std::string_view* chunk) {
  *chunk = {};
  size_t used = 0;
  while (used < len) {
    if (state_ == State::kData) {
      size_t run = static_cast<size_t>(std::min<uint64_t>(remaining_, len - used));
      *chunk = std::string_view(data + used, run);
      remaining_ -= run;
      if (remaining_ == 0) state_ = State::kDataCr;
      return used + run;
    }
    if (state_ == State::kDone || state_ == State::kError) return used;
    used += decode_framing(data + used, len - used);
  }
  return used;
}

// Consumes framing bytes up to the first data byte, the end of the body, or the end of the input.
size_t ChunkedDecoder::decode_framing(const char* data, size_t len) {
  size_t used = 0;
  while (used < len && state_ != State::kData && state_ != State::kDone && state_ != State::kError) {
    on_framing_byte(data[used++]);
  }
  return used;
}

void ChunkedDecoder::on_framing_byte(char c) {
  if (++framing_bytes_ > kMaxFramingBytes) {
    return fail(state_ >= State::kTrailerStart ? ParseError::kHeaderTooLarge : ParseError::kBadChunk);
  }
  if (state_ <= State::kSizeLf) return on_size_line_byte(c);
  on_line_end_byte(c);
}

// The chunk-size line: hex size, optional BWS, ignored extensions, line end.
void ChunkedDecoder::on_size_line_byte(char c) {
  int digit = text::hex_digit_value(c);
  switch (state_) {
    case State::kSizeStart:
      if (digit < 0) return fail(ParseError::kBadChunk);
      remaining_ = static_cast<uint64_t>(digit);
      state_ = State::kSize;
      return;
    case State::kSize:
      if (digit >= 0) {
        // With the top nibble in use, one more digit would shift bits out of the 64-bit size.
        if (remaining_ >> 60) return fail(ParseError::kChunkTooLarge);
        remaining_ = (remaining_ << 4) | static_cast<uint64_t>(digit);
        return;
      }
      [[fallthrough]];
    case State::kSizeSpace:
      if (is_ows(c)) {
        state_ = State::kSizeSpace;
      } else if (c == ';') {
        state_ = State::kExtension;
      } else if (c == '\r') {
        state_ = State::kSizeLf;
      } else if (c == '\n') {
        on_size_line_end();
      } else {
        fail(ParseError::kBadChunk);
      }
      return;
    case State::kExtension:
      if (c == '\r') state_ = State::kSizeLf;
      if (c == '\n') on_size_line_end();
      return;
    case State::kSizeLf:
      if (c != '\n') return fail(ParseError::kBadChunk);
      return on_size_line_end();
    default:
      return;
  }
}

// The CRLF after chunk data, and the trailer section after the last chunk.
void ChunkedDecoder::on_line_end_byte(char c) {
  switch (state_) {
    case State::kDataCr:
      if (c == '\r') {
        state_ = State::kDataLf;
        return;
      }
      [[fallthrough]];
    case State::kDataLf:
      if (c != '\n') return fail(ParseError::kBadChunk);
      state_ = State::kSizeStart;
      framing_bytes_ = 0;
      return;
    case State::kTrailerStart:
      state_ = c == '\r' ? State::kEndLf : c == '\n' ? State::kDone : State::kTrailerLine;
      return;
    case State::kTrailerLine:
      if (c == '\r') state_ = State::kTrailerLf;
      if (c == '\n') state_ = State::kTrailerStart;
      return;
    case State::kTrailerLf:
    case State::kEndLf:
      if (c != '\n') return fail(ParseError::kBadChunk);
      state_ = state_ == State::kEndLf ? State::kDone : State::kTrailerStart;
      return;
    default:
      return;
  }
}

void ChunkedDecoder::on_size_line_end() {
  framing_bytes_ = 0;
  state_ = remaining_ == 0 ? State::kTrailerStart : State::kData;
}

}  // namespace surge::proto::http
