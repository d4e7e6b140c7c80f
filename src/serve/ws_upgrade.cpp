// The moment an HTTP connection becomes a WebSocket: Connection checks the upgrade request and, when the
// server takes it, gives its socket (and the bytes read behind the request) to a WsConnection, then lets go
// of it without closing it. Plain HTTP requests never come here (routes give Action::kWebSocket to /ws, /rpc,
// and the connection to an upgrade request at /mcp).
#include "proto/ws/handshake.h"
#include "serve/connection.h"
#include "serve/worker.h"
#include "serve/ws_hub.h"
#include "serve/ws_routes.h"

namespace surge::serve {
namespace {

constexpr std::string_view kMcpSubprotocol = "mcp";

WsEndpoint endpoint_of(const ResponsePlan& plan, std::string_view room) {
  if (plan.route == Route::kMcp) return WsEndpoint::kMcp;
  if (plan.route == Route::kRpc) return WsEndpoint::kRpc;
  return room.empty() ? WsEndpoint::kEcho : WsEndpoint::kRoom;
}

}  // namespace

bool Connection::upgrade_to_websocket(ResponsePlan& plan, const proto::http::Request& request,
                                      std::string_view head, size_t bytes_after_head) {
  if (!proto::ws::is_upgrade_request(head)) return false;  // the plan's 426
  auto upgrade = proto::ws::check_upgrade_request(request.method, head);
  // Only a request with nothing queued before it: answers to earlier pipelined requests would otherwise
  // have to be written by the HTTP side after the socket has changed hands.
  // A WebSocket takes the bare socket, so not over TLS (yet).
  bool taken = upgrade && ssl_ == nullptr && request.minor_version == 1 && !request.chunked &&
               request.content_length == 0 && queue_size_ == 0;
  // /mcp speaks MCP only to a client that asked for it (the SDKs' WebSocket transports offer "mcp"), and
  // answers with that subprotocol whatever the client listed first.
  const bool is_mcp = plan.route == Route::kMcp;
  if (is_mcp && taken) taken = proto::ws::offers_subprotocol(head, kMcpSubprotocol);
  if (!taken) {
    const Route route = plan.route;  // counted where it was asked for: /ws, /rpc or /mcp
    plan = websocket_refusal_plan();
    plan.route = route;
    return false;
  }
  const std::string_view early(head.data() + head.size(), bytes_after_head);
  const int fd = fd_;
  fd_ = -1;
  closed_ = true;
  input_ = Input::kClosed;
  worker_.loop().cancel(*this);
  const std::string_view room = websocket_room(request.target);
  worker_.ws_hub().adopt(fd, endpoint_of(plan, room), room, upgrade->key,
                         is_mcp ? kMcpSubprotocol : upgrade->first_subprotocol, early);
  // The connection count goes on with the WebSocket (which reports the close), so no on_connection_closed.
  worker_.on_connection_closed(*this);
  return true;
}

}  // namespace surge::serve
