// Routing of `surge serve`: from a request line to a ResponsePlan, the complete description of the response
// (status, framing, body source, delay). Pure functions: no I/O, no allocation, no clock.
//
// Endpoints (any method; HEAD gets the headers only):
//   /                  200 "surge serve\n"
//   /delay/{ms}        200 "delayed {ms}ms\n" after ms (0..600000) plus --delay
//   /status/{code}     that status (200..599), empty body; 204 and 304 without Content-Length
//   /bytes/{n}         n (<= 1 GiB) pattern bytes; ?encoding=chunked (16 KiB chunks, ";ext=1" on the first,
//                      trailer "X-Trailer: done") or ?encoding=close (close-delimited)
//   /echo              the request body back, its Content-Type, X-Request-Bytes: request head + body bytes
//   /json              a small fixed JSON document
//   /v1/*              the CodePal example API (api_routes.h): JSON bodies, X-Cache on the content routes
//   /mcp               an MCP server over Streamable HTTP (mcp_server.h): sessions, tools, resources
//   /ws, /ws/room/{n}  WebSocket echo and room broadcast (ws_routes.h); a request that is not an upgrade: 426
//   /__surge/stats     GET/HEAD: the counters (stats.cpp); /__surge/health: "ok". Never counted or delayed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace surge::serve {

// The by_path keys of the stats. kControl is /__surge/*, which is never counted; it stays last, so every
// route before it is a counted one.
enum class Route : uint8_t {
  kRoot,
  kDelay,
  kStatus,
  kBytes,
  kEcho,
  kJson,
  kApiLogin,    // the CodePal API (api_routes.h); kApiRepos is every /v1/repos/{id}/... route
  kApiWhoami,
  kApiComplete,
  kApiHandoff,
  kApiOptimize,
  kApiRepos,
  kMcp,  // /mcp, every method
  kWs,   // /ws and /ws/room/{name}: upgrades (101) and the requests refused there
  kRpc,  // /rpc: JSON-RPC over WebSocket, upgrades (101) and the requests refused there
  kOther,
  kControl
};
inline constexpr size_t kCountedRoutes = static_cast<size_t>(Route::kControl);

// The by_path key: "/", "/delay", ..., "/v1/login", ..., "other" (and "control"), as listed in stats.cpp.
std::string_view route_name(Route route);

enum class BodySource : uint8_t {
  kText,     // `text`, static storage
  kPattern,  // body_bytes of the repeating pattern (response_writer.h), never allocated
  kOwned,    // bytes the connection keeps for this response: the echoed body or the rendered stats
  kDelayed,  // "delayed {delay_ms}ms\n", rendered when written (no per-value storage)
};

enum class Framing : uint8_t {
  kLength,   // Content-Length
  kChunked,  // Transfer-Encoding: chunked, 16 KiB chunks, an extension on the first, a trailer at the end
  kClose,    // no length: the body ends when the connection closes (RFC 9112 §6.3 rule 8)
  kNone,     // the status forbids a body (1xx, 204, 304): no Content-Length either
};

// What the connection must do besides sending: collect the request body, or render the stats, or keep
// what an API response needs from the request and render it once the body is in (api_responder.h), or
// the same for an MCP message (mcp_server.h), or hand an upgrade request's socket to a WebSocket connection
// (ws_upgrade.cpp).
enum class Action : uint8_t { kNone, kEcho, kStats, kApi, kMcp, kWebSocket };

// The X-Cache header of an API response, and which cache counter of the stats it goes to.
enum class CacheOutcome : uint8_t { kNone, kHit, kMiss };

struct ResponsePlan {
  std::string_view text;          // the body when source == kText
  std::string_view content_type;  // empty: no Content-Type header
  uint64_t body_bytes = 0;        // body length before framing (for kOwned: filled in by the connection)
  int64_t delay_ns = 0;           // from the end of the request to the moment the response may leave
  uint32_t delay_ms = 0;          // the {ms} of /delay/{ms}, for its body
  uint16_t status = 200;
  Route route = Route::kOther;
  BodySource source = BodySource::kText;
  Framing framing = Framing::kLength;
  Action action = Action::kNone;
  CacheOutcome cache = CacheOutcome::kNone;  // decided when an API response is rendered
  bool head_only = false;      // HEAD: the headers a GET would get, no body bytes
  bool close_after = false;    // "Connection: close", and the connection closes after this response
  bool keep_alive_10 = false;  // an HTTP/1.0 request that asked for keep-alive: say "Connection: keep-alive"
};

// What routing needs from a parsed request head (views into the connection's input).
struct RequestLine {
  std::string_view method;
  std::string_view target;  // origin-form "/path?query"
  int minor_version = 1;
  bool keep_alive = true;
};

// Largest /bytes/{n} and /delay/{ms} accepted; larger values get 400.
inline constexpr uint64_t kMaxBytesBody = uint64_t{1} << 30;
inline constexpr int64_t kMaxDelayMs = 600'000;

// The response to a well-formed request head. base_delay_ns (--delay) is added to counted routes only:
// /__surge/* answers at once so a slow target can still be observed.
ResponsePlan plan_response(const RequestLine& request, int64_t base_delay_ns);

// The response to a request we refuse to read further: 400 (malformed), 413 (echo body too large), 431...
// Counted under "other" with that status, and the connection closes after it.
ResponsePlan refusal_plan(uint16_t status);
// --fail-every: 503 in place of the planned response, on the same route, framing and connection handling.
ResponsePlan unavailable_plan(const ResponsePlan& planned);

// The interim "100 Continue" (RFC 9110 §15.2.1) for a request with "Expect: 100-continue"; never counted.
ResponsePlan continue_plan();

}  // namespace surge::serve
