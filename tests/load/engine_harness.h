// Test support for the load engine in simulated time: a plan built in code, one worker's loop on a
// core::SimulatedClock, grid and engine on it, and two real targets on loopback inside that same loop: a
// port-0 listener (accepts, counts, closes on demand) and a `surge serve` worker (serve::Worker) for HTTP,
// whose own counters (requests, per simulated second) the tests compare with. Time is simulated, nothing
// else: the loop polls real sockets and moves the clock to its next timer when none is ready, so a peer on
// the same loop answers in the same instant and every count is exact whatever the machine's load.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/simulated_clock.h"
#include "load/engine.h"
#include "net/address.h"
#include "net/socket.h"
#include "scenario/compiled_plan.h"
#include "serve/stats.h"
#include "serve/worker.h"

namespace surge::load::testing {

// A loop on simulated time, starting at the clock's 1 s.
struct SimulatedLoop {
  core::SimulatedClock clock;
  std::unique_ptr<core::EventLoop> loop;
  SimulatedLoop() {
    auto made = core::EventLoop::create(1024, &clock);
    EXPECT_TRUE(made.has_value());
    loop = std::move(made).value();
  }
  core::EventLoop& operator*() { return *loop; }
};

// Accepts every connection and keeps it open until told to close it.
class Listener final : public core::EventHandler {
 public:
  explicit Listener(core::EventLoop& loop) {
    auto address = net::parse_numeric_address("127.0.0.1:0");
    auto fd = net::listen_tcp(*address, {});
    EXPECT_TRUE(fd.has_value());
    fd_ = *fd;
    EXPECT_TRUE(loop.add(fd_, EPOLLIN, this).has_value());
    url_ = "http://" + net::local_address(fd_)->to_string();
  }
  ~Listener() override {
    for (int client : clients_) close(client);
    close(fd_);
  }
  void on_event(uint32_t) override {
    for (int client; (client = net::accept_connection(fd_)) >= 0;) clients_.push_back(client);
  }
  // Closes the n connections accepted first that are still open.
  void close_oldest(size_t n) {
    for (size_t i = 0; i < clients_.size() && n > 0; ++i) {
      if (clients_[i] < 0) continue;
      close(clients_[i]);
      clients_[i] = -1;
      --n;
    }
  }
  size_t accepted() const { return clients_.size(); }
  const std::string& url() const { return url_; }

 private:
  int fd_ = -1;
  std::vector<int> clients_;
  std::string url_;
};

// `surge serve` (one worker) on the test's loop: its counters run on the loop's clock from now, so its
// per_second entries are seconds of simulated time.
class ServeTarget {
 public:
  explicit ServeTarget(core::EventLoop& loop, serve::ServeOptions options = {}) : loop_(loop) {
    stats_.emplace(std::move(serve::SharedStats::create(1, loop.now_ns())).value());
    auto address = net::parse_numeric_address("127.0.0.1:0");
    auto fd = net::listen_tcp(*address, {});
    EXPECT_TRUE(fd.has_value());
    url_ = "http://" + net::local_address(*fd)->to_string();
    worker_ = std::make_unique<serve::Worker>(loop, *fd, options, *stats_, 0);
    EXPECT_TRUE(worker_->start().has_value());
  }
  const std::string& url() const { return url_; }
  // The server's /__surge/stats document now.
  nlohmann::json stats() const { return nlohmann::json::parse(stats_->render_json(loop_.now_ns())); }
  uint64_t requests() const { return stats()["requests_total"].get<uint64_t>(); }

