// The load engine of one worker: runs the phases back to back, each in its own load model, over one pool of
// virtual users made at start. Closed: N users loop (k6 ramping-vus). Open: iterations start on a schedule
// whatever the target does, at most max_users at once, the rest counted as dropped (Artillery arrivalRate).
// Constant: C connections share a request schedule, a busy connection sends late but is measured from the
// schedule (wrk2 -R). Hold: C connections opened at a connect rate and held (hold_model.h). Users leaving
// (a closed ramp going down, a phase or the run ending) finish their iteration within graceful_stop, or are
// cut.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/timer_heap.h"
#include "load/arrival_schedule.h"
#include "load/hold_model.h"
#include "load/leave_deadlines.h"
#include "load/poisson_arrivals.h"
#include "load/segment.h"
#include "load/user_pool.h"
#include "plan/plan.h"
#include "scenario/virtual_user.h"
#include "scenario/worker_context.h"

namespace surge::load {

// Phases whose requests follow a schedule (open and constant-throughput models): the ones where a worker may
// leave responses waiting for its next send (core::EventLoop's quiet waits, dated by kernel receive stamps).
inline bool waits_quietly(plan::LoadModel model) {
  return model == plan::LoadModel::kOpen || model == plan::LoadModel::kConstant;
}

// A run's request budget as one worker sees it: none (the phases decide the end), or this worker's share,
// which may be 0 (nothing to send: the engine ends at its start). A type of its own, so a literal 0 cannot
// pass for "no budget".
struct RequestBudget {
  static RequestBudget none() { return {}; }
  static RequestBudget of(uint64_t requests) { return {true, requests}; }
  bool is_limited = false;
  uint64_t requests = 0;
};

// This worker's share of a run's request budget (quick mode's -n). A closed first phase splits it as it splits
// the users, so the shares add up to the budget and a worker without users gets none; other models split it
// as every count is split (Segment::share).
uint64_t request_budget_share(const std::vector<plan::Phase>& phases, Segment segment, uint64_t budget);

class Engine final : public scenario::VuHost,
                     private UserPool,
                     private LeaveDeadlines::Handler,
                     private core::Timer {
 public:
  // budget: this worker's share of the run's request budget (request_budget_share), or none.
  // on_done is called once, after the last phase (or the budget) when every user has stopped.
  Engine(scenario::WorkerContext& context, const std::vector<plan::Phase>& phases, Segment segment,
         RequestBudget budget, std::function<void()> on_done);
  ~Engine();

  void start(int64_t start_ns);
  // Ends the run early (an interrupt): no new iterations or requests; requests in flight finish.
  void stop();
  // Users in an iteration or waiting for their slot; a held connection carrying no request is not a user.
  size_t active_users() const { return running_ - hold_.parked(); }
  // After the loop has stopped, before the final snapshot: every user closes the connections it still holds,
  // so connections.closed counts them in every kind of run (VirtualUser::close_at_run_end).
  void close_connections();

 private:
  void on_timer() override;
  void on_iteration_done(scenario::VirtualUser& user) override;
  void on_stopped(scenario::VirtualUser& user) override;
  bool take_request() override;
  void on_connection_ready(scenario::VirtualUser& user) override;
  void on_connection_lost(scenario::VirtualUser& user) override;
  scenario::VirtualUser* take_idle() override;
  void release(scenario::VirtualUser& user) override;
  const scenario::CompiledScenario& next_scenario() override;
  void on_deadline_passed(uint32_t slot) override;

  void enter_phase(size_t phase);
  void send_away(int64_t deadline_ns);
  void run_closed(int64_t now);
  void balance_leavers(int64_t now);
  void run_open(int64_t now);
  void after_iteration(scenario::VirtualUser& user);
  void continue_chain(scenario::VirtualUser& user);
  int64_t phase_end_ns() const { return phase_start_ns_[phase_ + 1]; }
  // Open model: when global arrival k falls, evenly spaced or Poisson (-1 past the phase's last).
  int64_t arrival_offset_ns(uint64_t k) { return is_poisson_ ? poisson_.offset_ns(k) : schedule_.offset_ns(k); }
  void begin_drain();
  void begin_end();
  void check_done();

  scenario::WorkerContext& context_;
  const std::vector<plan::Phase>& phases_;
  Segment segment_;
  std::function<void()> on_done_;
  std::vector<std::unique_ptr<scenario::VirtualUser>> users_;
  std::vector<scenario::VirtualUser*> idle_;
  HoldModel hold_;
  LeaveDeadlines leavers_;            // users sent away, until their graceful_stop deadline
  std::vector<uint64_t> chain_next_;  // constant model, per user slot: next global arrival index, or kNoChain
  std::vector<int64_t> phase_start_ns_;  // phases_.size() + 1 entries: the last one is the end of the run
  std::vector<double> smooth_weights_;   // smooth weighted round robin state, one per scenario
  ArrivalSchedule schedule_{0, 0, 0};    // open and constant phases: the global arrival schedule
  PoissonArrivals poisson_;              // open phases with `arrivals: poisson`
  bool is_poisson_ = false;
  uint64_t next_arrival_ = 0;            // open: next global arrival index this worker owns
  uint64_t chain_stride_ = 0;            // constant: arrivals between two of the same connection
  uint64_t requests_left_;
  bool has_budget_;
  size_t phase_ = 0;
  size_t running_ = 0;       // users not in the idle pool
  size_t target_ = 0;        // closed: users the ramp wants now
  size_t leave_cursor_ = 0;  // closed: where the search for the next user to send away resumes
  bool draining_ = false;    // the last phase is over: users finish their iteration, none starts
  bool ending_ = false;      // stopped early: users stop after their request
  bool done_ = false;
};

}  // namespace surge::load
