// The Model Context Protocol over Streamable HTTP, client side (revision 2025-06-18): the JSON-RPC messages
// a session sends, the few facts it reads back from results, and the HTTP header names and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace surge::proto::jsonrpc::mcp {

// The revision we send in initialize and in MCP-Protocol-Version.
inline constexpr std::string_view kProtocolVersion = "2025-06-18";
// Revisions we accept from a server (its initialize result) or, on the server side, from a client.
inline constexpr std::string_view kSupportedVersions[] = {"2025-06-18", "2025-03-26", "2025-11-25"};
bool is_supported_version(std::string_view version);

// Streamable HTTP: the server names the session in its initialize response; the client repeats it, and
// the negotiated revision, on every later request. Accept must list both (the server picks JSON or SSE).
inline constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
inline constexpr std::string_view kProtocolVersionHeader = "MCP-Protocol-Version";
inline constexpr std::string_view kAccept = "application/json, text/event-stream";
inline constexpr std::string_view kJsonType = "application/json";
inline constexpr std::string_view kEventStreamType = "text/event-stream";
// True when a Content-Type value names an event stream (case-insensitive, parameters ignored).
bool is_event_stream(std::string_view content_type);

// The methods a surge session uses.
inline constexpr std::string_view kInitialize = "initialize";
inline constexpr std::string_view kInitialized = "notifications/initialized";
inline constexpr std::string_view kPing = "ping";
inline constexpr std::string_view kToolsCall = "tools/call";
inline constexpr std::string_view kResourcesRead = "resources/read";

enum class Listing : uint8_t { kTools, kResources, kPrompts };
// "tools/list", "resources/list", "prompts/list".
std::string_view list_method(Listing listing);
// The array a list result carries: "tools", "resources", "prompts".
std::string_view list_member(Listing listing);

// Whole messages, appended to `out` (the HTTP body). Plain-text arguments are escaped here.
// initialize: {"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":..,"version":..}}.
void append_initialize(std::string& out, int64_t id, std::string_view client_name,
                       std::string_view client_version);
void append_initialized(std::string& out);
void append_ping(std::string& out, int64_t id);
// tools/list and the others; cursor is a raw string body from next_cursor ("" for the first page).
void append_list(std::string& out, int64_t id, Listing listing, std::string_view cursor);
// tools/call {"name":..,"arguments":<arguments_json>}; arguments_json is raw JSON, "" sends {}.
void append_tool_call(std::string& out, int64_t id, std::string_view name, std::string_view arguments_json);
// resources/read {"uri":..}.
void append_resource_read(std::string& out, int64_t id, std::string_view uri);

// Readers of a result's raw JSON (Message::result). Each returns "" or false when the member is absent
// or of another type, which for a list means the last page.
// The "nextCursor" string's body, escapes as written (what append_list takes back).
std::string_view next_cursor(std::string_view result_raw);
// "isError": true in a tools/call result: the tool failed (a JSON-RPC error is another matter).
bool tool_result_is_error(std::string_view result_raw);
// "protocolVersion" of an initialize result (a string body).
std::string_view negotiated_version(std::string_view result_raw);
// The "text" of the first {"type":"text"} item of a tools/call result's "content", escapes as written.
std::string_view first_text(std::string_view result_raw);

}  // namespace surge::proto::jsonrpc::mcp
