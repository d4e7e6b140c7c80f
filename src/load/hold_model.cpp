// Hold bookkeeping. Every held user is in one slot state: connecting, ready (idle, in the ready queue) or
// busy (running a request). One timer wakes the model at the next connect slot it needs (only while it holds
// fewer than its share) and the next request slot (only while a connection is ready); due requests that
// find no ready connection wait for one, and keep their slot time as their intended send time.
#include "load/hold_model.h"

#include <algorithm>

#include "core/clock.h"

namespace surge::load {
namespace {

constexpr int64_t kDefaultConnectTimeoutNs = 10 * core::kNsPerSec;

}  // namespace

HoldModel::HoldModel(scenario::WorkerContext& context, Segment segment, UserPool& pool,
                     const std::vector<std::unique_ptr<scenario::VirtualUser>>& users)
    : context_(context),
      segment_(segment),
      pool_(pool),
      users_(users),
      state_(users.size(), SlotState::kFree),
      next_(users.size(), kNil),
      prev_(users.size(), kNil),
      timeout_ns_(kDefaultConnectTimeoutNs) {
  // The connections go where the first scenario's first request goes, so its requests can use them.
  if (context.plan.scenarios.empty()) return;
  for (const scenario::CompiledStep& step : context.plan.scenarios.front().steps) {
    if (step.kind != scenario::CompiledStep::Kind::kHttp) continue;
    target_ = step.http.target;
    timeout_ns_ = step.http.timeout_ns;
    break;
  }
}

HoldModel::~HoldModel() { context_.loop.cancel(*this); }

void HoldModel::enter(const plan::Phase& phase, size_t phase_index, int64_t start_ns, int64_t end_ns) {
  if (active_) count_unsent_requests();
  active_ = true;
  phase_index_ = phase_index;
  start_ns_ = start_ns;
  end_ns_ = end_ns;
  connects_ = ArrivalSchedule(phase.connect_rate_per_s.from, phase.connect_rate_per_s.to, end_ns - start_ns);
  requests_ = ArrivalSchedule(phase.rate_per_s.from, phase.rate_per_s.to, end_ns - start_ns);
  next_connect_ = next_request_ = segment_.index;
  want_ = context_.plan.targets.empty()
              ? 0
              : std::min<uint64_t>(segment_.dealt_share(phase.connections), users_.size());
  shed_surplus();
  context_.loop.schedule(*this, start_ns);
}

void HoldModel::leave() {
  if (!active_) return;
  count_unsent_requests();
  active_ = false;
  want_ = 0;
  context_.loop.cancel(*this);
  shed_surplus();
}

void HoldModel::on_timer() {
  int64_t now = context_.loop.now_ns();
  open_due(now);
  send_due(now);
  arm_next();
}

void HoldModel::open_due(int64_t now) {
  int64_t offset;
  while (active_ && assigned_ < want_ && (offset = connects_.offset_ns(next_connect_)) >= 0 &&
         start_ns_ + offset <= now) {
    next_connect_ += segment_.count;
    scenario::VirtualUser* user = pool_.take_idle();
    if (user == nullptr) continue;  // users still finishing an earlier phase: a later slot opens it
    state_[user->slot()] = SlotState::kConnecting;
    ++assigned_;
    user->hold_connection(target_, timeout_ns_);  // may report back at once (on_ready or on_lost)
  }
}

void HoldModel::send_due(int64_t now) {
  if (dispatching_) return;
  dispatching_ = true;
  int64_t offset;
  while (active_ && head_ != kNil && (offset = requests_.offset_ns(next_request_)) >= 0 &&
         start_ns_ + offset <= now) {
    next_request_ += segment_.count;
    uint32_t slot = pop_ready();
    state_[slot] = SlotState::kBusy;
    ++busy_;
    users_[slot]->start_iteration(pool_.next_scenario(), start_ns_ + offset);
  }
  dispatching_ = false;
}

void HoldModel::arm_next() {
  int64_t next = INT64_MAX;
  int64_t offset;
  if (active_ && assigned_ < want_ && (offset = connects_.offset_ns(next_connect_)) >= 0)
    next = start_ns_ + offset;
  if (active_ && head_ != kNil && (offset = requests_.offset_ns(next_request_)) >= 0) {
    next = std::min(next, start_ns_ + offset);
  }
  if (next == INT64_MAX) return context_.loop.cancel(*this);
  context_.loop.schedule(*this, next);
}

// While the hold was full its connect slots passed unused; a connection lost now reopens at the next slot
// from now on, not in a burst over the slots that passed.
void HoldModel::skip_missed_connects(int64_t now) {
  uint64_t first = connects_.arrivals_before(now - start_ns_);
  if (next_connect_ >= first) return;
  uint64_t count = segment_.count;
  next_connect_ = first + (segment_.index + count - first % count) % count;
}

void HoldModel::on_ready(scenario::VirtualUser& user) {
  uint32_t slot = user.slot();
  if (!active_ || assigned_ > want_) {
    user.drop_connection();
    return give_back(user);
  }
  state_[slot] = SlotState::kReady;
  push_ready(slot);
  send_due(context_.loop.now_ns());
  arm_next();
}

void HoldModel::on_lost(scenario::VirtualUser& user) {
  uint32_t slot = user.slot();
  if (state_[slot] == SlotState::kReady) unlink_ready(slot);
  if (state_[slot] == SlotState::kBusy) --busy_;
  bool was_full = assigned_ >= want_;
  give_back(user);
  if (!active_) return;
  if (was_full) skip_missed_connects(context_.loop.now_ns());
  arm_next();
}

void HoldModel::on_iteration_done(scenario::VirtualUser& user) {
  uint32_t slot = user.slot();
  --busy_;
  if (active_ && assigned_ <= want_ && user.is_connected()) {
    state_[slot] = SlotState::kReady;
    push_ready(slot);
    send_due(context_.loop.now_ns());
    return arm_next();
  }
  // The hold is over, it shrank, or the server closed the connection during the request.
  bool reopen = active_ && assigned_ <= want_;
  bool was_full = assigned_ >= want_;
  user.drop_connection();
  give_back(user);
  if (!reopen) return;
  if (was_full) skip_missed_connects(context_.loop.now_ns());
  arm_next();
}

void HoldModel::give_back(scenario::VirtualUser& user) {
  state_[user.slot()] = SlotState::kFree;
  --assigned_;
  pool_.release(user);
}

// Closes idle and connecting held connections until at most want_ remain; busy ones close when they end.
void HoldModel::shed_surplus() {
  while (assigned_ > want_ && head_ != kNil) {
    scenario::VirtualUser& user = *users_[pop_ready()];
    user.drop_connection();
    give_back(user);
  }
  for (size_t slot = 0; slot < state_.size() && assigned_ > want_; ++slot) {
    if (state_[slot] != SlotState::kConnecting) continue;
    users_[slot]->drop_connection();
    give_back(*users_[slot]);
  }
}

// Requests whose slot has come but that found no connection before the hold ended never started.
void HoldModel::count_unsent_requests() {
  int64_t until = std::min(context_.loop.now_ns(), end_ns_) - start_ns_;
  uint64_t due = segment_.dealt_share(requests_.arrivals_before(until));
  uint64_t sent = (next_request_ - segment_.index) / segment_.count;
  if (due > sent) context_.stats.dropped_iterations(phase_index_) += due - sent;
}

void HoldModel::push_ready(uint32_t slot) {
  next_[slot] = kNil;
  prev_[slot] = tail_;
  if (tail_ != kNil)
    next_[tail_] = slot;
  else
    head_ = slot;
  tail_ = slot;
}

uint32_t HoldModel::pop_ready() {
  uint32_t slot = head_;
  unlink_ready(slot);
  return slot;
}

void HoldModel::unlink_ready(uint32_t slot) {
  uint32_t before = prev_[slot], after = next_[slot];
  if (before != kNil)
    next_[before] = after;
  else
    head_ = after;
  if (after != kNil)
    prev_[after] = before;
  else
    tail_ = before;
  next_[slot] = prev_[slot] = kNil;
}

}  // namespace surge::load
