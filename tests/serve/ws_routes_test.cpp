// Routing of /ws and /ws/room/{name}: the plan a request gets before any upgrade is looked at, the room
// names accepted, and the room a target names.
#include "serve/ws_routes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "serve/routes.h"

namespace surge::serve {
namespace {

ResponsePlan plan_for(std::string_view target) {
  return plan_response(RequestLine{"GET", target, 1, true}, 0);
}

TEST(WsRoutes, SendsWsToAWebSocketPlanWhoseFallbackIs426) {
  const ResponsePlan plan = plan_for("/ws");
  EXPECT_EQ(plan.route, Route::kWs);
  EXPECT_EQ(plan.action, Action::kWebSocket);
  EXPECT_EQ(plan.status, 426);
  EXPECT_EQ(plan.text, "upgrade required: this is a WebSocket endpoint\n");
  EXPECT_EQ(route_name(Route::kWs), "/ws");
}

TEST(WsRoutes, AcceptsRoomNamesOfUpTo64LettersDigitsUnderscoresAndDashes) {
  EXPECT_EQ(plan_for("/ws/room/main-1_X").action, Action::kWebSocket);
  EXPECT_EQ(plan_for("/ws/room/" + std::string(64, 'r')).action, Action::kWebSocket);
  EXPECT_EQ(plan_for("/ws/room/main?token=1").action, Action::kWebSocket);
}

TEST(WsRoutes, AnswersABadRoomNameWith400) {
  for (std::string target : std::vector<std::string>{"/ws/room/", "/ws/room/a.b", "/ws/room/a/b",
                                                     "/ws/room/" + std::string(65, 'r')}) {
    const ResponsePlan plan = plan_for(target);
    EXPECT_EQ(plan.status, 400) << target;
    EXPECT_EQ(plan.text, "bad room name\n") << target;
    EXPECT_EQ(plan.route, Route::kWs) << target;
    EXPECT_EQ(plan.action, Action::kNone) << target;
  }
}

TEST(WsRoutes, AnswersOtherWsPathsWith404UnderOther) {
  const ResponsePlan plan = plan_for("/ws/rooms");
  EXPECT_EQ(plan.status, 404);
  EXPECT_EQ(plan.route, Route::kOther);
}

TEST(WsRoutes, LeavesPathsThatOnlyStartWithWsAlone) {
  EXPECT_EQ(plan_for("/wsx").route, Route::kOther);
  EXPECT_EQ(plan_for("/wsx").action, Action::kNone);
}

TEST(WsRoutes, NamesTheRoomOfATarget) {
  EXPECT_EQ(websocket_room("/ws/room/main?x=1"), "main");
  EXPECT_EQ(websocket_room("/ws/room/main"), "main");
  EXPECT_EQ(websocket_room("/ws"), "");
  EXPECT_EQ(websocket_room("/ws?room=main"), "");
}

}  // namespace
}  // namespace surge::serve
