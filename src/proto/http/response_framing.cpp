// ResponseParser framing: the values of Content-Length, Transfer-Encoding and Connection read byte by byte
// (a head may be split anywhere between reads), the message-length decision of RFC 9112 §6.3 at the end
// of the head, and the body.
#include <algorithm>
#include <string_view>

#include "proto/http/field_rules.h"
#include "proto/http/response_parser.h"
#include "proto/http/response_states.h"

namespace surge::proto::http {

namespace {

// progress_ while reading a Content-Length value: low bits are where we are in the current list element,
// kLengthSeen says some element of this field carried a number.
constexpr uint8_t kBeforeDigits = 0;
constexpr uint8_t kInDigits = 1;
constexpr uint8_t kAfterDigits = 2;
constexpr uint8_t kLengthPosition = 3;
constexpr uint8_t kLengthSeen = 0x80;

}  // namespace

// The token the current list element is matched against; empty for a Connection element that cannot be
// either token we look for.
std::string_view ResponseParser::wanted_token() const {
  switch (field_) {
    case Field::kTransferEncoding:
      return "chunked";
    case Field::kConnectionClose:
      return "close";
    case Field::kConnectionKeepAlive:
      return "keep-alive";
    default:
      return "";
  }
}

void ResponseParser::on_value_byte(char c) {
  if (field_ == Field::kContentLength) return on_length_byte(c);
  on_token_byte(c);
}

void ResponseParser::on_length_byte(char c) {
  uint8_t position = progress_ & kLengthPosition;
  if (is_ows(c)) {
    if (position == kInDigits) progress_ = (progress_ & kLengthSeen) | kAfterDigits;
  } else if (c == ',') {
    end_field_item();
  } else if (c >= '0' && c <= '9' && position != kAfterDigits) {
    auto digit = static_cast<uint64_t>(c - '0');
    if (number_ > (UINT64_MAX - digit) / 10) return fail(ParseError::kBadContentLength);
    number_ = number_ * 10 + digit;
    progress_ = (progress_ & kLengthSeen) | kInDigits;
  } else {
    fail(ParseError::kBadContentLength);  // '-', '+', a letter, or "5 5"
  }
}

void ResponseParser::on_token_byte(char c) {
  if (c == ',') return end_field_item();
  if (progress_ & kInParameters) return;
  if (c == ';') {
    if (progress_ == 0) progress_ |= kMismatch;  // parameters with no coding name
    progress_ |= kTokenEnded | kInParameters;
    return;
  }
  if (is_ows(c)) {
    if (progress_ != 0) progress_ |= kTokenEnded;
    return;
  }
  // A second word after whitespace ("chunked chunked") is not the token: the element does not match.
  if (progress_ & kTokenEnded) progress_ |= kMismatch;
  if (progress_ & kMismatch) return;
  char lower = to_lower_ascii(c);
  if (progress_ == 0 && field_ >= Field::kConnection) {
    field_ = lower == 'c'   ? Field::kConnectionClose
             : lower == 'k' ? Field::kConnectionKeepAlive
                            : Field::kConnection;
  }
  std::string_view wanted = wanted_token();
  size_t matched = progress_ & kMatchedMask;
  if (matched < wanted.size() && wanted[matched] == lower) {
    ++progress_;
  } else {
    progress_ |= kMismatch;
  }
}

// One comma-separated element of the current field is complete.
void ResponseParser::end_field_item() {
  if (field_ == Field::kContentLength) {
    if ((progress_ & kLengthPosition) == kBeforeDigits)
      return;  // empty elements are ignored (RFC 9110 §5.6.1)
    if ((flags_ & kHasLength) && content_length_ != number_) return fail(ParseError::kConflictingLength);
    content_length_ = number_;
    flags_ |= kHasLength;
    number_ = 0;
    progress_ = kLengthSeen;
    return;
  }
  if (progress_ == 0) return;
  std::string_view wanted = wanted_token();
  bool matched = !wanted.empty() && !(progress_ & kMismatch) && (progress_ & kMatchedMask) == wanted.size();
  if (field_ == Field::kTransferEncoding) {
    flags_ = static_cast<uint8_t>(matched ? (flags_ | kChunkedLast) : (flags_ & ~kChunkedLast));
  } else {
    if (matched && field_ == Field::kConnectionClose) flags_ |= kSawClose;
    if (matched && field_ == Field::kConnectionKeepAlive) flags_ |= kSawKeepAlive;
    field_ = Field::kConnection;
  }
  progress_ = 0;
}

void ResponseParser::end_field() {
  end_field_item();
  if (field_ == Field::kContentLength && state_ != State::kError && !(progress_ & kLengthSeen)) {
    fail(ParseError::kBadContentLength);  // no number in the whole value
  }
  field_ = Field::kOther;
}

void ResponseParser::end_head() {
  uint16_t code = status_code_;
  if (code < 200 && code != 101) {
    // Interim response (100 Continue, 103 Early Hints): no body; the final response follows on the wire.
    reset_head();
    state_ = State::kVersion;
    return;
  }
  bool persistent =
      minor_version_ >= 1 ? !(flags_ & kSawClose) : (flags_ & kSawKeepAlive) && !(flags_ & kSawClose);
  if ((flags_ & kIsHead) || code == 204 || code == 304 || code == 101) {
    if (persistent && code != 101) flags_ |= kKeepAlive;
    return complete();
  }
  if (flags_ & kHasTransferEncoding) {
    // RFC 9112 §6.1: with Content-Length too, or in HTTP/1.0, the framing is suspect; close afterwards.
    if (!(flags_ & kChunkedLast)) return start_body(State::kBodyUntilClose);
    if (persistent && !(flags_ & kHasLength) && minor_version_ >= 1) flags_ |= kKeepAlive;
    return start_body(State::kBodyChunked);
  }
  if (persistent && (flags_ & kHasLength)) flags_ |= kKeepAlive;
  if (!(flags_ & kHasLength)) return start_body(State::kBodyUntilClose);
  if (content_length_ == 0) return complete();
  start_body(State::kBodyLength);
}

void ResponseParser::start_body(State body_state) {
  if (body_state == State::kBodyChunked) chunked_.reset();
  state_ = body_state;
}

size_t ResponseParser::feed_body(const char* data, size_t len) {
  if (state_ == State::kBodyLength) {
    // Known length: counted, never looked at.
    size_t run = static_cast<size_t>(std::min<uint64_t>(content_length_ - body_bytes_, len));
    body_bytes_ += run;
    if (body_bytes_ == content_length_) complete();
    return run;
  }
  if (state_ == State::kBodyUntilClose) {
    body_bytes_ += len;
    return len;
  }
  size_t used = 0;
  while (used < len) {
    std::string_view chunk;
    used += chunked_.decode(data + used, len - used, &chunk);
    body_bytes_ += chunk.size();
    if (chunked_.error() != ParseError::kNone) {
      fail(chunked_.error());
      break;
    }
    if (chunked_.is_done()) {
      complete();
      break;
    }
  }
  return used;
}

}  // namespace surge::proto::http
