// Turns queued responses into iovecs for one sendmsg: heads and chunk-size lines are rendered into the
// batch's scratch, bodies point at static text, the shared pattern, or the connection's own bytes. Any
// response can be resumed from a byte offset, because rendering is deterministic (the Date is fixed per
// response), so a short write needs no copy of what is left.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "serve/routes.h"

namespace surge::serve {

// Body byte i of /bytes/{n} is kPatternAlphabet[i % 64], the same for every framing.
inline constexpr std::string_view kPatternAlphabet =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\n";
// Chunk size of /bytes/{n}?encoding=chunked; the last chunk holds the rest.
inline constexpr uint64_t kChunkBytes = 16 * 1024;

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), formatted once per second.
class DateCache {
 public:
  // Valid until the next call with another second.
  std::string_view format(int64_t unix_second);

 private:
  int64_t second_ = -1;
  char text_[32] = {};
  size_t size_ = 0;
};

// A queued response as the writer sees it.
struct ResponseView {
  const ResponsePlan* plan = nullptr;
  std::string_view owned_body;    // the body when plan->source == kOwned
  std::string_view content_type;  // replaces plan->content_type when not empty (echo)
  uint64_t request_bytes = 0;     // X-Request-Bytes, sent for Action::kEcho
  std::string_view date;          // the Date header value
  std::string_view extra_headers;  // whole "Name: value\r\n" lines sent after the others (/mcp)
};

class WriteBatch {
 public:
  static constexpr int kMaxIov = 64;
  // Bytes offered to one sendmsg: enough to fill a loopback socket buffer, small enough to stay fair.
  static constexpr size_t kMaxBytes = 1024 * 1024;
  static constexpr size_t kScratchBytes = 16 * 1024;

  void clear() {
    count_ = 0;
    bytes_ = 0;
    scratch_used_ = 0;
  }
  // Adds the bytes of `response` after its first `offset` bytes (those already written). Returns true when
  // the whole rest was added, false when the batch filled up first (write it, then call again).
  bool append(const ResponseView& response, uint64_t offset);

  const iovec* iov() const { return iov_; }
  int iov_count() const { return count_; }
  size_t bytes() const { return bytes_; }

 private:
  bool add(const char* data, size_t size, uint64_t& skip);
  bool add_body(const ResponseView& response, uint64_t from, uint64_t to, uint64_t& skip);
  bool add_chunked(const ResponseView& response, uint64_t& skip);
  std::string_view render_head(const ResponseView& response);
  std::string_view render_chunk_line(uint64_t size, bool first);
  std::string_view render_delayed_body(uint32_t ms);

  iovec iov_[kMaxIov];
  int count_ = 0;
  size_t bytes_ = 0;
  size_t scratch_used_ = 0;
  char scratch_[kScratchBytes];
};

// The reason phrase sent for a status ("OK", "Not Found"; "Status" for codes without a registered one).
std::string_view reason_phrase(int status);

}  // namespace surge::serve
