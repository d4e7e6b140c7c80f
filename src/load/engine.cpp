// Phase control. One engine timer drives phase boundaries, the closed model's 10 ms control tick and the open
// model's arrivals; constant-throughput connections drive themselves (each user waits for its next slot) and
// the hold model has its own timer. Arrivals are numbered globally: an open arrival k belongs to worker
// k mod W (evenly spaced or Poisson, the same numbering), a constant arrival k to connection k mod C, and connection c to the worker whose segment holds c,
// so W workers run one schedule.
#include "load/engine.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"

namespace surge::load {
namespace {

constexpr int64_t kControlTickNs = 10 * core::kNsPerMs;
constexpr uint64_t kNoChain = UINT64_MAX;

uint64_t peak_users(const plan::Phase& phase) {
  switch (phase.model) {
    case plan::LoadModel::kClosed: return static_cast<uint64_t>(std::llround(std::max(phase.users.from, phase.users.to)));
    case plan::LoadModel::kOpen: return phase.max_users;
    case plan::LoadModel::kConstant:
    case plan::LoadModel::kHold: return phase.connections;
  }
  return 0;
}

// Every user this worker can ever need is made at start: nothing is allocated once the load starts.
std::vector<std::unique_ptr<scenario::VirtualUser>> make_users(scenario::WorkerContext& context,
                                                               scenario::VuHost& host,
                                                               const std::vector<plan::Phase>& phases,
                                                               Segment segment) {
  uint64_t pool = 0;
  for (const plan::Phase& phase : phases) {
    uint64_t peak = peak_users(phase);
    uint64_t dealt = phase.model == plan::LoadModel::kHold ? segment.dealt_share(peak) : 0;  // hold_model.h
    pool = std::max({pool, segment.share(peak), dealt});
  }
  std::vector<std::unique_ptr<scenario::VirtualUser>> users;
  users.reserve(pool);
  for (uint32_t slot = 0; slot < pool; ++slot) {
    uint64_t id = uint64_t{segment.index} + uint64_t{segment.count} * slot;  // unique across workers
    users.push_back(std::make_unique<scenario::VirtualUser>(context, host, id, slot));
  }
  return users;
}

}  // namespace

uint64_t request_budget_share(const std::vector<plan::Phase>& phases, Segment segment, uint64_t budget) {
  if (!phases.empty() && phases.front().model == plan::LoadModel::kClosed) {
    auto users = static_cast<uint64_t>(std::llround(phases.front().users.at(0.0)));
    return segment.share_in_proportion(budget, users);
  }
  return segment.share(budget);
}

Engine::Engine(scenario::WorkerContext& context, const std::vector<plan::Phase>& phases, Segment segment,
               RequestBudget budget, std::function<void()> on_done)
    : context_(context),
      phases_(phases),
      segment_(segment),
      on_done_(std::move(on_done)),
      users_(make_users(context, *this, phases, segment)),
      hold_(context, segment, *this, users_),
      leavers_(context.loop, *this, users_.size()),
      chain_next_(users_.size(), kNoChain),
      smooth_weights_(context.plan.scenarios.size(), 0.0),
      requests_left_(budget.requests),
      has_budget_(budget.is_limited) {
  idle_.reserve(users_.size());
  for (auto it = users_.rbegin(); it != users_.rend(); ++it) idle_.push_back(it->get());
}

Engine::~Engine() { context_.loop.cancel(*this); }

void Engine::start(int64_t start_ns) {
  phase_start_ns_.push_back(start_ns);
  for (const plan::Phase& phase : phases_) phase_start_ns_.push_back(phase_start_ns_.back() + phase.duration.count());
  phase_ = SIZE_MAX;  // no phase entered yet
  context_.loop.schedule(*this, start_ns);
}

void Engine::on_timer() {
  if (ending_ || draining_) return;
  if (has_budget_ && requests_left_ == 0) return begin_end();  // a share of no requests: nothing to start
  int64_t now = context_.loop.now_ns();
  size_t phase = phase_ == SIZE_MAX ? 0 : phase_;
  while (phase < phases_.size() && now >= phase_start_ns_[phase + 1]) ++phase;
  if (phase == phases_.size()) return begin_drain();
  if (phase != phase_) enter_phase(phase);
  switch (phases_[phase_].model) {
    case plan::LoadModel::kClosed: return run_closed(now);
    case plan::LoadModel::kOpen: return run_open(now);
    case plan::LoadModel::kConstant:
    case plan::LoadModel::kHold: return context_.loop.schedule(*this, phase_end_ns());
  }
}

void Engine::enter_phase(size_t phase) {
  const plan::Phase& current = phases_[phase];
  if (phase_ != SIZE_MAX) {
    // Before the switch, so the closes count in the old phase.
    if (current.model != plan::LoadModel::kHold) hold_.leave();
    // A closed phase keeps the users it finds (its ramp sends away any surplus); the other models start
    // afresh, so every user still in an iteration of the phase that ended has its graceful_stop to finish.
    int64_t deadline = phase_end_ns() + phases_[phase_].graceful_stop.count();
    if (current.model != plan::LoadModel::kClosed) send_away(deadline);
  }
  phase_ = phase;
  context_.phase = static_cast<uint32_t>(phase);
  // Rate-driven phases of a plan whose responses can wait leave them for the next send's wake-up (worker.cpp).
  // A wake-up sends everything due within the slack, so the next send is due between one and two slacks away:
  // a window of two slacks lets every wake-up up to the next send be a quiet one.
  const bool quiet = waits_quietly(current.model) && context_.kernel_receive_times;
  context_.set_quiet_window(quiet ? 2 * context_.plan.schedule_slack_ns : 0);
  std::fill(chain_next_.begin(), chain_next_.end(), kNoChain);
  int64_t duration = current.duration.count();
  if (current.model == plan::LoadModel::kHold) {
    hold_.enter(current, phase, phase_start_ns_[phase], phase_end_ns());
  }
  if (current.model == plan::LoadModel::kOpen) {
    schedule_ = ArrivalSchedule(current.arrival_rate_per_s.from, current.arrival_rate_per_s.to, duration);
    is_poisson_ = current.arrivals == plan::Arrivals::kPoisson;
    if (is_poisson_) poisson_ = PoissonArrivals(schedule_, phase_seed(context_.run_seed, phase));
    next_arrival_ = segment_.index;
  } else if (current.model == plan::LoadModel::kConstant) {
    schedule_ = ArrivalSchedule(current.rate_per_s.from, current.rate_per_s.to, duration);
    uint64_t first = segment_.first(current.connections);
    uint64_t mine = segment_.share(current.connections);
    chain_stride_ = current.connections;
    for (uint64_t i = 0; i < mine; ++i) {
      scenario::VirtualUser& user = *users_[i];
      chain_next_[i] = first + i;
      auto idle = std::find(idle_.begin(), idle_.end(), &user);
      if (idle == idle_.end()) continue;  // busy finishing the last phase: it joins its chain when done
      idle_.erase(idle);
      ++running_;
      continue_chain(user);
    }
  }
}

void Engine::run_closed(int64_t now) {
  const plan::Phase& phase = phases_[phase_];
  double elapsed = static_cast<double>(now - phase_start_ns_[phase_]);
  double fraction = std::clamp(elapsed / static_cast<double>(phase.duration.count()), 0.0, 1.0);
  target_ = segment_.share(static_cast<uint64_t>(std::llround(phase.users.at(fraction))));
  while (running_ < target_ && !ending_ && !context_.out_of_rows) {
    scenario::VirtualUser* user = take_idle();
    if (user == nullptr) break;
    user->start_iteration(next_scenario());
  }
  balance_leavers(now);
  context_.loop.schedule(*this, std::min(now + kControlTickNs, phase_end_ns()));
}

// Closed model: exactly the surplus (running − target) users carry a leave deadline. Whoever ends an
// iteration first leaves (after_iteration), so a deadline only cuts when the ramp has waited graceful_stop
// for that many users to finish.
void Engine::balance_leavers(int64_t now) {
  size_t surplus = running_ > target_ ? running_ - target_ : 0;
  while (leavers_.armed() > surplus) leavers_.disarm_one();
  int64_t deadline = now + phases_[phase_].graceful_stop.count();
  for (size_t scanned = 0; leavers_.armed() < surplus && scanned < users_.size(); ++scanned) {
    leave_cursor_ = leave_cursor_ + 1 < users_.size() ? leave_cursor_ + 1 : 0;
    scenario::VirtualUser& user = *users_[leave_cursor_];
    if (user.is_in_iteration()) leavers_.arm(user.slot(), deadline);
  }
}

// Every user in an iteration may finish it until deadline_ns; one sent away before keeps its earlier deadline.
void Engine::send_away(int64_t deadline_ns) {
  for (const auto& user : users_) {
    if (user->is_in_iteration()) leavers_.arm(user->slot(), deadline_ns);
  }
}

void Engine::run_open(int64_t now) {
  const int64_t phase_start = phase_start_ns_[phase_];
  const int64_t slack = context_.plan.schedule_slack_ns;
  int64_t offset;
  // Every arrival that is due starts now, measured from its own scheduled time (a late timer shifts nothing),
  // and so does every one due within schedule_slack: it is sent early, measured from its send.
  while (!ending_ && (offset = arrival_offset_ns(next_arrival_)) >= 0 && phase_start + offset <= now + slack) {
    next_arrival_ += segment_.count;
    scenario::VirtualUser* user = take_idle();
    if (user == nullptr) {
      ++context_.stats.dropped_iterations(phase_);
      continue;
    }
    user->start_iteration(next_scenario(), phase_start + offset);
  }
  if (ending_) return;
  offset = arrival_offset_ns(next_arrival_);
  if (offset >= 0 && phase_start + offset < phase_end_ns()) {
    context_.loop.schedule(*this, phase_start + offset, slack);
  } else {
    context_.loop.schedule(*this, phase_end_ns());
  }
}

// A constant-throughput connection sends its next scheduled request; if that slot has passed it sends at once
// (and its latency includes the wait), if it lies ahead the user waits for it.
void Engine::continue_chain(scenario::VirtualUser& user) {
  uint64_t k = chain_next_[user.slot()];
  int64_t offset = schedule_.offset_ns(k);
  if (offset < 0) {
    chain_next_[user.slot()] = kNoChain;
    return release(user);
  }
  chain_next_[user.slot()] = k + chain_stride_;
  int64_t next_offset = schedule_.offset_ns(k + chain_stride_);
  user.start_iteration(next_scenario(), phase_start_ns_[phase_] + offset,
                       next_offset >= 0 ? phase_start_ns_[phase_] + next_offset : 0);
}

scenario::VirtualUser* Engine::take_idle() {
  if (idle_.empty()) return nullptr;
  scenario::VirtualUser* user = idle_.back();
  idle_.pop_back();
  ++running_;
  return user;
}

void Engine::release(scenario::VirtualUser& user) {
  leavers_.disarm(user.slot());
  // A constant connection whose user was busy in the hold when the phase began joins its chain now.
  if (!ending_ && !draining_ && chain_next_[user.slot()] != kNoChain) return continue_chain(user);
  --running_;
  idle_.push_back(&user);
  check_done();
}

// Smooth weighted round robin (nginx's upstream choice): deterministic, and any window of picks follows the
// weights as closely as whole picks allow.
const scenario::CompiledScenario& Engine::next_scenario() {
  const auto& scenarios = context_.plan.scenarios;
  double total = 0;
  size_t best = 0;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    smooth_weights_[i] += scenarios[i].weight;
    total += scenarios[i].weight;
    if (smooth_weights_[i] > smooth_weights_[best]) best = i;
  }
  smooth_weights_[best] -= total;
  return scenarios[best];
}

