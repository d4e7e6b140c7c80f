// Routing of `surge serve`'s WebSocket endpoints: /ws (echo), /ws/room/{name} (broadcast to the room) and
// /rpc (JSON-RPC 2.0, ws_rpc.h). /mcp takes upgrades too, but is routed as an HTTP endpoint (routes.cpp).
// A request that is not an upgrade gets the plan's 426; an upgrade is taken over by the connection
// (Connection::upgrade_to_websocket, ws_upgrade.cpp). Pure functions, like routes.cpp.
#pragma once

#include <string_view>

#include "serve/routes.h"

namespace surge::serve {

// Whether `path` is one of ours: "/ws", "/rpc" or starts "/ws/".
bool is_websocket_path(std::string_view path);

// For a path is_websocket_path accepts: Route::kWs (Route::kRpc for /rpc) with Action::kWebSocket and the 426 a plain request
// gets (Upgrade: websocket), or 400 for a room name outside [A-Za-z0-9_-]{1,64}, or 404 for other /ws/...
ResponsePlan websocket_plan(std::string_view path);

// The 400 for an upgrade request the server will not take (a bad handshake, a body, HTTP/1.0, or
// requests still waiting for their answers before it).
ResponsePlan websocket_refusal_plan();

// The room of a request target websocket_plan accepted: "" for /ws, the name for /ws/room/{name}.
std::string_view websocket_room(std::string_view target);

}  // namespace surge::serve
