// graceful_stop against a real `surge serve`: an iteration that outlasts its user's window is cut and counted
// in the phase it started in, one that ends inside the window completes, and a ramp down cuts only the users
// it sends away.
#include <gtest/gtest.h>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::closed_phase;
using testing::EngineRun;
using testing::hold_phase;
using testing::ServeChild;

std::unique_ptr<core::EventLoop> make_loop() {
  auto loop = core::EventLoop::create();
  EXPECT_TRUE(loop.has_value());
  return std::move(loop).value();
}

TEST(GracefulStop, CutsIterationsThatOutlastItAtTheRunEnd) {
  ServeChild serve;
  auto loop = make_loop();
  EngineRun run(*loop, serve.url, {closed_phase(100ms, 3, 3, 50ms)}, "/delay/5000");
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.grid().interrupted_iterations(0), 3u);
  EXPECT_EQ(run.grid().total().total(), 0u) << "an abandoned request has no outcome";
  EXPECT_EQ(run.grid().connections(0).closed, 3u) << "its connection is closed";
  EXPECT_EQ(run.engine().active_users(), 0u);
}

TEST(GracefulStop, LetsIterationsEndingWithinItComplete) {
  ServeChild serve;
  auto loop = make_loop();
  EngineRun run(*loop, serve.url, {closed_phase(100ms, 3, 3, 5s)}, "/delay/300");
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 0u);
  EXPECT_EQ(run.grid().total().ok, 3u);
}

TEST(GracefulStop, ARampDownCutsOnlyTheUsersItSendsAway) {
  ServeChild serve;
  auto loop = make_loop();
  // 4 → 2 users over 200 ms (50 ms each to leave), then 2 users for 300 ms (10 s each at the end). Every
  // request takes 1 s, so the two sent away are cut and the two kept complete theirs after the last phase.
  EngineRun run(*loop, serve.url, {closed_phase(200ms, 4, 2, 50ms), closed_phase(300ms, 2, 2, 10s)},
                "/delay/1000");
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 2u);
  EXPECT_EQ(run.grid().interrupted_iterations(1), 0u);
  EXPECT_EQ(run.grid().cell(0, 0).ok, 2u) << "a request belongs to the phase it started in";
  EXPECT_EQ(run.grid().total().total(), 2u);
}

TEST(GracefulStop, UsersLeftBehindByAnotherModelAreCutInThePhaseTheyStartedIn) {
  ServeChild serve;
  auto loop = make_loop();
  EngineRun run(*loop, serve.url, {closed_phase(100ms, 2, 2, 50ms), hold_phase(200ms, 1, 100)},
                "/delay/5000");
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().interrupted_iterations(0), 2u);
  EXPECT_EQ(run.grid().interrupted_iterations(1), 0u);
  EXPECT_EQ(run.grid().connections(1).opened, 1u) << "the hold opens once a user is free";
  EXPECT_EQ(run.grid().total().total(), 0u);
}

}  // namespace
}  // namespace surge::load
