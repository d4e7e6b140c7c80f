// `surge serve`'s /mcp: an MCP server over Streamable HTTP (revision 2025-06-18). A connection keeps what
// the answer needs from the head (method, Mcp-Session-Id, MCP-Protocol-Version), then the body; once the
// request is complete the worker's McpServer replaces those bytes with the answer's extra header lines and
// body. Sessions live in the worker process that opened them (mcp_sessions.h).
//
//   POST   initialize: a new session (Mcp-Session-Id in the response); anything else needs a session the
//          worker knows: none 400, unknown 404. Requests get 200 with the response (a batch: the array), as
//          application/json, or with --mcp-sse as text/event-stream, one "message" event per response,
//          the stream ending after the last; notifications and responses only: 202, no body.
//          Bad JSON: 400 with error -32700; JSON that is no JSON-RPC message: 400 with -32600.
//   DELETE ends the session: 200 (then 404 for it).   GET and others: 405 with Allow: POST, DELETE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/jsonrpc/message.h"
#include "serve/mcp_sessions.h"
#include "serve/mcp_stats.h"
#include "serve/routes.h"

namespace surge::serve {

// Called when the head of a /mcp request has been parsed: appends to `owned` what the answer needs from it
// (header values are cut at 64 bytes, which no valid one reaches) and returns how many bytes that was.
size_t save_mcp_context(std::string_view method, std::string_view session_id,
                        std::string_view protocol_version, std::string& owned);

class McpServer {
 public:
  // Larger request bodies are refused (413) by the connection.
  static constexpr uint64_t kMaxBodyBytes = 1024 * 1024;

  // sse: answer requests as event streams (--mcp-sse). counters: the worker's slot in the shared stats, or
  // any McpCounters that outlives the server (nullptr: counted only inside). seed: for the session ids.
  // session_requests: McpSessions' max_requests (0: sessions live until DELETE or eviction).
  McpServer(bool sse, McpCounters* counters, uint64_t seed, uint32_t session_requests = 0);

  // The request planned as `plan` is complete: owned[offset, offset + context_bytes) is what
  // save_mcp_context kept, and owned[offset + context_bytes, end) the body. Replaces both with the
  // answer's header lines ("Name: value\r\n" each) followed by its body, and returns the header bytes.
  // Sets plan.status, content_type (empty when there is no body) and body_bytes, and adds a sleep tool's
  // wait to plan.delay_ns.
  size_t answer(ResponsePlan& plan, std::string& owned, size_t offset, size_t context_bytes);

  const McpSessions& sessions() const { return sessions_; }

 private:
  struct Context;
  struct Reply {
    uint16_t status = 200;
    std::string_view content_type;
    int64_t delay_ms = 0;
  };

  Reply handle(const Context& context, std::string_view body);
  Reply post(const Context& context, std::string_view body);
  Reply post_batch(const Context& context, std::string_view body);
  Reply initialize(const proto::jsonrpc::Message& request);
  // 400/404 (or 400 for an unsupported MCP-Protocol-Version) when the request may not go on; status 0 if it
  // may.
  Reply check_session(const Context& context);
  void count_request(const Context& context);
  Reply refuse(uint16_t status, int64_t code, std::string_view message);
  // One response (into body_ as JSON or as an SSE event), counted; false when the message needs none.
  bool respond(const proto::jsonrpc::Message& message, int64_t& delay_ms);
  void begin_event();
  void end_event();

  McpSessions sessions_;
  McpCounters own_counters_{};
  McpCounters* counters_;
  bool sse_;
  std::string headers_;  // the answer's extra header lines
  std::string body_;     // the answer's body (made from bytes in `owned`, so kept apart until done)
  std::vector<std::string_view> batch_;
  int responses_ = 0;      // responses written into body_ for the current answer
  bool in_batch_ = false;  // JSON mode puts commas between responses
};

}  // namespace surge::serve
