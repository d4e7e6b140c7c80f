// The JSON-RPC messages `jsonrpc` and `mcp` steps send, shared by the readers that put them in HTTP
// requests (rpc_step_reader.cpp) and in WebSocket frames (rpc_ws_reader.cpp). Ids are not numbers here but
// templates: each request draws fresh ones from its virtual user's counter (docs/mcp.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "plan/plan_reader.h"

namespace surge::plan {

// The id of a call: the next id of the user's counter. kNoId marks a notification.
inline constexpr std::string_view kFreshId = "{{ rpc.id }}";
inline constexpr std::string_view kNoId = "";
// A batch holds at most this many calls: the answer's ids are matched in a 64-bit mask.
inline constexpr uint32_t kMaxBatchCalls = 64;

// text as a JSON string, quotes included (only '"' and '\\' escaped: plan text has no control characters
// that YAML would let through unquoted, and templates are JSON-escaped when rendered).
std::string rpc_json_string(std::string_view text);
// {"jsonrpc":"2.0"[,"id":<id>],"method":..[,"params":<params>]}; params is raw JSON, "" leaves it out.
std::string rpc_message(std::string_view id, std::string_view method, const std::string& params);
// `params:` as JSON ("" when the field is absent); nullopt after reporting a problem.
std::optional<std::string> rpc_params(YamlReader& reader, const Field* field);
// A `true` or `false` scalar; an error "<key>: expected true or false, found ..." otherwise.
std::optional<bool> read_flag(YamlReader& reader, const Field& field);

// One step's message: a call, a notification, or a batch of them.
struct RpcMessage {
  std::string name;  // the default step name: "jsonrpc <method>" or "jsonrpc batch"
  std::string body;
  RpcCall rpc;
};
// From a jsonrpc step's `method`, `params`, `notification` or its `batch: [{method, params, notification}]`.
std::optional<RpcMessage> read_rpc_message(YamlReader& reader, const MapFields& map, const SourceLocation& where);
// `expect: { result: V }` as JSON text; refused for a notification or a batch, where no single result exists.
std::optional<std::string> rpc_result_value(YamlReader& reader, const Field& expect, const RpcCall& rpc);

// The checks MCP answers get over either transport: a protocol revision we speak, and a tools/call result
// without isError: true (conditions, extract/condition.h).
inline constexpr std::string_view kMcpVersionCondition =
    R"(json("$.result.protocolVersion") == "2025-06-18" || )"
    R"(json("$.result.protocolVersion") == "2025-03-26" || )"
    R"(json("$.result.protocolVersion") == "2025-11-25")";
inline constexpr std::string_view kMcpToolSucceeded = R"(json("$.result.isError") != true)";

// `mcp` steps of a session over WebSocket (mcp_ws_reader.cpp). initialize: the connect to `url` offering
// subprotocol "mcp", the initialize request (params as JSON) and notifications/initialized.
bool read_mcp_ws_initialize(YamlReader& reader, const MapFields& map, const std::string& url,
                            const std::string& params, const SourceLocation& where, NameIndex& names,
                            std::vector<Step>& out);
// One request (list, call, read, ping) on the session's connection; is_call adds the isError check.
bool read_mcp_ws_step(YamlReader& reader, const MapFields& map, const std::string& method,
                      const std::string& params, const std::string& default_name, bool is_call,
                      const SourceLocation& where, NameIndex& names, std::vector<Step>& out);
// list: the first page of method (tools/list, ...) capturing nextCursor into mcp_cursor, then a loop of at most
// max_pages "next page" requests while mcp_cursor is set, as over HTTP.
bool read_mcp_ws_list(YamlReader& reader, const MapFields& map, const std::string& method, uint64_t max_pages,
                      const SourceLocation& where, NameIndex& names, std::vector<Step>& out);
// close: the WebSocket close handshake (code 1000), which ends the session.
bool read_mcp_ws_close(YamlReader& reader, const MapFields& map, const SourceLocation& where, NameIndex& names,
                       std::vector<Step>& out);

// A jsonrpc step with `ws: true`: the message is sent as one text frame on the user's open WebSocket, and the
// step waits for the answer carrying its ids (rpc_ws_reader.cpp).
bool read_jsonrpc_ws(YamlReader& reader, const MapFields& map, RpcMessage message, const SourceLocation& where,
                     NameIndex& names, std::vector<Step>& out);

}  // namespace surge::plan
