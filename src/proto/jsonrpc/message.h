// Reading JSON-RPC 2.0 messages in place: one message (request, notification, result or error response)
// becomes a set of views into the caller's text, and a batch is split into its elements' texts.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace surge::proto::jsonrpc {

enum class MessageKind : uint8_t {
  kRequest,       // "method" and "id"
  kNotification,  // "method", no "id"
  kResult,        // "result" and "id"
  kError,         // "error" {code, message[, data]} and "id" (null when the peer could not read ours)
};

// Every view points into the text given to parse_message and lives as long as it does.
struct Message {
  MessageKind kind = MessageKind::kNotification;
  std::string_view id;      // raw JSON: 7, "abc" (quotes included) or null; empty for a notification
  std::string_view method;  // requests and notifications: the string's body, escapes as written
  std::string_view params;  // raw JSON object or array; empty when absent
  std::string_view result;  // raw JSON of any type
  int64_t error_code = 0;
  std::string_view error_message;  // the string's body, escapes as written
  std::string_view error_data;     // raw JSON; empty when absent
};

// Reads one message (JSON-RPC 2.0 §4, §5). Errors are one line: the JSON scanner's (text/json_scan.h), or
// `JSON-RPC message is not an object`, `JSON-RPC message without "jsonrpc": "2.0"`,
// `JSON-RPC "method" is not a string`, `JSON-RPC "id" must be an integer or a string`,
// `JSON-RPC "params" must be an object or an array`, `JSON-RPC response has both "result" and "error"`,
// `JSON-RPC response without "id"`, `JSON-RPC "error" needs an integer "code" and a string "message"`,
// `JSON-RPC message has no "method", "result" or "error"`. A null id is accepted in error responses only.
// Allocates only to build an error.
core::Result<Message> parse_message(std::string_view json);

// True when the first non-whitespace byte is '[' (a batch, JSON-RPC 2.0 §6).
bool is_batch(std::string_view json);

// Splits a batch into the raw text of each element, in order, for parse_message. `elements` is cleared
// first and keeps its capacity, so a caller that reuses one vector stops allocating once it has grown.
// Errors: the scanner's, `JSON-RPC batch is not an array`, `JSON-RPC batch is empty`.
core::Result<void> split_batch(std::string_view json, std::vector<std::string_view>& elements);

}  // namespace surge::proto::jsonrpc
