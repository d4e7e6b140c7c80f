// MCP client messages and result readers. Params are written straight into the caller's buffer rather than
// built apart and passed to append_request, so a message costs no scratch string.
#include "proto/jsonrpc/mcp.h"

#include "proto/http/field_rules.h"
#include "proto/jsonrpc/message_writer.h"
#include "text/json_string.h"
#include "text/json_view.h"

namespace surge::proto::jsonrpc::mcp {
namespace {

using text::json::append_escaped;
using text::json::ElementIterator;
using text::json::find_member;
using text::json::JsonType;
using text::json::JsonValue;
using text::json::scan_document;

// {"jsonrpc":"2.0","id":N,"method":"M","params": — the caller writes the params and closes with "}".
void open_request(std::string& out, int64_t id, std::string_view method) {
  out += R"({"jsonrpc":"2.0","id":)";
  append_int(out, id);
  out += R"(,"method":")";
  out += method;
  out += R"(","params":)";
}

void append_string(std::string& out, std::string_view text) {
  out += '"';
  append_escaped(out, text);
  out += '"';
}

// The member `key` of the object in result_raw, when the text is an object that has it.
bool member_of(std::string_view result_raw, std::string_view key, JsonValue& value) {
  auto result = scan_document(result_raw);
  return result && find_member(*result, key, value);
}

std::string_view string_member(std::string_view result_raw, std::string_view key) {
  JsonValue value;
  if (!member_of(result_raw, key, value) || !value.is_string()) return {};
  return value.string_body();
}

}  // namespace

bool is_supported_version(std::string_view version) {
  for (std::string_view supported : kSupportedVersions) {
    if (version == supported) return true;
  }
  return false;
}

bool is_event_stream(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  return http::equals_ignore_case(http::trim_ows(type), kEventStreamType);
}

std::string_view list_method(Listing listing) {
  switch (listing) {
    case Listing::kTools:
      return "tools/list";
    case Listing::kResources:
      return "resources/list";
    case Listing::kPrompts:
      return "prompts/list";
  }
  return "tools/list";
}

std::string_view list_member(Listing listing) {
  std::string_view method = list_method(listing);
  return method.substr(0, method.find('/'));
}

void append_initialize(std::string& out, int64_t id, std::string_view client_name,
                       std::string_view client_version) {
  open_request(out, id, kInitialize);
  out += R"({"protocolVersion":")";
  out += kProtocolVersion;
  out += R"(","capabilities":{},"clientInfo":{"name":)";
  append_string(out, client_name);
  out += R"(,"version":)";
  append_string(out, client_version);
  out += "}}}";
}

void append_initialized(std::string& out) { append_notification(out, kInitialized, ""); }

void append_ping(std::string& out, int64_t id) { append_request(out, kPing, "", id); }

void append_list(std::string& out, int64_t id, Listing listing, std::string_view cursor) {
  open_request(out, id, list_method(listing));
  if (cursor.empty()) {
    out += "{}}";
    return;
  }
  out += R"({"cursor":")";
  out += cursor;  // already a string body, escapes and all
  out += "\"}}";
}

void append_tool_call(std::string& out, int64_t id, std::string_view name, std::string_view arguments_json) {
  open_request(out, id, kToolsCall);
  out += R"({"name":)";
  append_string(out, name);
  out += R"(,"arguments":)";
  out += arguments_json.empty() ? std::string_view("{}") : arguments_json;
  out += "}}";
}

void append_resource_read(std::string& out, int64_t id, std::string_view uri) {
  open_request(out, id, kResourcesRead);
  out += R"({"uri":)";
  append_string(out, uri);
  out += "}}";
}

std::string_view next_cursor(std::string_view result_raw) { return string_member(result_raw, "nextCursor"); }

bool tool_result_is_error(std::string_view result_raw) {
  JsonValue value;
  return member_of(result_raw, "isError", value) && value.type == JsonType::kTrue;
}

std::string_view negotiated_version(std::string_view result_raw) {
  return string_member(result_raw, "protocolVersion");
}

std::string_view first_text(std::string_view result_raw) {
  JsonValue content, item, type, text;
  if (!member_of(result_raw, "content", content)) return {};
  ElementIterator items(content);
  while (items.next(item)) {
    if (find_member(item, "type", type) && type.is_string() && type.string_body() == "text" &&
        find_member(item, "text", text) && text.is_string()) {
      return text.string_body();
    }
  }
  return {};
}

}  // namespace surge::proto::jsonrpc::mcp
