// The virtual user's iteration flow: starting and ending iterations, feeder rows, walking the steps (loops,
// think times, ws steps handed to the WebSocket session), stopping and interrupting. The HTTP request I/O is in
// virtual_user.cpp.
#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "scenario/virtual_user.h"

namespace surge::scenario {

void VirtualUser::start_iteration(const CompiledScenario& scenario, int64_t intended_ns, int64_t next_due_ns) {
  scenario_ = &scenario;
  next_due_ns_ = next_due_ns;
  step_index_ = 0;
  stopping_ = false;
  intended_ns_ = intended_ns;
  iteration_phase_ = context_.phase;
  resume_step_ = 0;
  retry_count_ = 0;
  ++iteration_;
  if (cookies_ && scenario.cookies == plan::CookieMode::kPerIteration) cookies_->clear();
  if (!take_feeder_rows()) {
    // A unique feeder without recycle has no row left for this worker: the iteration cannot start.
    ++context_.stats.dropped_iterations(context_.phase);
    context_.out_of_rows = true;
    return finish();
  }
  if (intended_ns > context_.loop.now_ns() + context_.plan.schedule_slack_ns) {
    // A wake-up for an earlier timer may send it up to schedule_slack early (its latency then counts from the
    // actual send): requests due close together share one wake-up, the worker's dearest cost at a fixed rate.
    state_ = State::kWaiting;
    return context_.loop.schedule(*this, intended_ns, context_.plan.schedule_slack_ns);
  }
  run_step();
}

bool VirtualUser::take_feeder_rows() {
  for (size_t i = 0; i < context_.feeders.size(); ++i) {
    const templating::Row* row = context_.feeders[i].next();
    if (row == nullptr) return false;
    uint32_t slot = context_.plan.feeders[i].first_slot;
    for (const std::string& value : *row) variables_[slot++].assign(value);  // reuses each slot's capacity
  }
  return true;
}

void VirtualUser::stop_after_request() {
  stopping_ = true;
  if (state_ == State::kWaiting) {
    context_.loop.cancel(*this);
    finish();
  }
}

void VirtualUser::close_at_run_end() {
  context_.loop.cancel(*this);
  if (!connection_.is_closed()) close_connection();
  end_ws_session();
}

void VirtualUser::interrupt() {
  if (scenario_ == nullptr) return;
  context_.loop.cancel(*this);
  bool in_flight = state_ == State::kConnecting || state_ == State::kSending || state_ == State::kReceiving;
  // A half-sent or half-read request leaves the connection unusable.
  if (in_flight && !connection_.is_closed()) close_connection();
  end_ws_session();
  ++context_.stats.interrupted_iterations(iteration_phase_);
  scenario_ = nullptr;
  state_ = State::kIdle;
  stopping_ = false;
  intended_ns_ = 0;
}

void VirtualUser::run_step() {
  while (true) {
    if (stopping_) return finish();
    if (step_index_ >= scenario_->steps.size()) {
      end_ws_session();  // a WebSocket connection lasts one iteration at most
      state_ = State::kIdle;
      scenario_ = nullptr;
      ++context_.iterations;
      host_.on_iteration_done(*this);
      return;
    }
    step_ = &scenario_->steps[step_index_];
    using Kind = CompiledStep::Kind;
    if (step_->kind == Kind::kGroupBegin || step_->kind == Kind::kGroupEnd) {
      run_group_step();
      continue;
    }
    if (step_->kind != Kind::kLoopBegin && step_->kind != Kind::kLoopEnd) break;
    run_loop_step();
  }
  if (step_->kind == CompiledStep::Kind::kThink) {
    int64_t pause = think_time();
    ++step_index_;  // the wait resumes at the step after the think (a back-off wait resumes where it stopped)
    if (intended_ns_ != 0) intended_ns_ += pause;  // a scheduled request still runs from its schedule
    return wait(pause);
  }
  if (step_->kind == CompiledStep::Kind::kWs) return begin_ws_step();
  begin_request();
}

void VirtualUser::begin_ws_step() {
  if (!host_.take_request()) return finish();
  request_phase_ = context_.phase;
  state_ = State::kWs;
  sent_ns_ = context_.loop.refresh_now();
  if (intended_ns_ == 0 || intended_ns_ > sent_ns_) intended_ns_ = sent_ns_;  // sent early: from the send
  templating::RenderContext render{id_, iteration_, variables_, &context_.template_rng,
                                   core::wall_clock_ns() / core::kNsPerMs, draw_rpc_ids(step_->ws->rpc.calls)};
  CookieJar* jar = nullptr;
  if (scenario_->cookies != plan::CookieMode::kOff) {
    if (!cookies_) cookies_ = std::make_unique<CookieJar>();
    jar = cookies_.get();
  }
  ws_->run(*step_->ws, render, cell(), jar);
}

void VirtualUser::on_ws_step_done(bool ok, metrics::ErrorKind kind) {
  if (state_ != State::kWs) return;
  int64_t now = context_.loop.refresh_now();
  metrics::RequestStats& stats = cell();
  if (ok) {
    stats.latency.record(now - intended_ns_);
    stats.service_time.record(now - sent_ns_);
    ++stats.ok;
    context_.outcomes.record_ok(now);
  } else {
    ++stats.by_error[static_cast<size_t>(kind)];
    note_failure();
    context_.outcomes.record_error(now);
  }
  intended_ns_ = 0;
  state_ = State::kIdle;
  next_step();
}

void VirtualUser::end_ws_session() {
  if (ws_) ws_->close_now();
}

void VirtualUser::run_loop_step() {
  uint64_t& rounds = loop_rounds_[step_->loop_slot];
  if (step_->kind == CompiledStep::Kind::kLoopBegin) rounds = 0;
  else ++rounds;
  bool again = rounds < step_->loop_count;
  if (again && step_->while_slot) {
    const std::string& value = variables_[*step_->while_slot];
    again = !value.empty() && value != "false" && value != "0" && value != "null";
  }
  bool at_begin = step_->kind == CompiledStep::Kind::kLoopBegin;
  // Begin: run the body (the next step) or skip to the exit. End: back to the body, or on past the end.
  if (at_begin) step_index_ = again ? step_index_ + 1 : step_->jump;
  else step_index_ = again ? step_->jump : step_index_ + 1;
}

// A group run's slots: when it started (a scheduled first request's intended time if that is earlier, so the
// run covers that request's latency), the user's failures before it, and its phase. The end records the run
// into that phase; an iteration cut before the end records nothing.
void VirtualUser::run_group_step() {
  uint64_t* run = &loop_rounds_[step_->loop_slot];
  int64_t now = context_.loop.now_ns();
  uint64_t failures = loop_rounds_[*context_.plan.failure_slot];
  if (step_->kind == CompiledStep::Kind::kGroupBegin) {
    int64_t start = intended_ns_ != 0 ? std::min(now, intended_ns_) : now;
    run[0] = static_cast<uint64_t>(start);
    run[1] = failures;
    run[2] = context_.phase;
  } else {
    int64_t started = static_cast<int64_t>(run[0]);
    context_.stats.group(run[2], step_->stats_index).record(now - started, failures == run[1]);
  }
  ++step_index_;
}

int64_t VirtualUser::think_time() {
  if (step_->think_exponential) {
    // Inverse transform: -mean · ln(U), U uniform in (0, 1].
    double unit = (static_cast<double>(context_.rng() >> 11) + 1.0) * 0x1.0p-53;
    return static_cast<int64_t>(-static_cast<double>(step_->think_min_ns) * std::log(unit));
  }
  int64_t pause = step_->think_min_ns;
  if (step_->think_max_ns > step_->think_min_ns) {
    pause += static_cast<int64_t>(context_.rng() % uint64_t(step_->think_max_ns - step_->think_min_ns + 1));
  }
  return pause;
}

void VirtualUser::next_step() {
  ++step_index_;
  retry_count_ = 0;
  if (resume_step_ != 0 && step_index_ == reinit_until_) {
    step_index_ = resume_step_;
    resume_step_ = 0;
  }
  if (stopping_) return finish();
  if (backoff_ns_ > 0) return wait(backoff_ns_);  // only set after a failed connect, cleared by a good one
  run_step();
}

void VirtualUser::wait(int64_t duration_ns) {
  state_ = State::kWaiting;
  context_.loop.schedule(*this, context_.loop.now_ns() + duration_ns);
}

void VirtualUser::finish() {
  if (!connection_.is_closed()) close_connection();
  end_ws_session();
  state_ = State::kIdle;
  scenario_ = nullptr;
  stopping_ = false;
  host_.on_stopped(*this);
}

}  // namespace surge::scenario
