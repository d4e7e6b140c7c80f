// What `surge serve` was asked to do: where to listen, how many worker processes, the base delay, and the
// stalls. Filled by the command line (cli/serve_command.cpp, which checks the flags) or directly by tests;
// run_server rejects values it cannot run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "serve/misbehave.h"

namespace surge::serve {

struct ServeOptions {
  std::string address = "127.0.0.1";  // numeric IPv4 or IPv6 address, no DNS
  uint16_t port = 8080;               // 0 picks a free port; the listening line says which
  int workers = 1;                    // processes sharing the port with SO_REUSEPORT; 1 = no fork
  std::chrono::nanoseconds delay{0};  // added to every counted request's response time (not /__surge/*)
  bool mcp_sse = false;               // /mcp answers requests as text/event-stream instead of JSON
  uint32_t mcp_session_requests = 0;  // > 0: an MCP session ends after answering this many requests
  // Share of the API's content responses (/v1/complete, /v1/repos/...) sent with "X-Cache: HIT", 0..1;
  // each worker spreads them evenly (api_cache.h).
  double cache_hit_ratio = 0.8;
  // Stall mode (stall.h): the whole server freezes for stall_for at start + k·stall_every, k = 1, 2, ...
  // Both 0: no stalls; otherwise 0 < stall_for < stall_every.
  std::chrono::nanoseconds stall_every{0};
  std::chrono::nanoseconds stall_for{0};
  // > 0: each worker answers every fail_every-th counted request (not /__surge/*) with 503 instead, so
  // retries and error rates can be tested against a known share of failures.
  uint32_t fail_every = 0;
  // TLS (tls_server.h): both set, PEM paths of the certificate chain and its key; every connection is then
  // TLS, and ALPN picks h2 or http/1.1. Both empty: plain TCP (h2c by prior knowledge still works).
  std::string tls_cert;
  std::string tls_key;
  // Hostile mode (misbehave.h): every connection breaks the protocol this way instead of being served.
  Misbehaviour misbehave = Misbehaviour::kNone;
};

}  // namespace surge::serve
