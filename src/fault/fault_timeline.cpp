// FaultTimeline: timers on the coordinator's loop that begin and end each fault of the plan.
#include "fault/fault_timeline.h"

#include <signal.h>

#include <cstring>

#include "core/clock.h"
#include "core/errno_text.h"

namespace surge::fault {

struct FaultTimeline::Event final : core::Timer {
  Event(FaultTimeline& owner, size_t index, bool is_begin) : owner(owner), index(index), is_begin(is_begin) {}
  void on_timer() override { is_begin ? owner.begin(index) : owner.end(index); }
  FaultTimeline& owner;
  size_t index;
  bool is_begin;
};

namespace {

using Kind = plan::FaultEntry::Kind;

std::string where_of(const plan::FaultEntry& fault) {
  return fault.where.file + ":" + std::to_string(fault.where.line) + ":" + std::to_string(fault.where.column);
}

proxy::FaultSpec proxy_spec(const plan::FaultEntry& fault) {
  proxy::FaultSpec spec;
  spec.kind = fault.kind == Kind::kLatency     ? proxy::FaultKind::kLatency
              : fault.kind == Kind::kBandwidth ? proxy::FaultKind::kBandwidth
              : fault.kind == Kind::kPartition ? proxy::FaultKind::kPartition
              : fault.kind == Kind::kReset     ? proxy::FaultKind::kReset
              : fault.kind == Kind::kCloseNew  ? proxy::FaultKind::kCloseNew
              : fault.kind == Kind::kRefuse    ? proxy::FaultKind::kRefuse
                                               : proxy::FaultKind::kSlowClose;
  spec.direction = fault.direction == "upstream"     ? proxy::Direction::kUpstream
                   : fault.direction == "downstream" ? proxy::Direction::kDownstream
                                                     : proxy::Direction::kBoth;
  spec.fraction = fault.fraction;
  // The timeline ends the fault itself (end()), so the proxy's own `for` is not used: one clock decides.
  spec.latency = fault.latency;
  spec.jitter = fault.jitter;
  spec.bytes_per_s = fault.bytes_per_s;
  spec.on_end = fault.on_end == "drop" ? proxy::OnEnd::kDrop : proxy::OnEnd::kRelease;
  spec.close_delay = fault.close_delay;
  return spec;
}

}  // namespace

FaultTimeline::FaultTimeline(core::EventLoop& loop, const plan::Plan& plan) : loop_(loop), plan_(plan) {
  const size_t n = plan.faults.size();
  proxy_ids_.assign(n, 0);
  end_ns_.assign(n, 0);
  active_.assign(n, false);
  failures_.assign(n, "");
  status_pids_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    events_.push_back(std::make_unique<Event>(*this, i, true));
    events_.push_back(std::make_unique<Event>(*this, i, false));
  }
}

FaultTimeline::~FaultTimeline() { finish(); }

core::Result<std::unique_ptr<FaultTimeline>> FaultTimeline::prepare(core::EventLoop& loop,
                                                                    const plan::Plan& plan,
                                                                    const net::SocketAddress& target) {
  std::unique_ptr<FaultTimeline> timeline(new FaultTimeline(loop, plan));
  bool started_any = false;
  for (const plan::FaultEntry& fault : plan.faults) {
    if (fault.kind == Kind::kExec || fault.command.empty()) continue;
    bool known = false;
    for (const auto& [argv, pid] : timeline->managed_) known = known || argv == fault.command;
    if (known) continue;
    auto pid = timeline->processes_.start(fault.command);
    if (!pid) return core::fail(where_of(fault) + ": " + pid.error().message);
    timeline->managed_.emplace_back(fault.command, *pid);
    started_any = true;
  }
  if (started_any && !ProcessControl::wait_until_listening(target, std::chrono::seconds(10))) {
    return core::fail("the processes started for the faults' command did not accept connections at " +
                      target.to_string() + " within 10 s");
  }
  return timeline;
}

void FaultTimeline::start(int64_t start_ns, proxy::Proxy* proxy) {
  start_ns_ = start_ns;
  proxy_ = proxy;
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    loop_.schedule(*events_[2 * i], start_ns + plan_.faults[i].at(plan_.phases).count());
  }
}

pid_t FaultTimeline::process_of(size_t index) const {
  const plan::FaultEntry& fault = plan_.faults[index];
  if (fault.target_pid != 0) return fault.target_pid;
  for (const auto& [argv, pid] : managed_) {
    if (argv == fault.command) return pid;
  }
  return 0;
}

