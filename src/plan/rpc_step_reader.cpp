// `mcp` and `jsonrpc` steps, read as the http steps they send: each call becomes one POST of a JSON-RPC
// message marked with its RpcCall (fresh ids, how scenario/ judges the answer), and an MCP session is a pair
// of variables (mcp_session, mcp_protocol) that `initialize` captures and later calls send back. So these
// steps get templates, checks, per-step metrics and SSE answers from the same machinery as http steps
// (docs/mcp.md).
#include <utility>

#include "plan/json_body.h"
#include "plan/plan_reader.h"
#include "plan/rpc_message.h"
#include "text/version.h"

namespace surge::plan {
namespace {

constexpr std::string_view kAccept = "application/json, text/event-stream";
constexpr std::string_view kOfferedVersion = "2025-06-18";
// A `list` step follows nextCursor at most this many pages, so a server that never stops cannot hold a user.
constexpr uint64_t kMaxPages = 1000;

// The POST of one message; `session`: send the session headers initialize captured.
HttpStep rpc_post(std::string name, const std::string& url, std::string body, bool session,
                  const SourceLocation& where) {
  HttpStep step;
  step.name = std::move(name);
  step.method = "POST";
  step.url = url;
  step.url_where = where;
  step.body = std::move(body);
  step.body_is_json = true;
  step.body_where = where;
  step.where = where;
  step.headers.push_back({"Content-Type", "application/json", where});
  step.headers.push_back({"Accept", std::string(kAccept), where});
  if (session) {
    step.headers.push_back({"Mcp-Session-Id", "{{ mcp_session }}", where});
    step.headers.push_back({"MCP-Protocol-Version", "{{ mcp_protocol }}", where});
  }
  return step;
}

// One call whose answer must carry its fresh id and a result (scenario/ adds the checks "jsonrpc id" and
// "jsonrpc result"). `session`: a 404 answer re-initializes the MCP session.
RpcCall one_call(bool session) { return RpcCall{1, false, session, false, true}; }
// Notifications: nothing comes back but a status.
RpcCall no_call(bool session) { return RpcCall{0, false, session, false, false}; }

struct RpcContext {
  YamlReader& reader;
  NameIndex& names;
  std::vector<Step>& out;
  bool& has_session;
  bool over_websocket = false;
};

bool add(RpcContext& rpc, HttpStep step, const Field* name_field) {
  if (name_field) {
    auto name = rpc.reader.read_string(*name_field);
    if (!name) return false;
    step.name = *name;
  }
  if (!claim_step_name(rpc.reader, rpc.names, step.name, name_field != nullptr, step.where)) return false;
  rpc.out.emplace_back(std::move(step));
  return true;
}

bool read_initialize(RpcContext& rpc, const MapFields& map, const std::string& url,
                     const SourceLocation& where, bool over_websocket) {
  std::string client = "surge";
  if (const Field* field = map.find("initialize"); field && field->value.IsMap() && field->value["client"]) {
    auto name =
        rpc.reader.read_string(field->value["client"], rpc.reader.where(field->value["client"]), "client");
    if (!name) return false;
    client = *name;
  }
  std::string params = "{\"protocolVersion\":" + rpc_json_string(kOfferedVersion) +
                       ",\"capabilities\":{},\"clientInfo\":{\"name\":" + rpc_json_string(client) +
                       ",\"version\":\"" SURGE_VERSION "\"}}";
  rpc.has_session = true;
  if (over_websocket) return read_mcp_ws_initialize(rpc.reader, map, url, params, where, rpc.names, rpc.out);
  HttpStep initialize =
      rpc_post("mcp initialize", url, rpc_message(kFreshId, "initialize", params), false, where);
  initialize.headers.push_back({"MCP-Protocol-Version", std::string(kOfferedVersion), where});
  initialize.rpc = one_call(false);
  initialize.rpc->initialize = true;
  initialize.checks.push_back(
      {Check::Kind::kCondition, "protocol version", std::string(kMcpVersionCondition), {}, where});
  initialize.captures.push_back({"mcp_session", Capture::Kind::kHeader, "Mcp-Session-Id", where, where});
  initialize.captures.push_back(
      {"mcp_protocol", Capture::Kind::kJsonPath, "$.result.protocolVersion", where, where});
  if (!add(rpc, std::move(initialize), map.find("name"))) return false;
  HttpStep initialized =
      rpc_post("mcp initialized", url, rpc_message(kNoId, "notifications/initialized", ""), true, where);
  initialized.expect_status = 202;
  initialized.rpc = no_call(true);
  return add(rpc, std::move(initialized), nullptr);
}

// list: tools|resources|prompts — the first page, then a loop over the pages nextCursor names.
bool read_list(RpcContext& rpc, const Field& field, const MapFields& map, const std::string& url,
               const SourceLocation& where) {
  auto what = rpc.reader.read_string(field);
  if (!what) return false;
  if (*what != "tools" && *what != "resources" && *what != "prompts") {
    rpc.reader.error(rpc.reader.where_value(field),
                     "mcp list '" + *what + "': expected tools, resources or prompts");
    return false;
  }
  std::string method = *what + "/list";
  if (rpc.over_websocket)
    return read_mcp_ws_list(rpc.reader, map, method, kMaxPages, where, rpc.names, rpc.out);
  HttpStep first = rpc_post("mcp " + method, url, rpc_message(kFreshId, method, ""), true, where);
  first.rpc = one_call(true);
  Capture cursor{"mcp_cursor", Capture::Kind::kJsonPath, "$.result.nextCursor", where, where};
  cursor.optional = true;
  first.captures.push_back(cursor);
  if (!add(rpc, std::move(first), map.find("name"))) return false;
  std::string first_name = std::get<HttpStep>(rpc.out.back()).name;
  HttpStep page = rpc_post(first_name + " next page", url,
                           rpc_message(kFreshId, method, "{\"cursor\":\"{{ mcp_cursor }}\"}"), true, where);
  page.rpc = one_call(true);
  page.captures.push_back(cursor);
  rpc.out.emplace_back(LoopStep{kMaxPages, "mcp_cursor", 1, where});
  return add(rpc, std::move(page), nullptr);
}

}  // namespace

namespace {

// call, read, ping: one request that must answer with a result. A call whose result says isError fails.
bool read_request(RpcContext& rpc, const MapFields& map, const std::string& url,
                  const SourceLocation& where) {
  std::string method, params, name;
  bool is_call = false;
  if (const Field* call = map.find("call")) {
    auto tool = rpc.reader.read_template(*call);
    auto arguments = rpc_params(rpc.reader, map.find("arguments"));
    if (!tool || !arguments) return false;
    method = "tools/call";
    params = "{\"name\":" + rpc_json_string(*tool) +
             ",\"arguments\":" + (arguments->empty() ? "{}" : *arguments) + "}";
    name = "mcp tools/call " + *tool;
    is_call = true;
  } else if (const Field* read = map.find("read")) {
    auto uri = rpc.reader.read_template(*read);
    if (!uri) return false;
    method = "resources/read";
    params = "{\"uri\":" + rpc_json_string(*uri) + "}";
    name = "mcp resources/read";
  } else {
    method = "ping";
    name = "mcp ping";
  }
  if (rpc.over_websocket)
    return read_mcp_ws_step(rpc.reader, map, method, params, name, is_call, where, rpc.names, rpc.out);
  HttpStep step = rpc_post(name, url, rpc_message(kFreshId, method, params), true, where);
  step.rpc = one_call(true);
  if (is_call) {
    step.checks.push_back(
        {Check::Kind::kCondition, "tool succeeded", std::string(kMcpToolSucceeded), {}, where});
  }
  if (const Field* expect = map.find("expect")) {
    if (!read_expect(rpc.reader, *expect, step)) return false;
  }
  return add(rpc, std::move(step), map.find("name"));
}

bool read_close(RpcContext& rpc, const MapFields& map, const std::string& url, const SourceLocation& where) {
  if (rpc.over_websocket) return read_mcp_ws_close(rpc.reader, map, where, rpc.names, rpc.out);
  HttpStep step;
  step.name = "mcp close";
  step.method = "DELETE";
  step.url = url;
  step.url_where = where;
  step.where = where;
  step.headers.push_back({"Mcp-Session-Id", "{{ mcp_session }}", where});
  step.headers.push_back({"MCP-Protocol-Version", "{{ mcp_protocol }}", where});
  return add(rpc, std::move(step), map.find("name"));
}

// initialize's `transport: http | websocket`; a ws:// or wss:// url means websocket. nullopt after an error.
std::optional<bool> read_transport(YamlReader& reader, const Field* transport, const std::string& url) {
  bool ws_url = url.starts_with("ws://") || url.starts_with("wss://");
  if (!transport) return ws_url;
  auto text = reader.read_string(*transport);
  if (!text) return std::nullopt;
  if (*text != "http" && *text != "websocket") {
    reader.error(reader.where_value(*transport), "mcp transport '" + *text + "': expected http or websocket");
    return std::nullopt;
  }
  if (*text == "http" && ws_url) {
    reader.error(reader.where_value(*transport),
                 "mcp transport http with a ws:// url; use transport: websocket");
    return std::nullopt;
  }
  if (*text == "websocket" && (url.starts_with("http://") || url.starts_with("https://"))) {
    reader.error(reader.where_value(*transport),
                 "mcp transport websocket: the url must be a path, ws:// or wss://");
    return std::nullopt;
  }
  return *text == "websocket";
}

}  // namespace

bool read_mcp(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
              std::vector<Step>& out, RpcState& state) {
  auto map = reader.read_map(field, "mcp step",
                             {"initialize", "list", "call", "arguments", "read", "ping", "close", "url",
                              "name", "expect", "transport"});
  if (!map) return false;
  std::string url = "/mcp";
  const Field* given = map->find("url");
  if (given) {
    auto text = reader.read_template(*given);
    if (!text) return false;
    url = *text;
  }
  int kinds = 0;
  for (std::string_view kind : {"initialize", "list", "call", "read", "ping", "close"})
    kinds += map->find(kind) != nullptr;
  if (kinds != 1) {
    reader.error(where, "mcp step must have exactly one of: initialize, list, call, read, ping, close");
    return false;
  }
  RpcContext rpc{reader, names, out, state.has_session, state.over_websocket};
  const Field* transport = map->find("transport");
  if (map->find("initialize")) {
    auto over_websocket = read_transport(reader, transport, url);
    if (!over_websocket) return false;
    state.over_websocket = *over_websocket;
    return read_initialize(rpc, *map, url, where, *over_websocket);
  }
  if (transport) {
    reader.error(reader.where(transport->key_node),
                 "mcp transport: only on the initialize step; later steps use its session");
    return false;
  }
  if (given && state.over_websocket) {
    reader.error(reader.where(given->key_node),
                 "mcp url: a session over WebSocket sends on the connection its initialize opened");
    return false;
  }
  if (!state.has_session) {
    reader.error(where, "mcp step before any mcp initialize step in this scenario; start the session first");
    return false;
  }
  if (const Field* list = map->find("list")) return read_list(rpc, *list, *map, url, where);
  if (map->find("close")) return read_close(rpc, *map, url, where);
  return read_request(rpc, *map, url, where);
}

bool read_jsonrpc(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
                  std::vector<Step>& out, RpcState& state) {
  auto map = reader.read_map(
      field, "jsonrpc step",
      {"url", "method", "params", "notification", "batch", "ws", "expect", "headers", "name", "timeout"});
  if (!map) return false;
  auto call = read_rpc_message(reader, *map, where);
  if (!call) return false;
  std::optional<bool> over_ws = false;
  if (const Field* ws = map->find("ws")) over_ws = read_flag(reader, *ws);
  if (!over_ws) return false;
  if (*over_ws) return read_jsonrpc_ws(reader, *map, std::move(*call), where, names, out);
  const Field* url = reader.require(*map, "url");
  auto target = url ? reader.read_template(*url) : std::nullopt;
  if (!target) return false;
  HttpStep step = rpc_post(std::move(call->name), *target, std::move(call->body), false, where);
  step.rpc = call->rpc;
  if (const Field* headers = map->find("headers")) {
    auto extra = reader.read_headers(*headers);
    if (!extra) return false;
    for (Header& header : *extra) step.headers.push_back(std::move(header));
  }
  if (const Field* timeout = map->find("timeout"))
    step.timeout = reader.read_positive_duration(*timeout, "timeout");
  if (const Field* expect = map->find("expect")) {
    // result: V is the JSON-RPC shorthand for json: { "$.result": V }; the other keys are the usual checks.
    if (expect->value.IsMap() && expect->value["result"]) {
      auto value = rpc_result_value(reader, *expect, call->rpc);
      if (!value) return false;
      step.checks.push_back({Check::Kind::kJson, "json $.result", "$.result", *value, where});
      YAML::Node rest = YAML::Clone(expect->value);
      rest.remove("result");
      Field others{expect->key, expect->key_node, rest};
      if (rest.size() > 0 && !read_expect(reader, others, step)) return false;
    } else if (!read_expect(reader, *expect, step)) {
      return false;
    }
  }
  RpcContext rpc{reader, names, out, state.has_session};
  return add(rpc, std::move(step), map->find("name"));
}

}  // namespace surge::plan