void Engine::on_iteration_done(scenario::VirtualUser& user) {
  leavers_.disarm(user.slot());
  after_iteration(user);
}

// Also after an interrupted iteration: what the user does next is the same.
void Engine::after_iteration(scenario::VirtualUser& user) {
  if (hold_.owns(user)) return hold_.on_iteration_done(user);
  if (ending_ || draining_ || phase_ == SIZE_MAX) return release(user);
  if (chain_next_[user.slot()] != kNoChain) return continue_chain(user);
  if (phases_[phase_].model == plan::LoadModel::kClosed) {
    if (running_ <= target_ && !context_.out_of_rows) return user.start_iteration(next_scenario());
    release(user);  // surplus: the first user to finish leaves, and one sent away is reprieved
    return balance_leavers(context_.loop.now_ns());
  }
  release(user);  // open arrivals end with their iteration
}

void Engine::on_deadline_passed(uint32_t slot) {
  scenario::VirtualUser& user = *users_[slot];
  if (!user.is_in_iteration()) return;
  user.interrupt();
  after_iteration(user);
}

void Engine::on_stopped(scenario::VirtualUser& user) {
  if (hold_.owns(user)) return hold_.on_lost(user);
  release(user);
}

void Engine::on_connection_ready(scenario::VirtualUser& user) {
  if (hold_.owns(user)) hold_.on_ready(user);
}

