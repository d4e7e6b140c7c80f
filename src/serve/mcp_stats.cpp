// The "mcp" section of /__surge/stats, summed over every worker:
//   sessions.opened   initialize requests answered with a new Mcp-Session-Id
//   sessions.closed   sessions ended by DELETE /mcp, or by the end of their WebSocket
//   sessions.websocket  sessions opened over a WebSocket at /mcp (one per connection that sent initialize;
//                     included in opened)
//   sessions.evicted  open sessions dropped when their slot was reused (mcp_sessions.h: a session lives
//                     until DELETE or until 4,096 more have been opened on its worker)
//   sessions.expired  sessions ended after answering --mcp-session-requests POSTs (their next request: 404)
//   sessions.open     opened - closed - evicted - expired
//   sessions.unknown  requests answered 404 because their worker did not know their session: ended,
//                     evicted, made up, or opened on another worker (sessions live in one worker process,
//                     so with --workers N a client whose new connection lands elsewhere gets 404 here)
//   sessions.missing  requests answered 400 because they carried no Mcp-Session-Id
//   by_method         JSON-RPC requests and notifications received, by method, batch elements included;
//                     counted when their HTTP request is complete and the session check passed
//   by_tool           tools/call requests by tool name ("unknown" for names we do not have)
#include "serve/mcp_stats.h"

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

namespace surge::serve {
namespace {

constexpr std::string_view kMethodNames[kMcpMethods] = {"initialize",     "notifications/initialized",
                                                        "ping",           "tools/list",
                                                        "tools/call",     "resources/list",
                                                        "resources/read", "prompts/list",
                                                        "other"};
constexpr std::string_view kToolNames[kMcpTools] = {"echo", "sleep", "complete", "unknown"};

uint64_t load(const uint64_t& counter) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counter)).load(std::memory_order_relaxed);
}

}  // namespace

McpMethod mcp_method_of(std::string_view name) {
  for (size_t i = 0; i + 1 < kMcpMethods; ++i) {
    if (kMethodNames[i] == name) return static_cast<McpMethod>(i);
  }
  return McpMethod::kOther;
}

void bump(uint64_t& counter) {
  std::atomic_ref<uint64_t> ref(counter);
  ref.store(ref.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void add_to(McpCounters& sum, const McpCounters& slot) {
  sum.sessions_opened += load(slot.sessions_opened);
  sum.sessions_closed += load(slot.sessions_closed);
  sum.sessions_evicted += load(slot.sessions_evicted);
  sum.sessions_expired += load(slot.sessions_expired);
  sum.unknown_session += load(slot.unknown_session);
  sum.missing_session += load(slot.missing_session);
  for (size_t i = 0; i < kMcpMethods; ++i) sum.by_method[i] += load(slot.by_method[i]);
  for (size_t i = 0; i < kMcpTools; ++i) sum.by_tool[i] += load(slot.by_tool[i]);
  sum.websocket_sessions += load(slot.websocket_sessions);
}

nlohmann::ordered_json mcp_stats_json(const McpCounters& sum) {
  nlohmann::ordered_json section;
  section["sessions"] = {{"opened", sum.sessions_opened},
                         {"closed", sum.sessions_closed},
                         {"evicted", sum.sessions_evicted},
                         {"expired", sum.sessions_expired},
                         {"open", sum.sessions_opened - sum.sessions_closed - sum.sessions_evicted -
                                      sum.sessions_expired},
                         {"unknown", sum.unknown_session},
                         {"missing", sum.missing_session},
                         {"websocket", sum.websocket_sessions}};
  nlohmann::ordered_json& methods = section["by_method"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kMcpMethods; ++i) methods[std::string(kMethodNames[i])] = sum.by_method[i];
  nlohmann::ordered_json& tools = section["by_tool"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kMcpTools; ++i) tools[std::string(kToolNames[i])] = sum.by_tool[i];
  return section;
}

}  // namespace surge::serve
