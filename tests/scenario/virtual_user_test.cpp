// VirtualUser's connect-only mode (the hold model) and interrupt (graceful_stop) against a listener in the
// test's own loop: what the host hears, and what is counted, on both sides of a real loopback socket.
#include "scenario/virtual_user.h"

#include <gtest/gtest.h>

#include "../load/engine_harness.h"

namespace surge::scenario {
namespace {

using load::testing::Listener;

struct RecordingHost final : VuHost {
  void on_iteration_done(VirtualUser&) override { ++iterations_done; }
  void on_stopped(VirtualUser&) override { ++stopped; }
  bool take_request() override { return true; }
  void on_connection_ready(VirtualUser&) override { ++ready; }
  void on_connection_lost(VirtualUser&) override { ++lost; }
  int iterations_done = 0, stopped = 0, ready = 0, lost = 0;
};

class VirtualUserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = core::EventLoop::create();
    ASSERT_TRUE(created.has_value());
    loop = std::move(created).value();
    listener = std::make_unique<Listener>(*loop);
    compile(listener->url());
  }
  void compile(const std::string& url) {
    // A second compile replaces the context a live user points into: the user goes first (ASan caught its
    // destructor reading the freed context).
    user.reset();
    context.reset();
    plan::Plan plan;
    plan.target_url = url;
    plan::HttpStep step;
    step.name = "get";
    step.url = "/";
    plan.scenarios.push_back({"s", 1, {step}, {}});
    auto result = compile_plan(plan, url);
    ASSERT_TRUE(result.has_value());
    compiled = std::move(result).value();
    grid = std::make_unique<metrics::StatsGrid>(1, compiled.steps.size());
    context = std::make_unique<WorkerContext>(*loop, compiled, *grid, 1);
    user = std::make_unique<VirtualUser>(*context, host, 0, 0);
  }
  // Runs the loop until done() holds (at most 2 s: a hang guard).
  template <class Done>
  void run_until(Done done) {
    int64_t give_up = core::monotonic_ns() + 2 * core::kNsPerSec;
    while (!done() && core::monotonic_ns() < give_up) ASSERT_TRUE(loop->run_once(core::kNsPerMs).has_value());
  }

  std::unique_ptr<core::EventLoop> loop;
  std::unique_ptr<Listener> listener;
  CompiledPlan compiled;
  std::unique_ptr<metrics::StatsGrid> grid;
  std::unique_ptr<WorkerContext> context;
  RecordingHost host;
  std::unique_ptr<VirtualUser> user;
};

TEST_F(VirtualUserTest, HoldsAnIdleConnectionUntilThePeerClosesIt) {
  user->hold_connection(0, core::kNsPerSec);
  run_until([&] { return host.ready == 1 && listener->accepted() == 1; });
  EXPECT_TRUE(user->is_connected());
  EXPECT_FALSE(user->is_in_iteration());
  EXPECT_EQ(grid->connections(0).opened, 1u);
  EXPECT_EQ(grid->connections(0).connect_time.count(), 1u);
  EXPECT_EQ(context->open_connections, 1u);

  listener->close_oldest(1);
  run_until([&] { return host.lost == 1; });
  EXPECT_EQ(host.lost, 1);
  EXPECT_FALSE(user->is_connected());
  EXPECT_EQ(grid->connections(0).closed, 1u);
  EXPECT_EQ(context->open_connections, 0u);
  EXPECT_EQ(grid->total().total(), 0u) << "holding sends nothing";
}

TEST_F(VirtualUserTest, HoldingAnAlreadyOpenConnectionIsReadyAtOnce) {
  user->hold_connection(0, core::kNsPerSec);
  run_until([&] { return host.ready == 1; });
  user->hold_connection(0, core::kNsPerSec);
  EXPECT_EQ(host.ready, 2);
  EXPECT_EQ(grid->connections(0).opened, 1u) << "no second connect";
}

TEST_F(VirtualUserTest, AHoldConnectNobodyAcceptsIsLostAndCountedFailed) {
  std::string url = listener->url();
  listener.reset();  // the port no longer listens
  compile(url);
  user->hold_connection(0, core::kNsPerSec);
  run_until([&] { return host.lost == 1; });
  EXPECT_EQ(host.lost, 1);
  EXPECT_EQ(host.ready, 0);
  EXPECT_EQ(grid->connections(0).failed, 1u);
  EXPECT_EQ(grid->connections(0).opened, 0u);
}

TEST_F(VirtualUserTest, DroppingAHoldConnectInProgressCountsNothing) {
  user->hold_connection(0, core::kNsPerSec);
  user->drop_connection();
  run_until([&] { return listener->accepted() == 1; });
  EXPECT_FALSE(user->is_running());
  EXPECT_EQ(grid->connections(0).opened, 0u);
  EXPECT_EQ(grid->connections(0).failed, 0u);
  EXPECT_EQ(grid->connections(0).closed, 0u);
  EXPECT_EQ(host.ready + host.lost, 0);
}

TEST_F(VirtualUserTest, InterruptAbandonsTheRequestInFlight) {
  user->start_iteration(compiled.scenarios[0]);  // the listener never answers
  run_until([&] { return listener->accepted() == 1 && grid->cell(0, 0).bytes_sent > 0; });
  ASSERT_TRUE(user->is_in_iteration());
  user->interrupt();
  EXPECT_FALSE(user->is_in_iteration());
  EXPECT_FALSE(user->is_running());
  EXPECT_EQ(grid->interrupted_iterations(0), 1u);
  EXPECT_EQ(grid->total().total(), 0u) << "the request has no outcome";
  EXPECT_EQ(grid->connections(0).closed, 1u);
  EXPECT_EQ(context->open_connections, 0u);
  EXPECT_EQ(host.iterations_done + host.stopped, 0) << "the host is not called";
}

TEST_F(VirtualUserTest, InterruptOutsideAnIterationDoesNothing) {
  user->interrupt();
  EXPECT_EQ(grid->interrupted_iterations(0), 0u);
}

}  // namespace
}  // namespace surge::scenario
