// Worker process body. Signals arrive through a signalfd in the loop (no async handlers touching state);
// SIGINT is ignored here because the coordinator relays the user's Ctrl-C as SIGTERM.
#include "run/worker.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/event_loop.h"
#include "load/engine.h"
#include "metrics/snapshot.h"
#include "net/local_ports.h"
#include "net/socket.h"
#include "scenario/failure_log.h"
#include "scenario/worker_context.h"

namespace surge::run {
namespace {

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Sends the grid's changes every second (aligned to the run start, so workers' sequences line up), then
// clears them: the coordinator holds the totals.
class Snapshotter final : private core::Timer {
 public:
  Snapshotter(scenario::WorkerContext& context, const WorkerSetup& setup, const load::Engine& model)
      : context_(context), setup_(setup), model_(model),
        snapshot_(context.stats.phase_count(), context.stats.step_count()) {
    snapshot_.worker = setup.segment.inner_index();  // the collector numbers this process's workers
  }
  ~Snapshotter() { context_.loop.cancel(*this); }

  void start() { context_.loop.schedule(*this, setup_.start_ns + core::kNsPerSec); }

  bool send(bool is_final) {
    snapshot_.sequence = ++sequence_;
    snapshot_.is_final = is_final;
    snapshot_.phase = context_.phase;
    snapshot_.active_users = model_.active_users();
    snapshot_.open_connections = context_.open_connections;
    snapshot_.max_open_connections = context_.max_open_connections;
    snapshot_.iterations = context_.iterations;
    snapshot_.outcomes = context_.outcomes;
    buffer_.clear();
    encode_grid_frame();
    context_.stats.reset();
    context_.max_open_connections = context_.open_connections;
    context_.iterations = 0;
    context_.outcomes.reset();
    return write_all(setup_.snapshot_fd, buffer_);
  }

 private:
  void on_timer() override {
    send(false);
    context_.loop.schedule(*this, setup_.start_ns + static_cast<int64_t>(sequence_ + 1) * core::kNsPerSec);
  }

  void encode_grid_frame() {
    std::swap(snapshot_.grid, context_.stats);  // encode the live grid without copying it
    metrics::encode_frame(snapshot_, buffer_);
    std::swap(snapshot_.grid, context_.stats);
  }

  scenario::WorkerContext& context_;
  const WorkerSetup& setup_;
  const load::Engine& model_;
  metrics::Snapshot snapshot_;
  std::string buffer_;
  uint64_t sequence_ = 0;
};

// The first SIGTERM stops the load after the requests in flight; a second one (Ctrl-C again, or --grace ran
// out) leaves the loop at once, abandoning them, and the worker still sends its last snapshot on the way out.
class SignalWatch final : public core::EventHandler {
 public:
  SignalWatch(int fd, load::Engine& model, core::EventLoop& loop) : fd_(fd), model_(model), loop_(loop) {}
  void on_event(uint32_t) override {
    signalfd_siginfo info;
    while (read(fd_, &info, sizeof info) == sizeof info) {
      if (++signals_ >= 2) loop_.stop();
      else model_.stop();
    }
  }

 private:
  int fd_;
  load::Engine& model_;
  core::EventLoop& loop_;
  int signals_ = 0;
};

}  // namespace

void run_worker(const WorkerSetup& setup) {
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  int signal_fd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);

  auto loop = core::EventLoop::create();
  if (!loop) {
    std::fprintf(stderr, "surge worker %u: %s\n", setup.segment.index, loop.error().message.c_str());
    _exit(1);
  }
  metrics::StatsGrid grid(setup.plan->phases.size(), setup.compiled->steps.size(), setup.compiled->checks.size(),
                          setup.compiled->metrics.size(), setup.compiled->groups.size());
  scenario::WorkerContext context(**loop, *setup.compiled, grid, setup.seed + setup.segment.index);
  context.start_feeders(setup.segment.index, setup.segment.count, setup.seed);
  context.run_seed = setup.seed;
  // A worker that waits quietly in its rate-driven phases (open and constant-throughput models; core::EventLoop)
  // dates responses by the kernel's receive stamps; other plans keep the cheaper read() (recvmsg and its stamp
  // cost ~3% a request).
  const bool has_rate_phase = std::any_of(setup.plan->phases.begin(), setup.plan->phases.end(),
                                          [](const plan::Phase& phase) { return load::waits_quietly(phase.model); });
  context.kernel_receive_times =
      setup.compiled->responses_can_wait && setup.compiled->schedule_slack_ns > 0 && has_rate_phase;
  (*loop)->track_realtime_offset(context.kernel_receive_times);
  // Turns the kernel's receive stamps on now (it does so through deferred work), so that they are on by the
  // time the first responses come; until a response shows one, the worker does not wait quietly. The socket
  // stays open (unconnected) for the worker's life: closing the last stamping socket turns them off again.
  int stamp_switch = context.kernel_receive_times ? socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
  if (stamp_switch >= 0) net::enable_receive_timestamps(stamp_switch);
  // Every worker uses every source address, starting at its own: the addresses stay even for any number of
  // workers and addresses (splitting them between workers could not when they do not divide), and a worker
  // opening few connections does not pile them onto the first address.
  if (!setup.compiled->source_addrs.empty()) context.source_cursor = setup.segment.index % setup.compiled->source_addrs.size();
  // The worker picks its source ports itself from its share of the local range: the kernel's search gets
  // slower with every connection open to the same target (net/local_ports.h). The share is this process's
  // worker's (other machines' segments have other addresses); segments run side by side on one machine start
  // at different points of it. Without source addresses, each target's connections come from the address
  // the kernel routes them from.
  net::PortRange range;
  std::vector<bool> reserved;
  if (net::read_local_ports(&range, &reserved)) {
    const std::vector<net::SocketAddress>& sources = setup.compiled->source_addrs;
    if (sources.empty()) {
      for (const net::SocketAddress& target : setup.compiled->targets) {
        auto routed = net::routed_source(target);
        context.routed_sources.push_back(routed ? *routed : net::SocketAddress{});
      }
    }
    context.local_ports = net::LocalPorts(range, reserved, setup.segment.inner_index(), setup.segment.inner_count(),
                                          sources.empty() ? setup.compiled->targets.size() : sources.size());
    context.local_ports.start_at(setup.segment.outer_index(), setup.segment.outer_count);
  }
  std::optional<scenario::FailureLog> failure_log;
  if (const uint64_t budget = setup.segment.share(setup.log_requests); budget > 0) {
    failure_log.emplace(*setup.plan, *setup.compiled, setup.log_fd, budget);
    context.failure_log = &*failure_log;
  }
  const load::RequestBudget budget =
      setup.max_requests > 0
          ? load::RequestBudget::of(load::request_budget_share(setup.plan->phases, setup.segment, setup.max_requests))
          : load::RequestBudget::none();
  load::Engine model(context, setup.plan->phases, setup.segment, budget, [&] { (*loop)->stop(); });
  Snapshotter snapshotter(context, setup, model);
  SignalWatch signal_watch(signal_fd, model, **loop);
  if (signal_fd >= 0) (void)(*loop)->add(signal_fd, EPOLLIN, &signal_watch);

  snapshotter.start();
  model.start(setup.start_ns);
  auto ran = (*loop)->run();
  if (!ran) std::fprintf(stderr, "surge worker %u: %s\n", setup.segment.index, ran.error().message.c_str());
  model.close_connections();  // counted in the final snapshot's connections.closed (docs/results.md)
  bool sent = snapshotter.send(true);
  _exit(ran && sent ? 0 : 1);
}

}  // namespace surge::run
