// `mcp` steps over WebSocket (`transport: websocket` or a ws:// / wss:// url on initialize): the session is
// one WebSocket per virtual user, opened with subprotocol "mcp" as the MCP SDKs' WebSocket transports do, one
// JSON-RPC message per text frame, and no Mcp-Session-Id (the connection is the session). Each step becomes
// the `ws` steps it sends, marked with its RpcCall like a `jsonrpc` step with `ws: true`, so ids, results,
// isError and the per-step metrics are judged as over HTTP (docs/mcp.md).
#include <utility>

#include "plan/json_body.h"
#include "plan/rpc_message.h"

namespace surge::plan {
namespace {

constexpr std::string_view kSubprotocol = "mcp";

WsStep ws_send(std::string name, std::string message, RpcCall rpc, const SourceLocation& where) {
  WsStep step;
  step.action = WsStep::Action::kSend;
  step.name = std::move(name);
  step.message = std::move(message);
  step.message_where = where;
  step.where = where;
  step.expects = rpc.calls > 0;
  step.rpc = rpc;
  return step;
}

bool add(YamlReader& reader, NameIndex& names, std::vector<Step>& out, WsStep step, const Field* name_field) {
  if (name_field) {
    auto name = reader.read_string(*name_field);
    if (!name) return false;
    step.name = std::move(*name);
  }
  if (!claim_step_name(reader, names, step.name, name_field != nullptr, step.where)) return false;
  out.emplace_back(std::move(step));
  return true;
}

// `expect: { contains, json }` of a call, read or ping over WebSocket (the message is the whole answer).
bool read_ws_expect(YamlReader& reader, const Field& expect, WsStep& step) {
  auto checks = reader.read_map(expect, "mcp expect", {"contains", "json"});
  if (!checks) return false;
  bool valid = true;
  if (const Field* contains = checks->find("contains")) {
    auto text = reader.read_string(*contains);
    if (text) step.contains.push_back(std::move(*text));
    valid = valid && text;
  }
  if (const Field* json = checks->find("json")) {
    valid = read_json_expectations(reader, *json, "mcp expect json", step.json) && valid;
  }
  return valid;
}

}  // namespace

bool read_mcp_ws_initialize(YamlReader& reader, const MapFields& map, const std::string& url,
                            const std::string& params, const SourceLocation& where, NameIndex& names,
                            std::vector<Step>& out) {
  WsStep connect;
  connect.action = WsStep::Action::kConnect;
  connect.name = "mcp connect";
  connect.url = url;
  connect.url_where = where;
  connect.where = where;
  connect.subprotocols.emplace_back(kSubprotocol);
  if (!add(reader, names, out, std::move(connect), nullptr)) return false;
  RpcCall call{1, false, false, true, true};
  WsStep initialize = ws_send("mcp initialize", rpc_message(kFreshId, "initialize", params), call, where);
  initialize.conditions.push_back(std::string(kMcpVersionCondition));
  if (!add(reader, names, out, std::move(initialize), map.find("name"))) return false;
  RpcCall notification{0, false, false, false, false};
  return add(reader, names, out,
             ws_send("mcp initialized", rpc_message(kNoId, "notifications/initialized", ""), notification, where),
             nullptr);
}

bool read_mcp_ws_step(YamlReader& reader, const MapFields& map, const std::string& method,
                      const std::string& params, const std::string& default_name, bool is_call,
                      const SourceLocation& where, NameIndex& names, std::vector<Step>& out) {
  WsStep step = ws_send(default_name, rpc_message(kFreshId, method, params), RpcCall{1, false, false, false, true},
                        where);
  if (is_call) step.conditions.push_back(std::string(kMcpToolSucceeded));
  if (const Field* expect = map.find("expect")) {
    if (!read_ws_expect(reader, *expect, step)) return false;
  }
  return add(reader, names, out, std::move(step), map.find("name"));
}

bool read_mcp_ws_list(YamlReader& reader, const MapFields& map, const std::string& method, uint64_t max_pages,
                      const SourceLocation& where, NameIndex& names, std::vector<Step>& out) {
  Capture cursor{"mcp_cursor", Capture::Kind::kJsonPath, "$.result.nextCursor", where, where};
  cursor.optional = true;
  const RpcCall call{1, false, false, false, true};
  WsStep first = ws_send("mcp " + method, rpc_message(kFreshId, method, ""), call, where);
  first.captures.push_back(cursor);
  if (const Field* expect = map.find("expect")) {
    if (!read_ws_expect(reader, *expect, first)) return false;
  }
  if (!add(reader, names, out, std::move(first), map.find("name"))) return false;
  const std::string first_name = std::get<WsStep>(out.back()).name;
  WsStep page = ws_send(first_name + " next page",
                        rpc_message(kFreshId, method, "{\"cursor\":\"{{ mcp_cursor }}\"}"), call, where);
  page.captures.push_back(cursor);
  out.emplace_back(LoopStep{max_pages, "mcp_cursor", 1, where});
  return add(reader, names, out, std::move(page), nullptr);
}

bool read_mcp_ws_close(YamlReader& reader, const MapFields& map, const SourceLocation& where, NameIndex& names,
                       std::vector<Step>& out) {
  WsStep step;
  step.action = WsStep::Action::kClose;
  step.name = "mcp close";
  step.close_code = 1000;
  step.where = where;
  return add(reader, names, out, std::move(step), map.find("name"));
}

}  // namespace surge::plan
