// The hold model on one worker: opens this worker's share of a phase's `connections` on the connect schedule,
// keeps them open and idle, re-opens one the server closed at the next free slot of the schedule, and with a
// `rate` sends the scenario's requests over the held connections at that total rate, each measured from its
// slot (no coordinated omission). Connect slot and request slot k both go to worker k mod W.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/timer_heap.h"
#include "load/arrival_schedule.h"
#include "load/segment.h"
#include "load/user_pool.h"
#include "plan/plan.h"
#include "scenario/virtual_user.h"
#include "scenario/worker_context.h"

namespace surge::load {

class HoldModel final : private core::Timer {
 public:
  // users: the engine's whole pool, indexed by slot, already made (its size sizes the per-slot state).
  HoldModel(scenario::WorkerContext& context, Segment segment, UserPool& pool,
            const std::vector<std::unique_ptr<scenario::VirtualUser>>& users);
  ~HoldModel();
  HoldModel(const HoldModel&) = delete;
  HoldModel& operator=(const HoldModel&) = delete;

  // Starts a hold phase over [start_ns, end_ns). From a hold phase it keeps what is open: a surplus closes
  // (idle connections at once, one carrying a request when it ends), a shortfall opens on the new schedule.
  void enter(const plan::Phase& phase, size_t phase_index, int64_t start_ns, int64_t end_ns);
  // The hold is over (the next phase has another model, or the run ends): idle and connecting held
  // connections close now, one carrying a request when its iteration ends. Requests of the phase's rate that
  // were never sent are counted as dropped iterations.
  void leave();

  bool owns(const scenario::VirtualUser& user) const { return state_[user.slot()] != SlotState::kFree; }
  // Held users not in an iteration (connecting, or idle on an open connection).
  size_t parked() const { return assigned_ - busy_; }

  // Forwarded by the engine for users this model owns.
  void on_ready(scenario::VirtualUser& user);
  void on_lost(scenario::VirtualUser& user);            // also a stopped user: it leaves the hold
  void on_iteration_done(scenario::VirtualUser& user);  // a request over a held connection ended or was cut

 private:
  enum class SlotState : uint8_t { kFree, kConnecting, kReady, kBusy };
  static constexpr uint32_t kNil = UINT32_MAX;

  void on_timer() override;
  void open_due(int64_t now);
  void send_due(int64_t now);
  void arm_next();
  void skip_missed_connects(int64_t now);
  void give_back(scenario::VirtualUser& user);
  void shed_surplus();
  void count_unsent_requests();
  // The ready queue: held idle connections, oldest first, so requests rotate over all of them.
  void push_ready(uint32_t slot);
  uint32_t pop_ready();
  void unlink_ready(uint32_t slot);

  scenario::WorkerContext& context_;
  Segment segment_;
  UserPool& pool_;
  const std::vector<std::unique_ptr<scenario::VirtualUser>>& users_;
  std::vector<SlotState> state_;
  std::vector<uint32_t> next_;  // ready queue links, per slot
  std::vector<uint32_t> prev_;
  uint32_t head_ = kNil;
  uint32_t tail_ = kNil;
  size_t target_ = 0;       // index into CompiledPlan::targets the connections go to
  int64_t timeout_ns_ = 0;  // connect timeout: the first request step's timeout
  ArrivalSchedule connects_{0, 0, 0};
  ArrivalSchedule requests_{0, 0, 0};
  uint64_t next_connect_ = 0;  // next global connect slot this worker owns
  uint64_t next_request_ = 0;  // next global request slot this worker owns (due ones wait for a connection)
  uint64_t want_ = 0;          // connections this worker holds in the current phase
  uint64_t assigned_ = 0;      // users in the hold: connecting, ready or busy
  uint64_t busy_ = 0;          // users in the hold running a request iteration
  int64_t start_ns_ = 0;
  int64_t end_ns_ = 0;
  size_t phase_index_ = 0;
  bool active_ = false;
  bool dispatching_ = false;  // send_due is on the stack: a nested call leaves the work to it
};

}  // namespace surge::load
