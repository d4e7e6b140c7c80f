// Printable names of ParseError, used in error counters and messages.
#include "proto/http/parse_error.h"

namespace surge::proto::http {

std::string_view to_string(ParseError error) {
  switch (error) {
    case ParseError::kNone:
      return "none";
    case ParseError::kBadStatusLine:
      return "bad status line";
    case ParseError::kBadVersion:
      return "bad version";
    case ParseError::kBadStatusCode:
      return "bad status code";
    case ParseError::kBadHeader:
      return "bad header";
    case ParseError::kHeaderTooLarge:
      return "header too large";
    case ParseError::kBadContentLength:
      return "bad content length";
    case ParseError::kConflictingLength:
      return "conflicting length";
    case ParseError::kBadChunk:
      return "bad chunk";
    case ParseError::kChunkTooLarge:
      return "chunk too large";
    case ParseError::kUnexpectedEof:
      return "unexpected eof";
    case ParseError::kLineTooLong:
      return "line too long";
  }
  return "unknown";
}

}  // namespace surge::proto::http
