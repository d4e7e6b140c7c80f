// Test support for the load engine: a plan built in code, one worker's loop, grid and engine on it, and two
// real targets on loopback: a port-0 listener inside the test's own loop (accepts, counts, closes on demand)
// and a `surge serve` child process for HTTP. Both stop by PID or fd when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"
#include "load/engine.h"
#include "net/address.h"
#include "net/socket.h"
#include "scenario/compiled_plan.h"

namespace surge::load::testing {

// Accepts every connection and keeps it open until told to close it.
class Listener final : public core::EventHandler {
 public:
  explicit Listener(core::EventLoop& loop) : loop_(loop) {
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
  core::EventLoop& loop_;
  int fd_ = -1;
  std::vector<int> clients_;
  std::string url_;
};

// `surge serve --port 0 [args]` as a child process, killed by PID.
struct ServeChild {
  pid_t pid = -1;
  std::string url;
  explicit ServeChild(std::vector<std::string> args = {}) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);
      std::vector<std::string> argv = {"surge", "serve", "--port", "0"};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> raw;
      for (std::string& arg : argv) raw.push_back(arg.data());
      raw.push_back(nullptr);
      execv(SURGE_BINARY, raw.data());
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    close(fds[0]);
    url = "http://" + line.substr(std::string("listening on ").size());
  }
  ~ServeChild() {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
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
                                std::chrono::milliseconds graceful_stop) {
  plan::Phase phase;
  phase.name = "closed";
  phase.duration = duration;
  phase.users = {from, to};
  phase.graceful_stop = graceful_stop;
  return phase;
}

// One worker (segment) running phases of a one-step scenario (GET path) against url on a loop the test owns.
class EngineRun {
 public:
  EngineRun(core::EventLoop& loop, const std::string& url, std::vector<plan::Phase> phases,
            const std::string& path = "/", Segment segment = {0, 1})
      : loop_(&loop) {
    plan_.name = "engine";
    plan_.target_url = url;
    plan_.phases = std::move(phases);
    plan::HttpStep step;
    step.name = "get";
    step.url = path;
    plan_.scenarios.push_back({"s", 1, {step}, {}});
    auto compiled = scenario::compile_plan(plan_, url);
    EXPECT_TRUE(compiled.has_value());
    compiled_ = std::move(compiled).value();
    grid_ = std::make_unique<metrics::StatsGrid>(plan_.phases.size(), compiled_.steps.size());
    context_ = std::make_unique<scenario::WorkerContext>(*loop_, compiled_, *grid_, 1);
    engine_ = std::make_unique<Engine>(*context_, plan_.phases, segment, 0, [this] { done_ = true; });
  }

  void start() {
    start_ns_ = core::monotonic_ns();
    engine_->start(start_ns_);
  }
  // Runs the loop until the engine is done, or until ms after the start (a hang guard, not an assertion).
  void run_until_done(int64_t guard_ms = 20'000) {
    while (!done_ && core::monotonic_ns() < start_ns_ + guard_ms * core::kNsPerMs) {
      ASSERT_TRUE(loop_->run_once(10 * core::kNsPerMs).has_value());
    }
  }
  // Runs the loop until ms after the start.
  void run_until(int64_t ms) {
    while (!done_ && core::monotonic_ns() < start_ns_ + ms * core::kNsPerMs) {
      ASSERT_TRUE(loop_->run_once(core::kNsPerMs).has_value());
    }
  }

  bool done() const { return done_; }
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
  bool done_ = false;
};

}  // namespace surge::load::testing
