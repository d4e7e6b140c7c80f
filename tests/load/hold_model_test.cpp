// The hold model on one worker against real loopback targets: exact connection counts on both sides, a
// connection the server closes is reopened, hold phases hand their connections on, and requests of a rate
// ride the held connections (none is opened for them) or, when none opens, are counted as dropped.
#include <gtest/gtest.h>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::EngineRun;
using testing::hold_phase;
using testing::Listener;
using testing::ServeTarget;
using testing::SimulatedLoop;

TEST(HoldModel, AWorkerOpensTheConnectsDealtToIt) {
  SimulatedLoop loop;
  Listener listener(*loop);
  // 41 connects dealt round robin over 2 workers: worker 0 has slots 0, 2, ..., 40.
  EngineRun run(*loop, listener.url(), {hold_phase(300ms, 41, 400)}, {.segment = {0, 2}});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(listener.accepted(), 21u);
  EXPECT_EQ(run.grid().connections(0).opened, 21u);
  EXPECT_EQ(run.grid().connections(0).connect_time.count(), 21u);
  EXPECT_EQ(run.context().max_open_connections, 21u);
  EXPECT_EQ(run.grid().connections(0).closed, 21u) << "the phase end closes what it held";
  EXPECT_EQ(run.context().open_connections, 0u);
  EXPECT_EQ(run.grid().total().total(), 0u) << "no rate: no request";
}

TEST(HoldModel, TheOtherWorkerOpensTheRest) {
  SimulatedLoop loop;
  Listener listener(*loop);
  EngineRun run(*loop, listener.url(), {hold_phase(300ms, 41, 400)}, {.segment = {1, 2}});
  run.start();
  run.run_until_done();
  EXPECT_EQ(listener.accepted(), 20u);
  EXPECT_EQ(run.grid().connections(0).opened, 20u);
}

TEST(HoldModel, OpensAtTheConnectRateAndHoldsUntilThePhaseEnds) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  // 2,000 connections at 1,000/s: connect k at k ms, so t ms after the start the server holds t + 1 of them,
  // and all 2,000 from 1,999 ms to the phase end.
  EngineRun run(*loop, serve.url(), {hold_phase(3s, 2000, 1000)});
  run.start();
  for (int64_t ms : {0, 500, 1998, 1999, 2999}) {
    run.run_until(ms);
    EXPECT_EQ(serve.stats()["connections"]["open"], std::min<int64_t>(ms + 1, 2000)) << ms << " ms";
  }
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(run.done_ms(), 3000);
  run.run_until(3000);  // the server reads the closes
  EXPECT_EQ(serve.stats()["connections"]["open"], 0);
  EXPECT_EQ(serve.stats()["connections"]["accepted"], 2000);
  EXPECT_EQ(run.grid().connections(0).opened, 2000u);
  EXPECT_EQ(run.grid().connections(0).closed, 2000u);
  EXPECT_EQ(run.context().max_open_connections, 2000u);
  EXPECT_EQ(serve.requests(), 0u) << "no rate: nothing is sent";
}

TEST(HoldModel, ReopensConnectionsTheServerClosed) {
  SimulatedLoop loop;
  Listener listener(*loop);
  EngineRun run(*loop, listener.url(), {hold_phase(400ms, 10, 1000)});
  run.start();
  run.run_until(150);
  ASSERT_EQ(listener.accepted(), 10u);
  listener.close_oldest(3);
  run.run_until_done();
  EXPECT_EQ(listener.accepted(), 13u);
  EXPECT_EQ(run.grid().connections(0).opened, 13u);
  EXPECT_EQ(run.grid().connections(0).closed, 13u) << "3 by the server, 10 at the end";
  EXPECT_EQ(run.context().max_open_connections, 10u);
}

TEST(HoldModel, TheNextHoldPhaseKeepsWhatIsOpenAndAdjusts) {
  SimulatedLoop loop;
  Listener listener(*loop);
  EngineRun run(*loop, listener.url(),
                {hold_phase(150ms, 20, 1000), hold_phase(150ms, 8, 1000), hold_phase(150ms, 12, 1000)});
  run.start();
  run.run_until_done();
  const metrics::StatsGrid& grid = run.grid();
  EXPECT_EQ(grid.connections(0).opened, 20u);
  EXPECT_EQ(grid.connections(0).closed, 0u);
  EXPECT_EQ(grid.connections(1).opened, 0u);
  EXPECT_EQ(grid.connections(1).closed, 12u) << "the surplus over 8";
  EXPECT_EQ(grid.connections(2).opened, 4u) << "from 8 to 12";
  EXPECT_EQ(grid.connections(2).closed, 12u);
  EXPECT_EQ(listener.accepted(), 24u);
}

TEST(HoldModel, RequestsOfTheRateRideTheHeldConnections) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {hold_phase(500ms, 10, 1000, 200)});
  run.start();
  run.run_until_done();
  const metrics::RequestStats total = run.grid().total();
  EXPECT_EQ(total.total(), 100u) << "200/s for 0.5 s";
  EXPECT_EQ(serve.requests(), 100u);
  EXPECT_EQ(total.ok, 100u);
  EXPECT_EQ(total.latency.count(), 100u);
  EXPECT_EQ(run.grid().connections(0).opened, 10u) << "no connection beyond the held ones";
  EXPECT_EQ(run.grid().dropped_iterations(0), 0u);
}

TEST(HoldModel, RequestsThatNeverFoundAConnectionAreDropped) {
  std::string url;
  {
    SimulatedLoop loop;
    Listener closed_port(*loop);
    url = closed_port.url();
  }  // nothing listens there any more
  SimulatedLoop loop;
  EngineRun run(*loop, url, {hold_phase(200ms, 5, 100, 50)});
  run.start();
  run.run_until_done();
  EXPECT_EQ(run.grid().dropped_iterations(0), 10u) << "50/s for 0.2 s, none sent";
  EXPECT_EQ(run.grid().total().total(), 0u);
  EXPECT_EQ(run.grid().connections(0).opened, 0u);
  EXPECT_GE(run.grid().connections(0).failed, 5u);
}

}  // namespace
}  // namespace surge::load
