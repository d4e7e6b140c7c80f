// JSON-RPC 2.0 message reading: one pass over the top-level members (the scanner validates the rest),
// then the rules of the spec's §4 (request, notification) and §5 (response) decide the kind.
#include "proto/jsonrpc/message.h"

#include "text/json_view.h"

namespace surge::proto::jsonrpc {
namespace {

using text::json::ElementIterator;
using text::json::find_member;
using text::json::JsonType;
using text::json::JsonValue;
using text::json::MemberIterator;
using text::json::scan_document;
using text::json::to_int64;

// The top-level members a message may have; unknown members are ignored (forward compatibility).
struct Members {
  bool has_version = false;
  bool has_id = false;
  bool has_method = false;
  bool has_params = false;
  bool has_result = false;
  bool has_error = false;
  JsonValue id, method, params, result, error;
};

Members collect(const JsonValue& object) {
  Members found;
  MemberIterator members(object);
  std::string_view key;
  JsonValue value;
  while (members.next(key, value)) {
    if (key == "jsonrpc") {
      found.has_version = value.is_string() && value.string_body() == "2.0";
    } else if (key == "id") {
      found.has_id = true;
      found.id = value;
    } else if (key == "method") {
      found.has_method = true;
      found.method = value;
    } else if (key == "params") {
      found.has_params = true;
      found.params = value;
    } else if (key == "result") {
      found.has_result = true;
      found.result = value;
    } else if (key == "error") {
      found.has_error = true;
      found.error = value;
    }
  }
  return found;
}

bool is_valid_id(const JsonValue& id) {
  int64_t ignored = 0;
  return id.is_string() || to_int64(id, ignored);
}

core::Result<Message> read_call(const Members& found, Message message) {
  if (!found.method.is_string()) return core::fail("JSON-RPC \"method\" is not a string");
  message.method = found.method.string_body();
  if (found.has_params) {
    if (!found.params.is_object() && !found.params.is_array())
      return core::fail("JSON-RPC \"params\" must be an object or an array");
    message.params = found.params.raw;
  }
  if (!found.has_id) {
    message.kind = MessageKind::kNotification;
    return message;
  }
  if (!is_valid_id(found.id)) return core::fail("JSON-RPC \"id\" must be an integer or a string");
  message.kind = MessageKind::kRequest;
  message.id = found.id.raw;
  return message;
}

core::Result<Message> read_response(const Members& found, Message message) {
  if (found.has_result && found.has_error)
    return core::fail("JSON-RPC response has both \"result\" and \"error\"");
  if (!found.has_id) return core::fail("JSON-RPC response without \"id\"");
  bool null_id = found.id.type == JsonType::kNull;
  // §5: the id is null only when the request's id could not be read, which only an error can report.
  if (!is_valid_id(found.id) && !(null_id && found.has_error))
    return core::fail("JSON-RPC \"id\" must be an integer or a string");
  message.id = found.id.raw;
  if (found.has_result) {
    message.kind = MessageKind::kResult;
    message.result = found.result.raw;
    return message;
  }
  JsonValue code, text, data;
  if (!find_member(found.error, "code", code) || !to_int64(code, message.error_code) ||
      !find_member(found.error, "message", text) || !text.is_string()) {
    return core::fail("JSON-RPC \"error\" needs an integer \"code\" and a string \"message\"");
  }
  message.kind = MessageKind::kError;
  message.error_message = text.string_body();
  if (find_member(found.error, "data", data)) message.error_data = data.raw;
  return message;
}

}  // namespace

core::Result<Message> parse_message(std::string_view json) {
  auto document = scan_document(json);
  if (!document) return core::fail(document.error().message);
  if (!document->is_object()) return core::fail("JSON-RPC message is not an object");
  Members found = collect(*document);
  if (!found.has_version) return core::fail("JSON-RPC message without \"jsonrpc\": \"2.0\"");
  if (found.has_method) return read_call(found, Message{});
  if (found.has_result || found.has_error) return read_response(found, Message{});
  return core::fail("JSON-RPC message has no \"method\", \"result\" or \"error\"");
}

bool is_batch(std::string_view json) {
  for (char c : json) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c == '[';
  }
  return false;
}

core::Result<void> split_batch(std::string_view json, std::vector<std::string_view>& elements) {
  elements.clear();
  auto document = scan_document(json);
  if (!document) return core::fail(document.error().message);
  if (!document->is_array()) return core::fail("JSON-RPC batch is not an array");
  ElementIterator items(*document);
  JsonValue item;
  while (items.next(item)) elements.push_back(item.raw);
  if (elements.empty()) return core::fail("JSON-RPC batch is empty");
  return {};
}

}  // namespace surge::proto::jsonrpc
