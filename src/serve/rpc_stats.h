// The counters of `surge serve`'s /rpc (JSON-RPC 2.0 over WebSocket): one block per worker slot in the shared
// stats region, written only by that worker, and their "rpc" section of /__surge/stats (fields defined in
// rpc_stats.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace surge::serve {

// The by_method keys of /rpc (ws_rpc.h says what each answers); kOther is every other method (-32601).
enum class RpcMethod : uint8_t { kAdd, kEcho, kBoom, kOther };
inline constexpr size_t kRpcMethods = 4;

RpcMethod rpc_method_of(std::string_view name);

// Plain integers in shared memory, incremented with bump() (mcp_stats.h) by the owning worker.
struct RpcCounters {
  uint64_t requests;       // messages with an id, batch elements included
  uint64_t notifications;  // messages without an id, batch elements included
  uint64_t batches;        // arrays received
  uint64_t invalid;        // messages answered -32700 (not JSON) or -32600 (no JSON-RPC request)
  uint64_t errors_sent;    // error responses sent, invalid ones included
  uint64_t by_method[kRpcMethods];  // requests and notifications by method
};

// Adds a worker's counters (relaxed loads) to `sum`.
void add_to(RpcCounters& sum, const RpcCounters& slot);
// The "rpc" section of /__surge/stats.
nlohmann::ordered_json rpc_stats_json(const RpcCounters& sum);

}  // namespace surge::serve
