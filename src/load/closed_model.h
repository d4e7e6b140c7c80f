// The closed load model (k6's ramping-vus): in each phase, this worker's share of `users` virtual users loop
// their scenario, the count following a linear ramp inside the phase. Users added start at once; users removed
// leave when their current iteration ends. After the last phase, users finish the request in flight and stop.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/timer_heap.h"
#include "load/segment.h"
#include "plan/plan.h"
#include "scenario/virtual_user.h"
#include "scenario/worker_context.h"

namespace surge::load {

class ClosedModel final : public scenario::VuHost, private core::Timer {
 public:
  // max_requests: this worker's share of the run's request budget (0: no budget, phases decide the end).
  // on_done is called once, when the last phase has ended (or the budget is spent) and every user stopped.
  ClosedModel(scenario::WorkerContext& context, const std::vector<plan::Phase>& phases, Segment segment,
              uint64_t max_requests, std::function<void()> on_done);
  ~ClosedModel();

  void start(int64_t start_ns);
  // Ends the run early (an interrupt): no new iterations or requests; requests in flight finish.
  void stop();
  size_t active_users() const { return running_; }
  bool is_done() const { return done_; }

 private:
  void on_timer() override;
  void on_iteration_done(scenario::VirtualUser& user) override;
  void on_stopped(scenario::VirtualUser& user) override;
  bool take_request() override;

  size_t planned_users(int64_t now_ns) const;
  void add_users(size_t wanted);
  const scenario::CompiledScenario& next_scenario();
  void begin_end();
  void check_done();

  scenario::WorkerContext& context_;
  const std::vector<plan::Phase>& phases_;
  Segment segment_;
  std::function<void()> on_done_;
  std::vector<std::unique_ptr<scenario::VirtualUser>> users_;
  std::vector<scenario::VirtualUser*> idle_;
  std::vector<int64_t> phase_start_ns_;  // phases_.size() + 1 entries: the last one is the end of the run
  std::vector<double> smooth_weights_;   // smooth weighted round robin state, one per scenario
  uint64_t requests_left_;
  bool has_budget_;
  size_t phase_ = 0;
  size_t running_ = 0;
  size_t target_ = 0;
  bool ending_ = false;
  bool done_ = false;
};

}  // namespace surge::load