void FaultTimeline::begin(size_t index) {
  const plan::FaultEntry& fault = plan_.faults[index];
  const int64_t now_ns = core::monotonic_ns();
  end_ns_[index] = now_ns;  // faults without a duration count recovery from the moment they act
  if (fault.is_proxy_fault() && proxy_ == nullptr) {
    failures_[index] = "no proxy is running";
  } else if (fault.is_proxy_fault()) {
    auto id = proxy_->add_fault(proxy_spec(fault));
    if (!id)
      failures_[index] = id.error().message;
    else if (fault.kind != Kind::kReset)
      proxy_ids_[index] = *id;
  } else if (fault.kind == Kind::kExec) {
    auto pid = processes_.start(fault.command);
    if (!pid)
      failures_[index] = pid.error().message;
    else
      status_pids_[index] = *pid;
  } else {
    const int signal = fault.kind == Kind::kStop   ? SIGSTOP
                       : fault.kind == Kind::kCont ? SIGCONT
                       : fault.signal != 0         ? fault.signal
                                                   : SIGKILL;
    const pid_t pid = process_of(index);
    if (pid <= 0 || kill(pid, signal) != 0) {
      failures_[index] = "cannot send signal " + std::to_string(signal) + " to process " +
                         std::to_string(pid) + ": " + core::errno_text(errno);
    }
  }
  active_[index] = failures_[index].empty() && fault.duration.count() > 0;
  if (active_[index]) loop_.schedule(*events_[2 * index + 1], now_ns + fault.duration.count());
}

void FaultTimeline::end(size_t index) {
  const plan::FaultEntry& fault = plan_.faults[index];
  active_[index] = false;
  end_ns_[index] = core::monotonic_ns();
  if (proxy_ids_[index] != 0) {
    proxy_->remove_fault(proxy_ids_[index]);
    proxy_ids_[index] = 0;
  } else if (fault.kind == Kind::kStop) {
    kill(process_of(index), SIGCONT);
  } else if (fault.kind == Kind::kKill && !fault.restart.empty()) {
    processes_.reap();  // the killed child, if surge started it
    auto pid = processes_.start(fault.restart);
    if (!pid) {
      failures_[index] = "restart: " + pid.error().message;
      return;
    }
    status_pids_[index] = *pid;
    for (auto& [argv, managed_pid] : managed_) {
      if (argv == fault.command && !fault.command.empty()) managed_pid = *pid;
    }
  }
}

void FaultTimeline::finish() {
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    loop_.cancel(*events_[2 * i]);
    loop_.cancel(*events_[2 * i + 1]);
    if (proxy_ids_[i] != 0 && proxy_ != nullptr) proxy_->remove_fault(proxy_ids_[i]);
    if (active_[i] && plan_.faults[i].kind == Kind::kStop) kill(process_of(i), SIGCONT);
    proxy_ids_[i] = 0;
    active_[i] = false;
  }
  // exec commands get a moment to finish on their own, so their exit status is theirs, not our SIGTERM's.
  processes_.reap();
  processes_.stop_all();
}

std::vector<results::FaultOutcome> FaultTimeline::outcomes() const {
  std::vector<results::FaultOutcome> outcomes;
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    const plan::FaultEntry& fault = plan_.faults[i];
    results::FaultOutcome outcome;
    outcome.kind = std::string(plan::to_string(fault.kind));
    outcome.at_s = static_cast<double>(fault.at(plan_.phases).count()) / core::kNsPerSec;
    outcome.for_s = static_cast<double>(fault.duration.count()) / core::kNsPerSec;
    outcome.stable_s = static_cast<double>(fault.stable.count()) / core::kNsPerSec;
    outcome.end_s = end_ns_[i] == 0 ? -1 : static_cast<double>(end_ns_[i] - start_ns_) / core::kNsPerSec;
    outcome.failure = end_ns_[i] == 0 ? "not reached: the run ended first" : failures_[i];
    if (status_pids_[i] != 0)
      outcome.command_status = processes_.status_of(status_pids_[i]).value_or("running");
    outcomes.push_back(outcome);
  }
  return outcomes;
}

std::vector<std::string> FaultTimeline::active_kinds() const {
  std::vector<std::string> kinds;
  for (size_t i = 0; i < plan_.faults.size(); ++i) {
    if (active_[i]) kinds.emplace_back(plan::to_string(plan_.faults[i].kind));
  }
  return kinds;
}

}  // namespace surge::fault
