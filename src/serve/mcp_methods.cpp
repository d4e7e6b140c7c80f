// The MCP methods of `surge serve`. Results are written straight into the response: fixed documents for
// the listings, and the request's own string bodies copied in raw (they are valid JSON string bodies as
// received, so echoing them needs no decoding and no re-escaping).
#include "serve/mcp_methods.h"

#include <algorithm>

#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message_writer.h"
#include "text/json_view.h"
#include "text/version.h"

namespace surge::serve {
namespace {

namespace jsonrpc = proto::jsonrpc;
using text::json::JsonValue;

// The MCP error code for a resource that does not exist (MCP spec, "Resources", error handling).
constexpr int64_t kResourceNotFound = -32002;

constexpr std::string_view kToolsResult =
    R"({"tools":[)"
    R"({"name":"echo","description":"Answers with the message","inputSchema":{"type":"object",)"
    R"("properties":{"message":{"type":"string"}},"required":["message"]}},)"
    R"({"name":"sleep","description":"Answers after ms milliseconds","inputSchema":{"type":"object",)"
    R"("properties":{"ms":{"type":"integer","minimum":0,"maximum":600000}},"required":["ms"]}},)"
    R"({"name":"complete","description":"A made-up completion of the prompt, the same for the same prompt",)"
    R"("inputSchema":{"type":"object","properties":{"prompt":{"type":"string"}},"required":["prompt"]}}]})";

constexpr std::string_view kPromptsResult =
    R"({"prompts":[{"name":"review","description":"Review a code change","arguments":)"
    R"([{"name":"diff","description":"The change to review","required":true}]}]})";

constexpr std::string_view kCompletionWords[16] = {"return", "value", "if",   "else", "for",  "each",
                                                   "item",   "in",    "list", "then", "call", "next",
                                                   "result", "with",  "data", "done"};

void open_result(std::string& out, std::string_view id_raw) {
  out += R"({"jsonrpc":"2.0","id":)";
  out += id_raw;
  out += R"(,"result":)";
}

// A tools/call result with one text item: open_text, the text (JSON string body bytes), close_text.
void open_text(std::string& out, std::string_view id_raw) {
  open_result(out, id_raw);
  out += R"({"content":[{"type":"text","text":")";
}

void close_text(std::string& out, bool is_error) { out += is_error ? R"("}],"isError":true}})" : R"("}]}})"; }

bool string_argument(const JsonValue& arguments, std::string_view name, std::string_view& body) {
  JsonValue value;
  if (!text::json::find_member(arguments, name, value) || !value.is_string()) return false;
  body = value.string_body();
  return true;
}

McpCallOutcome call_tool(const jsonrpc::Message& request, std::string& out) {
  McpCallOutcome outcome{McpMethod::kToolsCall};
  auto params = text::json::scan_document(request.params.empty() ? std::string_view("{}") : request.params);
  JsonValue name, arguments;
  if (!params || !text::json::find_member(*params, "name", name) || !name.is_string()) {
    jsonrpc::append_error(out, request.id, jsonrpc::kInvalidParams, "tools/call needs a string \"name\"");
    return outcome;
  }
  if (!text::json::find_member(*params, "arguments", arguments)) arguments = JsonValue{};
  outcome.is_tool_call = true;
  std::string_view tool = name.string_body(), text;
  JsonValue ms;
  int64_t ms_value = 0;
  bool ok = false;
  open_text(out, request.id);
  if (tool == "echo") {
    outcome.tool = McpTool::kEcho;
    ok = string_argument(arguments, "message", text);
    out.append(ok ? "Echo: " : R"(echo needs a string \"message\")").append(text);
  } else if (tool == "sleep") {
    outcome.tool = McpTool::kSleep;
    ok = text::json::find_member(arguments, "ms", ms) && text::json::to_int64(ms, ms_value) &&
         ms_value >= 0 && ms_value <= kMcpMaxSleepMs;
    if (ok) {
      outcome.delay_ms = ms_value;
      out.append("Slept ").append(ms.raw).append(" ms");
    } else {
      out += R"(sleep needs an integer \"ms\" from 0 to 600000)";
    }
  } else if (tool == "complete") {
    outcome.tool = McpTool::kComplete;
    ok = string_argument(arguments, "prompt", text);
    if (ok) {
      append_completion(out, text);
    } else {
      out += R"(complete needs a string \"prompt\")";
    }
  } else {
    out.append("Unknown tool: ").append(tool);
  }
  close_text(out, !ok);
  return outcome;
}

