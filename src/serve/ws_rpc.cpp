// WsRpcResponder: single messages and batches for /mcp and /rpc over WebSocket. The MCP answers themselves
// are mcp_methods.cpp's, byte for byte the ones Streamable HTTP sends.
#include "serve/ws_rpc.h"

#include <algorithm>

#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message_writer.h"
#include "serve/mcp_methods.h"
#include "text/json_view.h"

namespace surge::serve {
namespace {

namespace jsonrpc = proto::jsonrpc;
using jsonrpc::MessageKind;

// As the HTTP side's session errors: from the range JSON-RPC leaves to servers.
constexpr int64_t kNotInitialized = -32000;
constexpr int64_t kBoom = -32000;

// Runs `one` over the message or the batch in `text`, writing the answer into `out`: one response, the array
// of a batch's responses, or nothing. Parse errors and invalid messages get their error response.
template <typename One, typename Invalid>
bool answer_text(std::string_view text, std::vector<std::string_view>& batch, std::string& out, One one,
                 Invalid invalid) {
  auto document = text::json::scan_document(text);
  if (!document) {
    invalid(out, jsonrpc::kParseError);
    return true;
  }
  if (!document->is_array()) {
    auto message = jsonrpc::parse_message(text);
    if (!message) {
      invalid(out, jsonrpc::kInvalidRequest);
      return true;
    }
    return one(*message, false, out);
  }
  if (!jsonrpc::split_batch(text, batch)) {  // JSON-RPC 2.0 §6: an empty array is one invalid request
    invalid(out, jsonrpc::kInvalidRequest);
    return true;
  }
  const size_t before = out.size();
  jsonrpc::BatchWriter writer(out);
  std::string element_out;
  for (std::string_view element : batch) {
    element_out.clear();
    auto message = jsonrpc::parse_message(element);
    bool replied = true;
    if (message) {
      replied = one(*message, true, element_out);
    } else {
      invalid(element_out, jsonrpc::kInvalidRequest);
    }
    if (replied) writer.next() += element_out;
  }
  if (writer.count() == 0) {
    out.resize(before);
    return false;
  }
  writer.finish();
  return true;
}

}  // namespace

WsRpcResponder::WsRpcResponder(McpCounters* mcp, RpcCounters* rpc)
    : mcp_(mcp != nullptr ? mcp : &own_mcp_), rpc_(rpc != nullptr ? rpc : &own_rpc_) {}

WsRpcReply WsRpcResponder::answer_mcp(std::string_view text, bool& session_open, std::string& out) {
  WsRpcReply reply;
  reply.has_reply = answer_text(
      text, batch_, out,
      [&](const jsonrpc::Message& message, bool in_batch, std::string& into) {
        return mcp_one(message, in_batch, session_open, into, reply.delay_ms);
      },
      [&](std::string& into, int64_t code) { invalid(into, code, nullptr); });
  return reply;
}

void WsRpcResponder::on_mcp_session_closed() { bump(mcp_->sessions_closed); }

bool WsRpcResponder::mcp_one(const jsonrpc::Message& message, bool in_batch, bool& session_open,
                             std::string& out, int64_t& delay_ms) {
  if (message.kind == MessageKind::kResult || message.kind == MessageKind::kError) return false;
  bool is_request = message.kind == MessageKind::kRequest;
  if (is_request && message.method == jsonrpc::mcp::kInitialize) {
    if (in_batch) {
      jsonrpc::append_error(out, message.id, jsonrpc::kInvalidRequest, "initialize must be sent alone");
      return true;
    }
    bump(mcp_->by_method[static_cast<size_t>(McpMethod::kInitialize)]);
    if (!session_open) {  // a second initialize on the same connection renegotiates, it opens no session
      session_open = true;
      bump(mcp_->sessions_opened);
      bump(mcp_->websocket_sessions);
    }
    append_initialize_response(out, message.id, negotiate_version(message.params));
    return true;
  }
  if (!session_open) {
    bump(mcp_->missing_session);
    if (!is_request) return false;
    jsonrpc::append_error(out, message.id, kNotInitialized, "Bad Request: send initialize first");
    return true;
  }
  bump(mcp_->by_method[static_cast<size_t>(mcp_method_of(message.method))]);
  if (!is_request) return false;
  McpCallOutcome outcome = append_response(message, out);
  if (outcome.is_tool_call) bump(mcp_->by_tool[static_cast<size_t>(outcome.tool)]);
  delay_ms = std::max(delay_ms, outcome.delay_ms);
  return true;
}

WsRpcReply WsRpcResponder::answer_rpc(std::string_view text, std::string& out) {
  WsRpcReply reply;
  if (jsonrpc::is_batch(text)) bump(rpc_->batches);
  reply.has_reply = answer_text(
      text, batch_, out,
      [&](const jsonrpc::Message& message, bool, std::string& into) { return rpc_one(message, into); },
      [&](std::string& into, int64_t code) { invalid(into, code, &rpc_->invalid); });
  return reply;
}

bool WsRpcResponder::rpc_one(const jsonrpc::Message& message, std::string& out) {
  if (message.kind == MessageKind::kResult || message.kind == MessageKind::kError) {
    invalid(out, jsonrpc::kInvalidRequest, &rpc_->invalid);  // a client sends requests, not responses
    return true;
  }
  RpcMethod method = rpc_method_of(message.method);
  bump(rpc_->by_method[static_cast<size_t>(method)]);
  if (message.kind == MessageKind::kNotification) {
    bump(rpc_->notifications);
    return false;
  }
  bump(rpc_->requests);
  if (method == RpcMethod::kAdd) {
    auto params =
        text::json::scan_document(message.params.empty() ? std::string_view("null") : message.params);
    text::json::ElementIterator elements(params ? *params : text::json::JsonValue{});
    text::json::JsonValue a, b, extra;
    int64_t x = 0, y = 0;
    bool ok = params && params->is_array() && elements.next(a) && elements.next(b) && !elements.next(extra) &&
              text::json::to_int64(a, x) && text::json::to_int64(b, y) && !__builtin_add_overflow(x, y, &x);
    if (ok) {
      std::string sum;
      jsonrpc::append_int(sum, x);
      jsonrpc::append_result(out, message.id, sum);
      return true;
    }
    bump(rpc_->errors_sent);
    jsonrpc::append_error(out, message.id, jsonrpc::kInvalidParams, "add needs [a, b], two integers");
    return true;
  }
  if (method == RpcMethod::kEcho) {
    jsonrpc::append_result(out, message.id,
                           message.params.empty() ? std::string_view("null") : message.params);
    return true;
  }
  bump(rpc_->errors_sent);
  if (method == RpcMethod::kBoom) {
    jsonrpc::append_error(out, message.id, kBoom, "boom");
  } else {
    jsonrpc::append_error(out, message.id, jsonrpc::kMethodNotFound, "Method not found");
  }
  return true;
}

void WsRpcResponder::invalid(std::string& out, int64_t code, uint64_t* counter) {
  if (counter != nullptr) {
    bump(*counter);
    bump(rpc_->errors_sent);
  }
  jsonrpc::append_error(out, "null", code, code == jsonrpc::kParseError ? "Parse error" : "Invalid Request");
}

}  // namespace surge::serve
