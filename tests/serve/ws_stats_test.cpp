// The "ws" object of /__surge/stats: counters summed over workers, rooms merged by name, and the fixed room
// table's overflow counted apart.
#include "serve/ws_stats.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace surge::serve {
namespace {

// Counters as the zero-filled shared mapping gives them.
std::unique_ptr<WsCounters> zeroed() { return std::make_unique<WsCounters>(WsCounters{}); }

nlohmann::ordered_json render(const std::vector<const WsCounters*>& workers) {
  return render_ws_stats(workers);
}

TEST(WsStats, RendersEveryKeyForFreshCounters) {
  auto counters = zeroed();
  EXPECT_EQ(render({counters.get()}).dump(),
            R"({"upgrades":0,"open":0,"messages_in":0,"messages_out":0,"by_room":{},)"
            R"("other_rooms":{"messages_in":0,"messages_out":0}})");
}

TEST(WsStats, CountsOpenAsUpgradesMinusCloses) {
  auto counters = zeroed();
  WsStats stats(counters.get());
  stats.on_upgrade();
  stats.on_upgrade();
  stats.on_closed();
  EXPECT_EQ(render({counters.get()})["open"], 1);
  EXPECT_EQ(render({counters.get()})["upgrades"], 2);
}

TEST(WsStats, SumsWorkersAndMergesTheirRoomsByName) {
  auto a = zeroed(), b = zeroed();
  WsStats first(a.get()), second(b.get());
  const uint32_t main_a = first.room_index("main");
  const uint32_t zeta_b = second.room_index("zeta");  // index 0 in the second table
  const uint32_t main_b = second.room_index("main");
  EXPECT_EQ(first.room_index("main"), main_a);  // found again, not added twice
  first.count_in(main_a);
  first.count_out(main_a, 3);
  second.count_in(main_b);
  second.count_out(main_b, 2);
  second.count_in(zeta_b);
  second.count_in(WsStats::kNoRoom);
  second.count_out(WsStats::kNoRoom, 1);
  EXPECT_EQ(render({a.get(), b.get()}).dump(),
            R"({"upgrades":0,"open":0,"messages_in":4,"messages_out":6,"by_room":{)"
            R"("main":{"messages_in":2,"messages_out":5},"zeta":{"messages_in":1,"messages_out":0}},)"
            R"("other_rooms":{"messages_in":0,"messages_out":0}})");
}

TEST(WsStats, CountsRoomsPastTheTableUnderOtherRooms) {
  auto counters = zeroed();
  WsStats stats(counters.get());
  for (size_t i = 0; i < WsCounters::kTrackedRooms; ++i)
    ASSERT_EQ(stats.room_index("r" + std::to_string(i)), i);
  const uint32_t extra = stats.room_index("one-too-many");
  EXPECT_EQ(extra, WsStats::kUntrackedRoom);
  stats.count_in(extra);
  stats.count_out(extra, 4);
  nlohmann::ordered_json doc = render({counters.get()});
  EXPECT_EQ(doc["by_room"].size(), WsCounters::kTrackedRooms);
  EXPECT_EQ(doc["other_rooms"].dump(), R"({"messages_in":1,"messages_out":4})");
  EXPECT_EQ(doc["messages_in"], 1);
}

TEST(WsStats, IgnoresCallsWithoutCounters) {
  WsStats stats;
  stats.on_upgrade();
  stats.count_in(stats.room_index("main"));
  SUCCEED();
}

}  // namespace
}  // namespace surge::serve
