// The closed set of ways an HTTP/1.1 message can be malformed, shared by the response parser, the request
// parser and the chunked decoder. Each has a printable name so callers can count and report it.
#pragma once

#include <cstdint>
#include <string_view>

namespace surge::proto::http {

enum class ParseError : uint8_t {
  kNone,
  kBadStatusLine,      // the first line does not start "HTTP/" or is cut by a bare CR
  kBadVersion,         // not HTTP/1.x
  kBadStatusCode,      // not exactly three digits in 100..999
  kBadHeader,          // no ':', a bad name byte, space before ':', obs-fold, bare CR, NUL
  kHeaderTooLarge,     // head (or chunked trailer section) over its byte limit
  kBadContentLength,   // empty, non-digit, negative or overflowing Content-Length
  kConflictingLength,  // two Content-Length values that differ (RFC 9112 §6.3 rule 5)
  kBadChunk,           // chunk framing: bad hex size, missing CRLF after data, overlong size line
  kChunkTooLarge,      // chunk size does not fit in 64 bits
  kUnexpectedEof,      // the peer closed before the message was complete
  kLineTooLong,        // a status or field line over its byte limit (the response parser's max_line_bytes)
};

// "bad status line", "unexpected eof", ...; "none" for kNone.
std::string_view to_string(ParseError error);

}  // namespace surge::proto::http
