// Closed model control: a 10 ms control tick (and exact ticks at phase boundaries) compares running users
// with the ramp and starts users; surplus users retire as they finish iterations.
#include "load/closed_model.h"

#include <algorithm>
#include <cmath>

#include "core/clock.h"

namespace surge::load {
namespace {

constexpr int64_t kControlTickNs = 10 * core::kNsPerMs;

size_t peak_users(const std::vector<plan::Phase>& phases, Segment segment) {
  double peak = 0;
  for (const plan::Phase& phase : phases) peak = std::max({peak, phase.users.from, phase.users.to});
  return segment.share(static_cast<uint64_t>(std::llround(peak)));
}

}  // namespace

ClosedModel::ClosedModel(scenario::WorkerContext& context, const std::vector<plan::Phase>& phases,
                         Segment segment, uint64_t max_requests, std::function<void()> on_done)
    : context_(context),
      phases_(phases),
      segment_(segment),
      on_done_(std::move(on_done)),
      smooth_weights_(context.plan.scenarios.size(), 0.0),
      requests_left_(max_requests),
      has_budget_(max_requests > 0) {
  // Every user this worker can ever run is made now: nothing is allocated once the load starts.
  size_t peak = peak_users(phases, segment);
  users_.reserve(peak);
  idle_.reserve(peak);
  for (size_t i = 0; i < peak; ++i) {
    uint64_t id = uint64_t{segment.index} + uint64_t{segment.count} * i;  // unique across workers
    users_.push_back(std::make_unique<scenario::VirtualUser>(context, *this, id));
  }
  for (auto it = users_.rbegin(); it != users_.rend(); ++it) idle_.push_back(it->get());
}

ClosedModel::~ClosedModel() { context_.loop.cancel(*this); }

void ClosedModel::start(int64_t start_ns) {
  phase_start_ns_.push_back(start_ns);
  for (const plan::Phase& phase : phases_) phase_start_ns_.push_back(phase_start_ns_.back() + phase.duration.count());
  context_.loop.schedule(*this, start_ns);
}

size_t ClosedModel::planned_users(int64_t now_ns) const {
  const plan::Phase& phase = phases_[phase_];
  double elapsed = static_cast<double>(now_ns - phase_start_ns_[phase_]);
  double fraction = std::clamp(elapsed / static_cast<double>(phase.duration.count()), 0.0, 1.0);
  return segment_.share(static_cast<uint64_t>(std::llround(phase.users.at(fraction))));
}

void ClosedModel::on_timer() {
  if (ending_) return;
  int64_t now = context_.loop.now_ns();
  while (phase_ < phases_.size() && now >= phase_start_ns_[phase_ + 1]) ++phase_;
  if (phase_ == phases_.size()) return begin_end();
  context_.phase = static_cast<uint32_t>(phase_);
  target_ = planned_users(now);
  if (running_ < target_) add_users(target_ - running_);
  context_.loop.schedule(*this, std::min(now + kControlTickNs, phase_start_ns_[phase_ + 1]));
}

void ClosedModel::add_users(size_t wanted) {
  while (wanted-- > 0 && !idle_.empty() && !ending_) {
    scenario::VirtualUser* user = idle_.back();
    idle_.pop_back();
    ++running_;
    user->start_iteration(next_scenario());
  }
}

// Smooth weighted round robin (nginx's upstream choice): deterministic, and any window of picks follows the
// weights as closely as whole picks allow.
const scenario::CompiledScenario& ClosedModel::next_scenario() {
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

void ClosedModel::on_iteration_done(scenario::VirtualUser& user) {
  if (ending_ || running_ > target_) {
    --running_;
    idle_.push_back(&user);
    return check_done();
  }
  user.start_iteration(next_scenario());
}

void ClosedModel::on_stopped(scenario::VirtualUser& user) {
  --running_;
  idle_.push_back(&user);
  check_done();
}

bool ClosedModel::take_request() {
  if (ending_) return false;
  if (!has_budget_) return true;
  if (requests_left_ == 0) {
    begin_end();
    return false;
  }
  --requests_left_;
  return true;
}

void ClosedModel::stop() { begin_end(); }

void ClosedModel::begin_end() {
  if (ending_) return;
  ending_ = true;
  context_.loop.cancel(*this);
  for (const auto& user : users_) {
    if (user->is_running()) user->stop_after_request();
  }
  check_done();
}

void ClosedModel::check_done() {
  if (!ending_ || running_ > 0 || done_) return;
  done_ = true;
  on_done_();
}

}  // namespace surge::load
