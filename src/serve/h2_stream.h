// One HTTP/2 stream of `surge serve`: what routing and the responders need from the request (its pseudo-
// headers and the few fields an answer reads), the ResponsePlan, the bytes kept for an answer, and how far
// the response body has gone. Rendering its response headers and reading its body for DATA frames are pure
// functions of it (h2_stream.cpp).
#pragma once

#include <nghttp2/nghttp2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "serve/routes.h"

namespace surge::serve {

struct H2Stream {
  static constexpr int64_t kNotReady = INT64_MAX;  // the request is not complete yet

  int32_t id = 0;
  uint32_t ordinal = 0;  // 1 for the first stream the client opened on its connection, 2 for the next...
  // Request fields, as received (HPACK gives names in lower case).
  std::string method;
  std::string path;
  std::string content_type;   // /echo sends it back
  std::string authorization;  // /v1/whoami reads it
  std::string mcp_session_id;
  std::string mcp_protocol_version;
  uint64_t content_length = UINT64_MAX;  // the content-length field, when the request had one
  // The answer, as Connection::QueuedResponse keeps it: owned holds the content type (echo) or the context
  // kept for the answer (api, mcp), then the request body; once answered, an MCP answer's extra header
  // lines then its body, any other kOwned answer its body only.
  ResponsePlan plan;
  std::string owned;
  uint32_t prefix_bytes = 0;   // the first part of owned (type, context, or header lines)
  uint64_t request_bytes = 0;  // HEADERS block + DATA payload bytes received (X-Request-Bytes)
  uint64_t body_sent = 0;      // response body bytes given to the session so far
  int64_t ready_at_ns = kNotReady;
  bool planned = false;    // the request headers have been routed
  bool submitted = false;  // the response is in the session
  bool counted = false;    // the response is in the stats

  H2Stream* prev = nullptr;
  H2Stream* next = nullptr;
};

// Response header fields for HTTP/2: nghttp2 copies them at submit, so they may point at scratch.
class H2HeaderBlock {
 public:
  static constexpr size_t kMaxFields = 24;

  // :status, date, content-type, content-length, x-request-bytes, x-cache and (for /mcp) the extra header
  // lines with their names in lower case. The connection-specific fields an HTTP/1.1 response may carry
  // (Connection, Transfer-Encoding, Upgrade) have no place in HTTP/2 (RFC 9113 §8.2.2) and are left out.
  void render(const H2Stream& stream, std::string_view date);

  const nghttp2_nv* fields() const { return fields_; }
  size_t count() const { return count_; }

 private:
  void add(std::string_view name, std::string_view value);

  nghttp2_nv fields_[kMaxFields];
  size_t count_ = 0;
  std::string scratch_;  // numbers and lower-cased names; reserved up front so views stay valid
};

// The response body bytes of `stream` from body_sent on, up to `capacity`, copied into out; returns how
// many. An event stream (text/event-stream) stops at the end of each event, so every event is its own DATA
// frame and reaches the client as it would have been produced.
size_t read_h2_body(const H2Stream& stream, uint8_t* out, size_t capacity);
// The body bytes the response carries (0 for HEAD and for statuses without a body).
uint64_t h2_body_bytes(const ResponsePlan& plan);

}  // namespace surge::serve
