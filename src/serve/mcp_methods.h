// What `surge serve`'s MCP server answers to each JSON-RPC request once its session is known good: the
// initialize result, ping, the tools (echo, sleep, complete), the paginated resources, the prompt. Every
// answer is a whole JSON-RPC response appended to the caller's buffer; the bytes are deterministic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "proto/jsonrpc/message.h"
#include "serve/mcp_stats.h"

namespace surge::serve {

// Resources listed per page; small so that a client following nextCursor gets exercised.
inline constexpr int kMcpResourcesPerPage = 2;
// surge://docs/1 .. surge://docs/5.
inline constexpr int kMcpResources = 5;
// Largest sleep {ms}, as for /delay/{ms}.
inline constexpr int64_t kMcpMaxSleepMs = 600'000;

// The revision for an initialize request's params: the client's when we support it, else ours.
std::string_view negotiate_version(std::string_view params_raw);

// The initialize result for `version`, as a whole response to request id `id_raw`.
void append_initialize_response(std::string& out, std::string_view id_raw, std::string_view version);

// What answering a request did, for the stats and the response's timing.
struct McpCallOutcome {
  McpMethod method = McpMethod::kOther;
  bool is_tool_call = false;  // a tools/call whose params named a tool (then `tool` says which)
  McpTool tool = McpTool::kUnknown;
  int64_t delay_ms = 0;  // a sleep tool's wait before the response may leave
};

// The response to a request other than initialize (an unknown method gets error -32601; bad params
// -32602; an unknown resource -32002; a tool that fails, or is unknown, a result with isError: true).
McpCallOutcome append_response(const proto::jsonrpc::Message& request, std::string& out);

// The made-up completion of the complete tool: the prompt (a raw JSON string body, kept as sent), then
// eight words picked by the prompt's FNV-1a hash, so the same prompt always gets the same text.
void append_completion(std::string& out, std::string_view prompt_raw);

}  // namespace surge::serve
