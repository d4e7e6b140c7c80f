// graceful_stop in simulated time against `surge serve` on the same loop (engine_harness.h): an iteration
// that outlasts its user's window is cut and counted in the phase it started in, one that ends inside the
// window completes, a ramp down cuts only the users it sends away, and the run ends exactly when the last one
// ends.
#include <gtest/gtest.h>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::closed_phase;
using testing::EngineRun;
using testing::hold_phase;
using testing::ServeTarget;
using testing::SimulatedLoop;

TEST(GracefulStop, CutsIterationsThatOutlastItAtTheRunEnd) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {closed_phase(100ms, 3, 3, 50ms)}, {.path = "/delay/5000"});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.grid().interrupted_iterations(0), 3u);
  EXPECT_EQ(run.grid().total().total(), 0u) << "an abandoned request has no outcome";
  EXPECT_EQ(run.grid().connections(0).closed, 3u) << "its connection is closed";
  EXPECT_EQ(run.engine().active_users(), 0u);
}

TEST(GracefulStop, LetsIterationsEndingWithinItComplete) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {closed_phase(100ms, 3, 3, 5s)}, {.path = "/delay/300"});
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 0u);
  EXPECT_EQ(run.grid().total().ok, 3u);
}

TEST(GracefulStop, ARampDownCutsOnlyTheUsersItSendsAway) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 4 → 2 users over 200 ms (50 ms each to leave), then 2 users for 300 ms (10 s each at the end). Every
  // request takes 1 s, so the two sent away are cut and the two kept complete theirs after the last phase.
  EngineRun run(*loop, serve.url(), {closed_phase(200ms, 4, 2, 50ms), closed_phase(300ms, 2, 2, 10s)},
                {.path = "/delay/1000"});
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 2u);
  EXPECT_EQ(run.grid().interrupted_iterations(1), 0u);
  EXPECT_EQ(run.grid().cell(0, 0).ok, 2u) << "a request belongs to the phase it started in";
  EXPECT_EQ(run.grid().total().total(), 2u);
}

TEST(GracefulStop, UsersLeftBehindByAnotherModelAreCutInThePhaseTheyStartedIn) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {closed_phase(100ms, 2, 2, 50ms), hold_phase(200ms, 1, 100)},
                {.path = "/delay/5000"});
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 2u);
  EXPECT_EQ(run.grid().interrupted_iterations(1), 0u);
  EXPECT_EQ(run.grid().connections(1).opened, 1u) << "the hold opens once a user is free";
  EXPECT_EQ(run.grid().total().total(), 0u);
}

// 10 users ramping to 0 over 4 s (one sent away about every 400 ms, from 0.2 s), each request answered after
// 2.95 s. With 1 s to finish, the 5 sent away before 2 s are cut; at 2.95 s the 5 left end their request
// together, the ramp wants 3 (llround(10 − 2.5 × 2.95)), so 2 leave and 3 start again, and those 3 are sent
// away at 3.01, 3.41 and 3.81 s and cut a second later, long before their answer at 5.9 s.
TEST(GracefulStop, ARampDownCutsTheUsersWhoseAnswerComesAfterTheirWindow) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {closed_phase(4s, 10, 0, 1s)}, {.path = "/delay/2950"});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.grid().interrupted_iterations(0), 8u);
  EXPECT_EQ(run.grid().total().ok, 5u);
  EXPECT_EQ(run.grid().total().errors(), 0u) << "a cut request has no outcome";
  EXPECT_EQ(run.done_ms(), 4810) << "the last one sent away, at 3.81 s, is cut 1 s later";
}

TEST(GracefulStop, ARampDownLetsEveryIterationEndingWithinItComplete) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // As above with 10 s to finish: the 10 first requests all end at 2.95 s, and the 3 begun then at 5.9 s.
  EngineRun run(*loop, serve.url(), {closed_phase(4s, 10, 0, 10s)}, {.path = "/delay/2950"});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.grid().interrupted_iterations(0), 0u);
  EXPECT_EQ(run.grid().total().ok, 13u);
  EXPECT_EQ(serve.requests(), 13u);
  EXPECT_EQ(run.done_ms(), 5900);
}

}  // namespace
}  // namespace surge::load