 private:
  core::EventLoop& loop_;
  std::optional<serve::SharedStats> stats_;
  std::unique_ptr<serve::Worker> worker_;
  std::string url_;
};

inline plan::Phase hold_phase(std::chrono::milliseconds duration, uint64_t connections, double connect_rate,
                              double rate = 0) {
  plan::Phase phase;
  phase.name = "hold";
  phase.model = plan::LoadModel::kHold;
  phase.duration = duration;
  phase.connections = connections;
  phase.connect_rate_per_s = {connect_rate, connect_rate};
  phase.rate_per_s = {rate, rate};
  return phase;
}

inline plan::Phase closed_phase(std::chrono::milliseconds duration, double from, double to,
                                std::chrono::milliseconds graceful_stop = std::chrono::seconds(30)) {
  plan::Phase phase;
  phase.name = "closed";
  phase.duration = duration;
  phase.users = {from, to};
  phase.graceful_stop = graceful_stop;
  return phase;
}

inline plan::Phase open_phase(std::chrono::milliseconds duration, double from, double to,
                              uint64_t max_users) {
  plan::Phase phase;
  phase.name = "open";
  phase.model = plan::LoadModel::kOpen;
  phase.duration = duration;
  phase.arrival_rate_per_s = {from, to};
  phase.max_users = max_users;
  return phase;
}

inline plan::Phase constant_phase(std::chrono::milliseconds duration, uint64_t connections, double rate) {
  plan::Phase phase;
  phase.name = "constant";
  phase.model = plan::LoadModel::kConstant;
  phase.duration = duration;
  phase.connections = connections;
  phase.rate_per_s = {rate, rate};
  return phase;
}

// What a plan sets besides its phases.
struct RunOptions {
  std::string path = "/";  // the one step's GET
  Segment segment = {0, 1};
  plan::Duration schedule_slack = plan::kDefaultScheduleSlack;
};

// One worker (segment) running phases of a one-step scenario against url on a loop the test owns.
class EngineRun {
 public:
  EngineRun(core::EventLoop& loop, const std::string& url, std::vector<plan::Phase> phases,
            RunOptions options = {})
      : loop_(&loop) {
    plan_.name = "engine";
    plan_.target_url = url;
    plan_.phases = std::move(phases);
    plan_.schedule_slack = options.schedule_slack;
    plan::HttpStep step;
    step.name = "get";
    step.url = options.path;
    plan_.scenarios.push_back({"s", 1, {step}, {}});
    auto compiled = scenario::compile_plan(plan_, url);
    EXPECT_TRUE(compiled.has_value());
    compiled_ = std::move(compiled).value();
    grid_ = std::make_unique<metrics::StatsGrid>(plan_.phases.size(), compiled_.steps.size());
    context_ = std::make_unique<scenario::WorkerContext>(*loop_, compiled_, *grid_, 1);
    engine_ = std::make_unique<Engine>(*context_, plan_.phases, options.segment, RequestBudget::none(), [this] {
      done_ = true;
      done_ns_ = loop_->now_ns();
    });
  }

  // Starts the engine at the loop's now.
  void start() {
    start_ns_ = loop_->now_ns();
    engine_->start(start_ns_);
  }
  // Runs the loop until the engine is done, or until guard_ms (simulated) after the start: a hang guard,
  // not an assertion.
  void run_until_done(int64_t guard_ms = 600'000) {
    while (!done_ && loop_->now_ns() < start_ns_ + guard_ms * core::kNsPerMs) {
      ASSERT_TRUE(loop_->run_once(core::kNsPerSec).has_value());
    }
  }
  // Runs the loop until ms after the start, and handles what is ready at that instant.
  void run_until(int64_t ms) {
    int64_t until = start_ns_ + ms * core::kNsPerMs;
    while (!done_ && loop_->now_ns() < until) {
      ASSERT_TRUE(loop_->run_once(until - loop_->now_ns()).has_value());
    }
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(loop_->run_once(0).has_value());
  }

  bool done() const { return done_; }
  // Simulated ms from the start to the end of the run (the engine's on_done).
  double done_ms() const { return static_cast<double>(done_ns_ - start_ns_) / core::kNsPerMs; }
  const metrics::StatsGrid& grid() const { return *grid_; }
  scenario::WorkerContext& context() { return *context_; }
  Engine& engine() { return *engine_; }

 private:
  core::EventLoop* loop_;
  plan::Plan plan_;
  scenario::CompiledPlan compiled_;
  std::unique_ptr<metrics::StatsGrid> grid_;
  std::unique_ptr<scenario::WorkerContext> context_;
  std::unique_ptr<Engine> engine_;
  int64_t start_ns_ = 0;
  int64_t done_ns_ = 0;
  bool done_ = false;
};

}  // namespace surge::load::testing
