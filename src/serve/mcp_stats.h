// The MCP counters of `surge serve` (/mcp): one block per worker slot in the shared stats region, written
// only by that worker, and their section of /__surge/stats (every field is defined in mcp_stats.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace surge::serve {

// The by_method keys; kOther is every method the server does not know (answered -32601).
enum class McpMethod : uint8_t {
  kInitialize,
  kInitialized,
  kPing,
  kToolsList,
  kToolsCall,
  kResourcesList,
  kResourcesRead,
  kPromptsList,
  kOther
};
inline constexpr size_t kMcpMethods = 9;

// The by_tool keys; kUnknown is a tools/call naming no tool of ours (answered with isError: true).
enum class McpTool : uint8_t { kEcho, kSleep, kComplete, kUnknown };
inline constexpr size_t kMcpTools = 4;

// The by_method key of a JSON-RPC method name ("tools/call" is kToolsCall; unknown names are kOther).
McpMethod mcp_method_of(std::string_view name);

// Plain integers in shared memory: the owning worker increments with bump(), readers sum with add_to().
struct McpCounters {
  uint64_t sessions_opened;
  uint64_t sessions_closed;
  uint64_t sessions_evicted;
  uint64_t sessions_expired;
  uint64_t unknown_session;
  uint64_t missing_session;
  uint64_t by_method[kMcpMethods];
  uint64_t by_tool[kMcpTools];
  uint64_t websocket_sessions;  // sessions opened by initialize on a WebSocket at /mcp (a subset of opened)
};

// Single-writer increment: a relaxed load and store, no locked instruction (stats.cpp explains why).
void bump(uint64_t& counter);
// Adds a worker's counters (relaxed loads) to `sum`.
void add_to(McpCounters& sum, const McpCounters& slot);
// The "mcp" section of /__surge/stats.
nlohmann::ordered_json mcp_stats_json(const McpCounters& sum);

}  // namespace surge::serve
