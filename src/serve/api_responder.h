// The answers of the CodePal example API (routes in api_routes.h). A connection keeps what an API request's
// answer needs (a little of the head, then the body) in its own bytes; once the request is complete the
// worker's ApiResponder replaces those bytes with the answer and decides its X-Cache. Nothing allocates
// once the buffers have grown to the largest request seen, and nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "serve/api_cache.h"
#include "serve/routes.h"

namespace surge::serve {

// Longest "user" accepted by /v1/login, in bytes as sent (escapes included).
inline constexpr size_t kMaxApiUserBytes = 256;

// Called when the head of a request routed to Action::kApi has been parsed: appends to `owned` what the
// answer needs from the head, which is gone by the time the body is in (the target of /v1/repos/...,
// holding the id and q; the Authorization value of /v1/whoami), and returns how many bytes that was.
size_t save_api_context(Route route, std::string_view target, std::string_view authorization,
                        std::string& owned);

// One per worker: the X-Cache sequence is per worker (api_cache.h), and the scratch is reused.
class ApiResponder {
 public:
  // Larger API request bodies are refused (413) by the connection.
  static constexpr uint64_t kMaxBodyBytes = 64 * 1024;

  // hit_ratio in [0, 1] (ServeOptions::cache_hit_ratio).
  explicit ApiResponder(double hit_ratio);

  // The request planned as `plan` is complete: owned[offset, offset + context_bytes) is what
  // save_api_context kept and owned[offset + context_bytes, end) the request body. Replaces both with the
  // answer's body and fills in plan.status and body_bytes; a content route's 200 gets plan.cache (the next
  // outcome of the sequence), and a streamed completion Content-Type text/event-stream and chunked framing
  // (Content-Length instead when the connection closes after it or is HTTP/1.0).
  void answer(ResponsePlan& plan, std::string& owned, size_t offset, size_t context_bytes);

 private:
  CacheSequence cache_;
  std::string scratch_;  // the answer being rendered (it is made from bytes in `owned`)
};

}  // namespace surge::serve
