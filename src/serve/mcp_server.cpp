// The Streamable HTTP side of /mcp: the HTTP method, the session checks, single messages and batches, and
// the JSON or SSE framing of the answer. What each JSON-RPC method answers is in mcp_methods.cpp.
#include "serve/mcp_server.h"

#include <algorithm>

#include "core/clock.h"
#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message_writer.h"
#include "serve/mcp_methods.h"
#include "text/json_view.h"

namespace surge::serve {
namespace {

namespace jsonrpc = proto::jsonrpc;
using jsonrpc::MessageKind;

constexpr size_t kMaxSavedValueBytes = 64;
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";
// Session errors carry codes from the range JSON-RPC leaves to servers, as the MCP SDK's servers do.
constexpr int64_t kBadRequest = -32000;
constexpr int64_t kSessionNotFound = -32001;

}  // namespace

struct McpServer::Context {
  char method = 'X';  // 'P' POST, 'D' DELETE, 'G' GET, 'X' any other
  std::string_view session_id;
  std::string_view protocol_version;
};

size_t save_mcp_context(std::string_view method, std::string_view session_id,
                        std::string_view protocol_version, std::string& owned) {
  size_t before = owned.size();
  owned += method == "POST" ? 'P' : method == "DELETE" ? 'D' : method == "GET" ? 'G' : 'X';
  owned.append(session_id.substr(0, kMaxSavedValueBytes));
  owned += '\n';  // never inside a header value: the request parser rejects bare line ends
  owned.append(protocol_version.substr(0, kMaxSavedValueBytes));
  return owned.size() - before;
}

McpServer::McpServer(bool sse, McpCounters* counters, uint64_t seed, uint32_t session_requests)
    : sessions_(seed, session_requests),
      counters_(counters != nullptr ? counters : &own_counters_),
      sse_(sse) {}

size_t McpServer::answer(ResponsePlan& plan, std::string& owned, size_t offset, size_t context_bytes) {
  std::string_view saved(owned.data() + offset, context_bytes);
  std::string_view body(owned.data() + offset + context_bytes, owned.size() - offset - context_bytes);
  Context context;
  size_t newline = saved.find('\n');
  if (!saved.empty() && newline != std::string_view::npos) {
    context.method = saved[0];
    context.session_id = saved.substr(1, newline - 1);
    context.protocol_version = saved.substr(newline + 1);
  }
  headers_.clear();
  body_.clear();
  responses_ = 0;
  Reply reply = handle(context, body);
  owned.resize(offset);
  owned += headers_;
  owned += body_;
  plan.status = reply.status;
  plan.content_type = body_.empty() ? std::string_view() : reply.content_type;
  plan.body_bytes = body_.size();
  plan.delay_ns += reply.delay_ms * core::kNsPerMs;
  return headers_.size();
}

McpServer::Reply McpServer::handle(const Context& context, std::string_view body) {
  if (context.method == 'P') return post(context, body);
  if (context.method == 'D') {
    Reply refused = check_session(context);
    if (refused.status != 0) return refused;
    sessions_.close(context.session_id);
    bump(counters_->sessions_closed);
    return Reply{200};
  }
  // GET would open a stream for server-initiated messages; this server sends none (spec: 405 then).
  headers_ += "Allow: POST, DELETE\r\n";
  body_ += "method not allowed\n";
  return Reply{405, "text/plain"};
}

McpServer::Reply McpServer::post(const Context& context, std::string_view body) {
  auto document = text::json::scan_document(body);
  if (!document) return refuse(400, jsonrpc::kParseError, "Parse error");
  if (document->is_array()) return post_batch(context, body);
  auto message = jsonrpc::parse_message(body);
  if (!message) return refuse(400, jsonrpc::kInvalidRequest, "Invalid Request");
  if (message->kind == MessageKind::kRequest && message->method == jsonrpc::mcp::kInitialize)
    return initialize(*message);
  Reply refused = check_session(context);
  if (refused.status != 0) return refused;
  count_request(context);
  int64_t delay_ms = 0;
  if (!respond(*message, delay_ms)) return Reply{202};
  return Reply{200, sse_ ? kEventStream : kJson, delay_ms};
}

// JSON-RPC 2.0 §6: one response per request, in any order (we keep the batch's), none for notifications.
// The answer leaves after the longest sleep in the batch, as if its calls had run side by side.
McpServer::Reply McpServer::post_batch(const Context& context, std::string_view body) {
  if (!jsonrpc::split_batch(body, batch_)) return refuse(400, jsonrpc::kInvalidRequest, "Invalid Request");
  Reply refused = check_session(context);
  if (refused.status != 0) return refused;
  count_request(context);
  in_batch_ = true;
  if (!sse_) body_ += '[';
  int64_t delay_ms = 0;
  for (std::string_view element : batch_) {
    auto message = jsonrpc::parse_message(element);
    if (message &&
        !(message->kind == MessageKind::kRequest && message->method == jsonrpc::mcp::kInitialize)) {
      respond(*message, delay_ms);
      continue;
    }
    begin_event();
    if (message) {
      jsonrpc::append_error(body_, message->id, jsonrpc::kInvalidRequest, "initialize must be sent alone");
    } else {
      jsonrpc::append_error(body_, "null", jsonrpc::kInvalidRequest, "Invalid Request");
    }
    end_event();
  }
  in_batch_ = false;
  if (responses_ == 0) {
    body_.clear();
    return Reply{202};
  }
  if (!sse_) body_ += ']';
  return Reply{200, sse_ ? kEventStream : kJson, delay_ms};
}

McpServer::Reply McpServer::initialize(const proto::jsonrpc::Message& request) {
  headers_.append(jsonrpc::mcp::kSessionHeader).append(": ");
  if (sessions_.open(headers_)) bump(counters_->sessions_evicted);
  headers_ += "\r\n";
  bump(counters_->sessions_opened);
  bump(counters_->by_method[static_cast<size_t>(McpMethod::kInitialize)]);
  begin_event();
  append_initialize_response(body_, request.id, negotiate_version(request.params));
  end_event();
  return Reply{200, sse_ ? kEventStream : kJson};
}

McpServer::Reply McpServer::check_session(const Context& context) {
  if (context.session_id.empty()) {
    bump(counters_->missing_session);
    return refuse(400, kBadRequest, "Bad Request: no Mcp-Session-Id header");
  }
  if (!sessions_.is_open(context.session_id)) {
    bump(counters_->unknown_session);
    return refuse(404, kSessionNotFound, "Session not found");
  }
  if (!context.protocol_version.empty() && !jsonrpc::mcp::is_supported_version(context.protocol_version))
    return refuse(400, kBadRequest, "Bad Request: unsupported MCP-Protocol-Version");
  return Reply{0};
}

// --mcp-session-requests: the request is answered, and the session ends when it was its last.
void McpServer::count_request(const Context& context) {
  if (sessions_.count_request(context.session_id)) bump(counters_->sessions_expired);
}

McpServer::Reply McpServer::refuse(uint16_t status, int64_t code, std::string_view message) {
  body_.clear();
  jsonrpc::append_error(body_, "null", code, message);
  return Reply{status, kJson};
}

bool McpServer::respond(const proto::jsonrpc::Message& message, int64_t& delay_ms) {
  if (message.kind == MessageKind::kResult || message.kind == MessageKind::kError) return false;
  bump(counters_->by_method[static_cast<size_t>(mcp_method_of(message.method))]);
  if (message.kind == MessageKind::kNotification) return false;
  begin_event();
  McpCallOutcome outcome = append_response(message, body_);
  end_event();
  if (outcome.is_tool_call) bump(counters_->by_tool[static_cast<size_t>(outcome.tool)]);
  delay_ms = std::max(delay_ms, outcome.delay_ms);
  return true;
}

// Our JSON never holds a raw line end (strings are escaped), so each response is one "data:" line.
void McpServer::begin_event() {
  if (sse_) {
    body_ += "event: message\ndata: ";
  } else if (in_batch_ && responses_ > 0) {
    body_ += ',';
  }
  ++responses_;
}

void McpServer::end_event() {
  if (sse_) body_ += "\n\n";
}

}  // namespace surge::serve