void Engine::on_connection_lost(scenario::VirtualUser& user) {
  if (hold_.owns(user)) hold_.on_lost(user);  // other idle users reconnect when they next send
}

bool Engine::take_request() {
  if (ending_) return false;
  if (!has_budget_) return true;
  if (requests_left_ == 0) {
    begin_end();
    return false;
  }
  --requests_left_;
  return true;
}

void Engine::stop() { begin_end(); }

void Engine::close_connections() {
  for (const auto& user : users_) user->close_at_run_end();
}

// The last phase is over: users finish the iteration they are in within its graceful_stop; none starts.
void Engine::begin_drain() {
  if (draining_ || ending_) return;
  draining_ = true;
  context_.loop.cancel(*this);
  hold_.leave();
  send_away(phase_start_ns_.back() + (phases_.empty() ? 0 : phases_.back().graceful_stop.count()));
  check_done();
}

void Engine::begin_end() {
  if (ending_) return;
  ending_ = true;
  context_.loop.cancel(*this);
  hold_.leave();
  for (const auto& user : users_) {
    if (user->is_running()) user->stop_after_request();
  }
  check_done();
}

void Engine::check_done() {
  if ((!ending_ && !draining_) || running_ > 0 || done_) return;
  done_ = true;
  on_done_();
}

}  // namespace surge::load
