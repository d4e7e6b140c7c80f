// JSON-RPC over an open WebSocket: a `jsonrpc` step with `ws: true` becomes a `ws` send step whose message is
// the JSON-RPC message and whose awaited answer is the message carrying its ids (scenario/ws_session.cpp
// skips every other message). Round-trip latency is the step's latency, as for any ws send with expect.
#include <utility>

#include "plan/json_body.h"
#include "plan/rpc_message.h"

namespace surge::plan {

bool read_jsonrpc_ws(YamlReader& reader, const MapFields& map, RpcMessage message, const SourceLocation& where,
                     NameIndex& names, std::vector<Step>& out) {
  for (std::string_view key : {"url", "headers"}) {
    if (const Field* field = map.find(key)) {
      reader.error(reader.where(field->key_node),
                   "jsonrpc " + std::string(key) + ": a step with ws: true sends on the open WebSocket (ws connect)");
      return false;
    }
  }
  WsStep step;
  step.action = WsStep::Action::kSend;
  step.name = "ws " + message.name;
  step.message = std::move(message.body);
  step.message_where = where;
  step.where = where;
  step.rpc = message.rpc;
  step.expects = message.rpc.calls > 0;
  bool valid = true;
  if (const Field* timeout = map.find("timeout")) {
    step.timeout = reader.read_positive_duration(*timeout, "timeout");
    valid = step.timeout.has_value();
  }
  if (const Field* expect = map.find("expect")) {
    auto checks = reader.read_map(*expect, "jsonrpc expect", {"result", "contains", "json"});
    if (!checks) return false;
    if (checks->find("result")) {
      auto value = rpc_result_value(reader, *expect, message.rpc);
      if (value) step.json.emplace_back("$.result", std::move(*value));
      valid = valid && value;
    }
    if (const Field* contains = checks->find("contains")) {
      auto text = reader.read_string(*contains);
      if (text) step.contains.push_back(std::move(*text));
      valid = valid && text;
    }
    if (const Field* json = checks->find("json")) {
      valid = read_json_expectations(reader, *json, "jsonrpc expect json", step.json) && valid;
    }
    if ((checks->find("contains") || checks->find("json") || checks->find("result")) && !step.expects) {
      reader.error(reader.where_value(*expect), "jsonrpc expect: a notification gets no answer to check");
      return false;
    }
  }
  if (const Field* name = map.find("name")) {
    auto text = reader.read_string(*name);
    if (text) step.name = std::move(*text);
    valid = valid && text;
  }
  if (!valid || !claim_step_name(reader, names, step.name, map.find("name") != nullptr, where)) return false;
  out.emplace_back(std::move(step));
  return true;
}

}  // namespace surge::plan
