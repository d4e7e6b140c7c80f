// /ws, /ws/room/{name} and /rpc: which paths are WebSocket endpoints, what a non-upgrade request to one gets,
// and the room a target names.
#include "serve/ws_routes.h"

#include "serve/ws_stats.h"

namespace surge::serve {
namespace {

constexpr std::string_view kRoomPrefix = "/ws/room/";

bool is_room_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxRoomNameBytes) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

ResponsePlan ws_text_plan(uint16_t status, std::string_view body) {
  ResponsePlan plan;
  plan.route = Route::kWs;
  plan.status = status;
  plan.text = body;
  plan.body_bytes = body.size();
  plan.content_type = "text/plain";
  return plan;
}

}  // namespace

bool is_websocket_path(std::string_view path) {
  return path == "/ws" || path.starts_with("/ws/") || path == "/rpc";
}

ResponsePlan websocket_plan(std::string_view path) {
  if (path.starts_with(kRoomPrefix) && !is_room_name(path.substr(kRoomPrefix.size()))) {
    return ws_text_plan(400, "bad room name\n");
  }
  if (path != "/ws" && path != "/rpc" && !path.starts_with(kRoomPrefix)) {
    ResponsePlan plan = ws_text_plan(404, "not found\n");
    plan.route = Route::kOther;
    return plan;
  }
  // RFC 9110 §15.5.22: 426 names the protocol to switch to (the writer adds Upgrade: websocket).
  ResponsePlan plan = ws_text_plan(426, "upgrade required: this is a WebSocket endpoint\n");
  plan.action = Action::kWebSocket;
  if (path == "/rpc") plan.route = Route::kRpc;
  return plan;
}

ResponsePlan websocket_refusal_plan() { return ws_text_plan(400, "bad WebSocket upgrade\n"); }

std::string_view websocket_room(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return path.starts_with(kRoomPrefix) ? path.substr(kRoomPrefix.size()) : std::string_view();
}

}  // namespace surge::serve
