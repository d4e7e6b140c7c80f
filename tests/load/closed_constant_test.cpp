// The closed and constant-throughput models in simulated time against `surge serve`'s own counts
// (engine_harness.h). Closed: the users running follow the ramp's line (llround of users.at(t), taken every
// 10 ms). Constant: C connections share one request schedule, connection c taking slots c, c + C, ...; one
// still busy at its slot sends when free, measured from the slot (wrk2's coordinated omission correction).
#include <gtest/gtest.h>

#include <cmath>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::closed_phase;
using testing::constant_phase;
using testing::EngineRun;
using testing::ServeTarget;
using testing::SimulatedLoop;

TEST(ClosedModel, ARampStartsItsUsersAlongTheLine) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 0 → 20 users over 2 s: at t the ramp wants llround(10·t) users, each on its own connection.
  EngineRun run(*loop, serve.url(), {closed_phase(2s, 0, 20)}, {.path = "/delay/5"});
  run.start();
  for (int64_t ms : {0, 260, 1000, 1540, 1960}) {
    run.run_until(ms);
    size_t planned = static_cast<size_t>(std::llround(10.0 * static_cast<double>(ms) / 1000));
    EXPECT_EQ(run.engine().active_users(), planned) << ms << " ms";
    EXPECT_EQ(serve.stats()["connections"]["accepted"], planned) << ms << " ms";
  }
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.grid().connections(0).opened, 20u);
  // Users start on 10 ms ticks and loop 5 ms iterations, so the last ones end at 2 s itself, just after the
  // phase-end tick (armed first) has begun the drain: none starts again.
  EXPECT_EQ(run.done_ms(), 2000);
  EXPECT_EQ(run.grid().interrupted_iterations(0), 0u);
  EXPECT_EQ(run.grid().total().ok, serve.requests());
}

TEST(ConstantModel, SendsTheRateSharedByItsConnectionsEverySecond) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {constant_phase(4s, 20, 1500)}, {.schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 6000u) << "1,500/s for 4 s";
  nlohmann::json per_second = serve.stats()["per_second"];
  for (size_t s = 0; s < 4; ++s) EXPECT_EQ(per_second[s], 1500) << "second " << s;
  EXPECT_EQ(run.grid().total().ok, 6000u);
  EXPECT_EQ(run.grid().connections(0).opened, 20u);
  EXPECT_EQ(serve.stats()["connections"]["accepted"], 20);
}

TEST(ConstantModel, AConnectionBusyAtItsSlotSendsWhenFreeMeasuredFromTheSlot) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 100/s over 2 connections: connection c owns the slots at c·10 + 20·i ms, but each request takes 30 ms, so
  // its i-th request leaves at c·10 + 30·i ms, 10·i ms after its slot, and is measured as 30 + 10·i ms.
  // Within 1 s connection 0 sends 34 (0 … 990 ms) and connection 1 sends 33 (10 … 970 ms).
  EngineRun run(*loop, serve.url(), {constant_phase(1s, 2, 100)},
                {.path = "/delay/30", .schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 67u);
  EXPECT_EQ(run.grid().total().ok, 67u);
  EXPECT_EQ(run.grid().total().latency.min(), 30 * core::kNsPerMs);
  EXPECT_EQ(run.grid().total().latency.max(), 360 * core::kNsPerMs) << "connection 0's 34th: 30 + 10 × 33 ms";
  EXPECT_EQ(run.done_ms(), 1020) << "the request sent at 990 ms ends in the drain";
}

TEST(ConstantModel, RequestsSentWithinTheScheduleSlackAreMeasuredFromTheirSend) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 40/s over 4 connections for 3 s, 50 ms per request, 100 ms of slack: a connection sends its next slot as
  // soon as it is free and the slot is within 100 ms, so no request is late, and each counts from its send.
  EngineRun run(*loop, serve.url(), {constant_phase(3s, 4, 40)},
                {.path = "/delay/50", .schedule_slack = 100ms});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 120u);
  EXPECT_EQ(run.grid().total().latency.min(), 50 * core::kNsPerMs);
  EXPECT_EQ(run.grid().total().latency.max(), 50 * core::kNsPerMs);
}

}  // namespace
}  // namespace surge::load