// Cursors are the index of the page's first resource, in decimal; the first page has none.
void list_resources(const jsonrpc::Message& request, std::string& out) {
  int start = 0;
  JsonValue cursor;
  auto params = text::json::scan_document(request.params.empty() ? std::string_view("{}") : request.params);
  if (params && text::json::find_member(*params, "cursor", cursor)) {
    std::string_view text = cursor.is_string() ? cursor.string_body() : std::string_view();
    if (text.size() != 1 || text[0] < '1' || text[0] >= '0' + kMcpResources) {
      jsonrpc::append_error(out, request.id, jsonrpc::kInvalidParams, "unknown cursor");
      return;
    }
    start = text[0] - '0';
  }
  open_result(out, request.id);
  out += R"({"resources":[)";
  int end = std::min(start + kMcpResourcesPerPage, kMcpResources);
  for (int n = start + 1; n <= end; ++n) {
    if (n > start + 1) out += ',';
    char digit = static_cast<char>('0' + n);
    out.append(R"({"uri":"surge://docs/)").append(1, digit).append(R"(","name":"doc-)").append(1, digit);
    out.append(R"(","mimeType":"text/markdown"})");
  }
  out += ']';
  if (end < kMcpResources) out.append(R"(,"nextCursor":")").append(1, static_cast<char>('0' + end)) += '"';
  out += "}}";
}

void read_resource(const jsonrpc::Message& request, std::string& out) {
  JsonValue uri;
  auto params = text::json::scan_document(request.params.empty() ? std::string_view("{}") : request.params);
  if (!params || !text::json::find_member(*params, "uri", uri) || !uri.is_string()) {
    jsonrpc::append_error(out, request.id, jsonrpc::kInvalidParams, "resources/read needs a string \"uri\"");
    return;
  }
  std::string_view text = uri.string_body();
  constexpr std::string_view kPrefix = "surge://docs/";
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + 1 || text.back() < '1' ||
      text.back() >= '1' + kMcpResources) {
    jsonrpc::append_error(out, request.id, kResourceNotFound, "Resource not found");
    return;
  }
  open_result(out, request.id);
  out.append(R"({"contents":[{"uri":")")
      .append(text)
      .append(R"(","mimeType":"text/markdown","text":"# Doc )");
  out.append(1, text.back()).append(R"(\n\nA surge serve test document.\n"}]}})");
}

}  // namespace

std::string_view negotiate_version(std::string_view params_raw) {
  auto params = text::json::scan_document(params_raw.empty() ? std::string_view("{}") : params_raw);
  JsonValue version;
  if (params && text::json::find_member(*params, "protocolVersion", version) && version.is_string() &&
      jsonrpc::mcp::is_supported_version(version.string_body())) {
    return version.string_body();
  }
  return jsonrpc::mcp::kProtocolVersion;
}

void append_initialize_response(std::string& out, std::string_view id_raw, std::string_view version) {
  open_result(out, id_raw);
  out.append(R"({"protocolVersion":")").append(version);
  out += R"(","capabilities":{"tools":{},"resources":{},"prompts":{}},)"
         R"("serverInfo":{"name":"surge serve","version":")" SURGE_VERSION R"("}}})";
}

McpCallOutcome append_response(const jsonrpc::Message& request, std::string& out) {
  McpCallOutcome outcome{mcp_method_of(request.method)};
  switch (outcome.method) {
    case McpMethod::kPing:
      open_result(out, request.id);
      out += "{}}";
      break;
    case McpMethod::kToolsList:
      jsonrpc::append_result(out, request.id, kToolsResult);
      break;
    case McpMethod::kToolsCall:
      return call_tool(request, out);
    case McpMethod::kResourcesList:
      list_resources(request, out);
      break;
    case McpMethod::kResourcesRead:
      read_resource(request, out);
      break;
    case McpMethod::kPromptsList:
      jsonrpc::append_result(out, request.id, kPromptsResult);
      break;
    default:  // initialize is the server's (it opens a session); a notification sent with an id is unknown
      jsonrpc::append_error(out, request.id, jsonrpc::kMethodNotFound, "Method not found");
      outcome.method = McpMethod::kOther;
      break;
  }
  return outcome;
}

void append_completion(std::string& out, std::string_view prompt_raw) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64-bit
  for (char c : prompt_raw) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  out += prompt_raw;
  for (int i = 0; i < 8; ++i) {
    out += ' ';
    out += kCompletionWords[(hash >> (4 * i)) & 0xF];
  }
}

}  // namespace surge::serve
