// Private to the ResponseParser implementation: its parse states and the fields it recognises, shared by
// response_parser.cpp (status line, body) and response_framing.cpp (field lines).
#pragma once

#include <cstdint>
#include <string_view>

#include "proto/http/response_parser.h"

namespace surge::proto::http {

// Ordered: every head state sorts before kBodyLength, every status-line state before kLineStart, and the
// two end states last, so phases are told apart with one comparison.
enum class ResponseParser::State : uint8_t {
  kVersion,     // "HTTP/1." matched up to progress_
  kMinor,       // the minor version digit
  kCodeSpace,   // the single SP before the status code
  kCode,        // status code digits, progress_ counts them
  kReason,      // reason phrase, ignored
  kStatusLf,    // CR at the end of the status line seen
  kLineStart,   // start of a field line, or of the empty line that ends the head
  kName,        // name of a field that may still be one framing depends on
  kOtherName,   // name of any other field, scanned without matching
  kValue,       // value of Content-Length, Transfer-Encoding or Connection
  kOtherValue,  // value of any other field, skipped unseen
  kLineLf,      // CR at the end of a field line seen
  kHeadLf,      // CR of the empty line seen
  kBodyLength,
  kBodyChunked,
  kBodyUntilClose,
  kComplete,
  kError,
};

// The fields framing depends on. For Connection, the variant also records which token the current list
// element is being matched against (chosen by its first byte).
enum class ResponseParser::Field : uint8_t {
  kOther,
  kContentLength,
  kTransferEncoding,
  kConnection,
  kConnectionClose,
  kConnectionKeepAlive,
};

// progress_ while reading a token list element (Transfer-Encoding, Connection): bytes matched against the
// wanted token, plus flags. 0 means the element is still empty.
constexpr uint8_t kMatchedMask = 0x1f;
constexpr uint8_t kTokenEnded = 0x20;    // OWS or ';' after the token
constexpr uint8_t kMismatch = 0x40;
constexpr uint8_t kInParameters = 0x80;  // after ';': parameters are ignored

}  // namespace surge::proto::http
