// The JSON-RPC message of a `jsonrpc` step: one call, one notification, or a batch of them (JSON-RPC 2.0
// §6), written once at plan load with a fresh-id template per call, and the RpcCall that says what the
// answer must hold.
#include "plan/rpc_message.h"

#include "plan/json_body.h"

namespace surge::plan {
namespace {

struct OneMessage {
  std::string method;
  std::string text;
  bool notification = false;
};

// method, params, notification of one map (the step itself, or an element of its batch). id_text: the
// call's id template.
std::optional<OneMessage> read_one(YamlReader& reader, const MapFields& map, std::string_view id_text) {
  const Field* method_field = reader.require(map, "method");
  auto method = method_field ? reader.read_string(*method_field) : std::nullopt;
  auto params = rpc_params(reader, map.find("params"));
  std::optional<bool> notification = false;
  if (const Field* flag = map.find("notification")) notification = read_flag(reader, *flag);
  if (!method || !params || !notification) return std::nullopt;
  return OneMessage{*method, rpc_message(*notification ? kNoId : id_text, *method, *params), *notification};
}

std::optional<RpcMessage> read_batch(YamlReader& reader, const MapFields& map, const SourceLocation& where) {
  for (std::string_view key : {"method", "params", "notification"}) {
    if (const Field* field = map.find(key)) {
      reader.error(reader.where(field->key_node), "jsonrpc " + std::string(key) +
                                                      ": a batch step names its messages inside `batch`");
      return std::nullopt;
    }
  }
  const Field* batch = map.find("batch");
  auto items = reader.read_sequence(*batch);
  if (!items) return std::nullopt;
  if (items->empty()) {
    reader.error(reader.where_value(*batch), "jsonrpc batch: expected at least one message");
    return std::nullopt;
  }
  RpcMessage out{"jsonrpc batch", "[", RpcCall{0, true, false, false, true}};
  bool valid = true;
  for (const YAML::Node& item : *items) {
    auto element = reader.read_map(item, "jsonrpc batch message", {"method", "params", "notification"});
    // The k-th call of the batch takes the k-th fresh id, so the answer's ids tell the calls apart.
    std::string id = "{{ rpc.id(" + std::to_string(out.rpc.calls) + ") }}";
    auto one = element ? read_one(reader, *element, id) : std::nullopt;
    if (!one) {
      valid = false;
      continue;
    }
    if (out.body.size() > 1) out.body += ',';
    out.body += one->text;
    out.rpc.calls += one->notification ? 0 : 1;
  }
  if (!valid) return std::nullopt;
  if (out.rpc.calls > kMaxBatchCalls) {
    reader.error(where, "jsonrpc batch: at most " + std::to_string(kMaxBatchCalls) + " calls, found " +
                            std::to_string(out.rpc.calls));
    return std::nullopt;
  }
  out.body += ']';
  out.rpc.wants_result = out.rpc.calls > 0;
  return out;
}

}  // namespace

std::string rpc_json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string rpc_message(std::string_view id, std::string_view method, const std::string& params) {
  std::string out = "{\"jsonrpc\":\"2.0\",";
  if (!id.empty()) out.append("\"id\":").append(id).append(",");
  out += "\"method\":" + rpc_json_string(method);
  if (!params.empty()) out += ",\"params\":" + params;
  return out + "}";
}

std::optional<std::string> rpc_params(YamlReader& reader, const Field* field) {
  if (field == nullptr) return std::string();
  auto json = yaml_to_json(field->value);
  if (!json) {
    reader.error(reader.where(json.error().at), json.error().message);
    return std::nullopt;
  }
  return std::move(json).value();
}

std::optional<bool> read_flag(YamlReader& reader, const Field& field) {
  auto text = reader.read_string(field);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "false") return *text == "true";
  reader.error(reader.where_value(field), field.key + ": expected true or false, found '" + *text + "'");
  return std::nullopt;
}

std::optional<RpcMessage> read_rpc_message(YamlReader& reader, const MapFields& map, const SourceLocation& where) {
  if (map.find("batch")) return read_batch(reader, map, where);
  auto one = read_one(reader, map, kFreshId);
  if (!one) return std::nullopt;
  RpcCall rpc{one->notification ? 0u : 1u, false, false, false, !one->notification};
  return RpcMessage{"jsonrpc " + one->method, std::move(one->text), rpc};
}

std::optional<std::string> rpc_result_value(YamlReader& reader, const Field& expect, const RpcCall& rpc) {
  const YAML::Node node = expect.value["result"];
  if (rpc.batch || rpc.calls == 0) {
    reader.error(reader.where(node), rpc.batch ? "expect result: a batch has no single result; use json paths"
                                               : "expect result: a notification gets no result");
    return std::nullopt;
  }
  auto value = yaml_to_json(node);
  if (!value) {
    reader.error(reader.where(value.error().at), value.error().message);
    return std::nullopt;
  }
  return std::move(value).value();
}

}  // namespace surge::plan
