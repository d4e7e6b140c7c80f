// The open model in simulated time against `surge serve`'s own counts (engine_harness.h): arrivals follow the
// rate line exactly, second by second (arrival k at the t where from·t + (to − from)·t²/(2D) = k, so a ramp
// from f0 to f1 over D brings (f0 + f1)/2·D arrivals); max_users caps the iterations in flight and every
// arrival that finds no free user is a dropped iteration; schedule_slack sends the arrivals due within it
// together, each measured from its send.
#include <gtest/gtest.h>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::EngineRun;
using testing::open_phase;
using testing::ServeTarget;
using testing::SimulatedLoop;

std::vector<uint64_t> per_second(const ServeTarget& serve, size_t seconds) {
  nlohmann::json counts = serve.stats()["per_second"];
  std::vector<uint64_t> out;
  for (size_t s = 0; s < seconds && s < counts.size(); ++s) out.push_back(counts[s].get<uint64_t>());
  return out;
}

TEST(OpenModel, StartsTheArrivalRateEverySecondCountedByTheTarget) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {open_phase(10s, 2000, 2000, 200)}, {.schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 20'000u) << "2,000/s for 10 s";
  EXPECT_EQ(per_second(serve, 11),
            (std::vector<uint64_t>{2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 0}));
  EXPECT_EQ(run.grid().total().ok, 20'000u);
  EXPECT_EQ(run.grid().dropped_iterations(0), 0u);
  EXPECT_EQ(run.done_ms(), 10'000) << "a target that answers at once leaves nothing to drain";
}

TEST(OpenModel, ARampBringsTheAreaUnderItsLineSecondBySecond) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {open_phase(10s, 100, 1000, 200)}, {.schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  // N(t) = 100·t + 45·t², whole at every whole second: second s holds N(s + 1) − N(s) = 145 + 90·s.
  EXPECT_EQ(serve.requests(), 5500u) << "(100 + 1,000)/2 × 10 s";
  EXPECT_EQ(per_second(serve, 10), (std::vector<uint64_t>{145, 235, 325, 415, 505, 595, 685, 775, 865, 955}));
  EXPECT_EQ(run.grid().total().ok, 5500u);
}

TEST(OpenModel, ARampWhoseAreaIsNotWholeEndsWithTheCeiling) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // (3 + 8)/2 × 1 s = 5.5 arrivals: the ceiling, 6, since k = 5 falls at N(t) = 5, t = 0.936 s, inside the
  // phase.
  EngineRun run(*loop, serve.url(), {open_phase(1s, 3, 8, 10)}, {.schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  EXPECT_EQ(serve.requests(), 6u);
}

TEST(OpenModel, MaxUsersCapsIterationsInFlightAndTheRestAreDropped) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 200/s (one arrival every 5 ms) for 2 s, 5 users, 98 ms per request: a user takes the first arrival after
  // its last iteration, one every 100 ms, so 5 × 20 = 100 start and the other 400 − 100 are dropped.
  EngineRun run(*loop, serve.url(), {open_phase(2s, 200, 200, 5)}, {.path = "/delay/98"});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 100u);
  EXPECT_EQ(run.grid().total().ok, 100u);
  EXPECT_EQ(run.grid().dropped_iterations(0), 300u);
  EXPECT_EQ(run.grid().total().latency.min(), 98 * core::kNsPerMs);
  EXPECT_EQ(run.grid().total().latency.max(), 98 * core::kNsPerMs);
  EXPECT_EQ(run.done_ms(), 2018) << "the last start (1,900 ms + 4 × 5 ms) ends 98 ms later, in the drain";
}

TEST(OpenModel, ArrivalsDueWithinTheScheduleSlackLeaveTogetherMeasuredFromTheirSend) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 15/s: one arrival every 66.7 ms. With 100 ms of slack each wake-up also sends the next one, so they leave
  // in pairs, and the pair sent at 933 ms holds the arrival due at 1 s: the server counts it in its first
  // second.
  EngineRun run(*loop, serve.url(), {open_phase(2s, 15, 15, 10)},
                {.path = "/delay/10", .schedule_slack = 100ms});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 30u);
  EXPECT_EQ(per_second(serve, 2), (std::vector<uint64_t>{16, 14}));
  // Sent early, a request is measured from its send: never less than the server's 10 ms.
  EXPECT_EQ(run.grid().total().latency.min(), 10 * core::kNsPerMs);
  EXPECT_EQ(run.grid().total().latency.max(), 10 * core::kNsPerMs);
}

TEST(OpenModel, WithoutSlackEveryArrivalLeavesAtItsOwnTime) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {open_phase(2s, 15, 15, 10)},
                {.path = "/delay/10", .schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  EXPECT_EQ(per_second(serve, 2), (std::vector<uint64_t>{15, 15}));
}

}  // namespace
}  // namespace surge::load
