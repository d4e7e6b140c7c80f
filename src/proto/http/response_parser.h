// Client-side HTTP/1.1 response parser: the load generator's hot path. Streaming and incremental; it keeps
// no input bytes between feed() calls (the worker reuses one read buffer and keeps no tail), only the few
// facts framing needs, in 64 bytes, with no heap, exceptions or virtual calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proto/http/chunked_decoder.h"
#include "proto/http/parse_error.h"

namespace surge::proto::http {

class ResponseParser {
 public:
  static constexpr uint32_t kDefaultMaxHeadBytes = 64 * 1024;
  static constexpr uint32_t kDefaultMaxLineBytes = 16 * 1024;

  enum class Status : uint8_t { kNeedMore, kComplete, kError };

  // max_head_bytes bounds each response head (status line, fields, final empty line); more is
  // kHeaderTooLarge. Interim 1xx heads are bounded one by one. max_line_bytes bounds each line of a head,
  // its line end included; more is kLineTooLong (a limit above max_head_bytes never applies).
  explicit ResponseParser(uint32_t max_head_bytes = kDefaultMaxHeadBytes,
                          uint32_t max_line_bytes = kDefaultMaxLineBytes);

  // Call before each response on a connection. A response to HEAD has no body whatever its fields say.
  void start(bool is_head_request);
  void set_max_head_bytes(uint32_t max_head_bytes) { max_head_bytes_ = max_head_bytes; }
  void set_max_line_bytes(uint32_t max_line_bytes) { max_line_bytes_ = max_line_bytes; }

  // Parses data[0, len) and returns how many bytes belong to this response. It stops right after a
  // complete response; the rest belongs to the next one (pipelining) and needs start() first. Does nothing
  // once the status is kComplete or kError.
  size_t feed(const char* data, size_t len);

  // The peer closed the connection: completes a body delimited by the close, anything else unfinished
  // becomes kUnexpectedEof. No effect once complete or failed.
  void finish_on_eof();

  Status status() const;
  ParseError error() const { return error_; }

  // Final status code; 0 until its status line was read. Interim 1xx responses are skipped (RFC 9112 §6.3,
  // RFC 9110 §15.2) and never show here; 101 Switching Protocols is final and has no body.
  int status_code() const { return status_code_; }
  // Whether the connection may carry another request: HTTP/1.1 unless "Connection: close", HTTP/1.0 only
  // with "Connection: keep-alive"; false for a body delimited by close, for Transfer-Encoding together with
  // Content-Length (RFC 9112 §6.1 says close after), and after 101. Meaningful once complete.
  bool keep_alive() const { return (flags_ & kKeepAlive) != 0; }
  // HTTP/1.<minor> of the final response.
  int minor_version() const { return minor_version_; }
  // Body bytes after decoding: chunk sizes, extensions, CRLFs and trailers excluded.
  uint64_t body_bytes() const { return body_bytes_; }
  // Every byte consumed for this response: interim heads, the head and the body framing included.
  uint64_t wire_bytes() const { return wire_bytes_; }

 private:
  enum class State : uint8_t;
  enum class Field : uint8_t;

  // flags_ bits: the framing facts gathered from the head, then the verdict.
  static constexpr uint8_t kIsHead = 1 << 0;
  static constexpr uint8_t kHasLength = 1 << 1;
  static constexpr uint8_t kHasTransferEncoding = 1 << 2;
  static constexpr uint8_t kChunkedLast = 1 << 3;  // final transfer coding seen so far is "chunked"
  static constexpr uint8_t kSawClose = 1 << 4;
  static constexpr uint8_t kSawKeepAlive = 1 << 5;
  static constexpr uint8_t kKeepAlive = 1 << 6;

  void reset_head();
  size_t feed_head(const char* data, size_t len);
  bool on_head_byte(char c);
  bool status_line_at_once(const char* data);
  void on_status_line_byte(char c);
  bool on_field_byte(char c);
  void start_name(char c);
  void name_at_once(const char* rest, size_t size);
  size_t token_value_at_once(const char* data, size_t from, size_t limit);
  void on_name_byte(char c);
  void end_name();
  void on_value_byte(char c);
  void on_length_byte(char c);
  void on_token_byte(char c);
  std::string_view wanted_token() const;
  void end_field_item();
  void end_field();
  void end_head();
  void start_body(State body_state);
  size_t feed_body(const char* data, size_t len);
  void complete();
  void fail(ParseError error);

  ChunkedDecoder chunked_;
  uint64_t content_length_ = 0;  // the Content-Length value, once one was read
  uint64_t number_ = 0;          // digits of the Content-Length value being read
  uint64_t body_bytes_ = 0;
  uint64_t wire_bytes_ = 0;
  uint32_t head_bytes_ = 0;  // bytes of the current head, interim heads counted apart
  uint32_t max_head_bytes_;
  uint32_t line_bytes_ = 0;  // bytes of the current head line read in earlier feeds
  uint32_t max_line_bytes_;
  uint16_t status_code_ = 0;
  State state_{};
  ParseError error_ = ParseError::kNone;
  uint8_t minor_version_ = 0;
  uint8_t flags_ = 0;
  Field field_{};         // which field the current line is, and for Connection which token is matched
  uint8_t progress_ = 0;  // position within the current name or list element (see response_framing.cpp)
};

// A cache line plus the line limit's 8 bytes: a hostile peer's endless field line must fail at its own
// bound, not only at the whole head's (docs/hostile-targets.md).
static_assert(sizeof(ResponseParser) <= 72, "one parser per connection; keep it near a cache line");

}  // namespace surge::proto::http
