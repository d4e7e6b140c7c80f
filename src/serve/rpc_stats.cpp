// The "rpc" section of /__surge/stats, summed over every worker (/rpc, JSON-RPC 2.0 over WebSocket):
//   requests       JSON-RPC requests received (messages with an id), batch elements included
//   notifications  JSON-RPC notifications received (no id: never answered), batch elements included
//   batches        batches (arrays) received
//   invalid        messages that were not JSON (-32700) or not a JSON-RPC request (-32600)
//   errors_sent    error responses sent: invalid messages, boom (-32000), unknown methods (-32601),
//                  bad params (-32602)
//   by_method      requests and notifications by method: add, echo, boom, other
#include "serve/rpc_stats.h"

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

namespace surge::serve {
namespace {

constexpr std::string_view kMethodNames[kRpcMethods] = {"add", "echo", "boom", "other"};

uint64_t load(const uint64_t& counter) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counter)).load(std::memory_order_relaxed);
}

}  // namespace

RpcMethod rpc_method_of(std::string_view name) {
  for (size_t i = 0; i + 1 < kRpcMethods; ++i) {
    if (kMethodNames[i] == name) return static_cast<RpcMethod>(i);
  }
  return RpcMethod::kOther;
}

void add_to(RpcCounters& sum, const RpcCounters& slot) {
  sum.requests += load(slot.requests);
  sum.notifications += load(slot.notifications);
  sum.batches += load(slot.batches);
  sum.invalid += load(slot.invalid);
  sum.errors_sent += load(slot.errors_sent);
  for (size_t i = 0; i < kRpcMethods; ++i) sum.by_method[i] += load(slot.by_method[i]);
}

nlohmann::ordered_json rpc_stats_json(const RpcCounters& sum) {
  nlohmann::ordered_json section;
  section["requests"] = sum.requests;
  section["notifications"] = sum.notifications;
  section["batches"] = sum.batches;
  section["invalid"] = sum.invalid;
  section["errors_sent"] = sum.errors_sent;
  nlohmann::ordered_json& methods = section["by_method"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kRpcMethods; ++i) methods[std::string(kMethodNames[i])] = sum.by_method[i];
  return section;
}

}  // namespace surge::serve
