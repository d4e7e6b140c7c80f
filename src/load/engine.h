// The load engine of one worker: runs the phases back to back, each in its own load model, over one pool of
// virtual users made at start. Closed: N users loop (k6 ramping-vus). Open: iterations start on a schedule
// whatever the target does, at most max_users at once, the rest counted as dropped (Artillery arrivalRate).
// Constant: C connections share a request schedule, a busy connection sends late but is measured from the
// schedule (wrk2 -R). Users leaving a phase finish their iteration within the phase's graceful_stop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/timer_heap.h"
#include "load/arrival_schedule.h"
#include "load/segment.h"
#include "plan/plan.h"
#include "scenario/virtual_user.h"
#include "scenario/worker_context.h"

namespace surge::load {

class Engine final : public scenario::VuHost, private core::Timer {
 public:
  // max_requests: this worker's share of the run's request budget (0: none, the phases decide the end).
  // on_done is called once, after the last phase (or the budget) when every user has stopped.
  Engine(scenario::WorkerContext& context, const std::vector<plan::Phase>& phases, Segment segment,
         uint64_t max_requests, std::function<void()> on_done);
  ~Engine();

  void start(int64_t start_ns);
  // Ends the run early (an interrupt): no new iterations or requests; requests in flight finish.
  void stop();
  size_t active_users() const { return running_; }

 private:
  void on_timer() override;
  void on_iteration_done(scenario::VirtualUser& user) override;
  void on_stopped(scenario::VirtualUser& user) override;
  bool take_request() override;

  void enter_phase(size_t phase);
  void run_closed(int64_t now);
  void run_open(int64_t now);
  void continue_chain(scenario::VirtualUser& user);
  void release(scenario::VirtualUser& user);
  scenario::VirtualUser* take_idle();
  int64_t phase_end_ns() const { return phase_start_ns_[phase_ + 1]; }
  const scenario::CompiledScenario& next_scenario();
  void begin_end();
  void check_done();

  scenario::WorkerContext& context_;
  const std::vector<plan::Phase>& phases_;
  Segment segment_;
  std::function<void()> on_done_;
  std::vector<std::unique_ptr<scenario::VirtualUser>> users_;
  std::vector<scenario::VirtualUser*> idle_;
  std::vector<uint64_t> chain_next_;   // constant model, per user slot: next global arrival index, or kNoChain
  std::vector<int64_t> phase_start_ns_;  // phases_.size() + 1 entries: the last one is the end of the run
  std::vector<double> smooth_weights_;   // smooth weighted round robin state, one per scenario
  ArrivalSchedule schedule_{0, 0, 0};    // open and constant phases: the global arrival schedule
  uint64_t next_arrival_ = 0;            // open: next global arrival index this worker owns
  uint64_t chain_stride_ = 0;            // constant: arrivals between two of the same connection
  uint64_t requests_left_;
  bool has_budget_;
  size_t phase_ = 0;
  size_t running_ = 0;  // users not in the idle pool
  size_t target_ = 0;   // closed: users the ramp wants now
  bool ending_ = false;
  bool done_ = false;
};

}  // namespace surge::load
