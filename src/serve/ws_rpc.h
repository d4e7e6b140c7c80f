// JSON-RPC over `surge serve`'s WebSockets, one message per text frame: the MCP server at /mcp (subprotocol
// "mcp", as the MCP SDKs' WebSocket transports use) and the plain JSON-RPC 2.0 service at /rpc. Each text
// message in gives at most one text message out: a response, a batch's array, or nothing (notifications).
//
//   /mcp  the methods and tools of the Streamable HTTP server (mcp_methods.h); the connection is the session
//         (no Mcp-Session-Id): initialize opens it, the close ends it; a request before initialize gets
//         error -32000. Counted in the "mcp" section of /__surge/stats.
//   /rpc  add [a, b] -> a + b (integers);  echo <params> -> its params as the result;  boom -> error -32000;
//         other methods -32601. Counted in the "rpc" section (rpc_stats.cpp).
// Both: text that is not JSON gets -32700, JSON that is no JSON-RPC request -32600 (id null); a batch gets
// the array of its responses in its order (none at all when it held only notifications).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/jsonrpc/message.h"
#include "serve/mcp_stats.h"
#include "serve/rpc_stats.h"

namespace surge::serve {

// What one message was answered with: `out` grew by a message when has_reply; a sleep tool's wait before it
// may leave.
struct WsRpcReply {
  bool has_reply = false;
  int64_t delay_ms = 0;
};

class WsRpcResponder {
 public:
  // counters: the worker's slots in the shared stats (nullptr: counted in a private block).
  WsRpcResponder(McpCounters* mcp, RpcCounters* rpc);

  // An MCP message on a connection whose session flag is `session_open` (set by initialize).
  WsRpcReply answer_mcp(std::string_view text, bool& session_open, std::string& out);
  // The end of a /mcp connection whose session was open.
  void on_mcp_session_closed();
  // A /rpc message.
  WsRpcReply answer_rpc(std::string_view text, std::string& out);

 private:
  // One parsed message (a batch element or the whole text); appends its response, if it has one.
  bool mcp_one(const proto::jsonrpc::Message& message, bool in_batch, bool& session_open, std::string& out,
               int64_t& delay_ms);
  bool rpc_one(const proto::jsonrpc::Message& message, std::string& out);
  // The -32700 / -32600 answers; `counter` is the invalid count to bump (nullptr: none).
  void invalid(std::string& out, int64_t code, uint64_t* counter);

  McpCounters own_mcp_{};
  RpcCounters own_rpc_{};
  McpCounters* mcp_;
  RpcCounters* rpc_;
  std::vector<std::string_view> batch_;  // reused: splitting a batch allocates only until it has grown
};

}  // namespace surge::serve
