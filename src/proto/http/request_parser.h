// Server-side HTTP/1.1 request parsing for the built-in target (`surge serve`). The server keeps each
// connection's input contiguous, so the head is parsed in place and the result points into that buffer.
// Chunked request bodies go through ChunkedDecoder (proto/http/chunked_decoder.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace surge::proto::http {

inline constexpr size_t kMaxRequestHeadBytes = 64 * 1024;
inline constexpr size_t kMaxRequestTargetBytes = 8 * 1024;

struct Request {
  std::string_view method;       // token, case as sent
  std::string_view target;       // path?query as sent
  int minor_version = 1;         // HTTP/1.<minor_version>
  bool keep_alive = true;        // HTTP/1.1 unless "Connection: close"; 1.0 only with "keep-alive"
  bool chunked = false;          // body framed by the chunked coding; content_length is then 0
  uint64_t content_length = 0;   // body bytes when !chunked (0 when no Content-Length)
  size_t head_bytes = 0;         // bytes from the buffer start to the body, leading empty lines included
  bool expect_continue = false;  // "Expect: 100-continue": answer 100 before reading the body
};

enum class RequestParseResult { kNeedMore, kComplete, kError };

// Parses the request head at the start of `buffer` (request line, fields, empty line). kComplete fills
// `out`, whose views point into `buffer`; kNeedMore means the head is not all there yet; kError writes a
// one-line reason to *error_message (if not null) and the server should answer 400 and close. Lines may
// end in CRLF or LF. Heads over kMaxRequestHeadBytes and targets over kMaxRequestTargetBytes are errors.
// The head is re-parsed from the start on each call; heads are small, so this costs little.
RequestParseResult parse_request_head(std::string_view buffer, Request& out, std::string* error_message);

}  // namespace surge::proto::http
