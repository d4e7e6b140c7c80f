// The plan's fault timeline (docs/faults.md): each fault is applied at its time on the coordinator's loop and
// ended `for` later: proxy faults through the in-process proxy, process faults by signal or command. It
// records when each fault really ended, which recovery_s is counted from.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "fault/process_control.h"
#include "plan/plan.h"
#include "proxy/proxy.h"
#include "results/run_result.h"

namespace surge::fault {

class FaultTimeline {
 public:
  // Starts the processes of kill/stop/cont faults that name a `command` (once per distinct command) and waits
  // until the target accepts connections (at most 10 s). Errors name the fault's position.
  static core::Result<std::unique_ptr<FaultTimeline>> prepare(core::EventLoop& loop, const plan::Plan& plan,
                                                              const net::SocketAddress& target);
  ~FaultTimeline();

  // Schedules every fault relative to start_ns (the start of phase 0, monotonic). proxy (null without
  // `proxy:`) must outlive the timeline's faults, which finish() ends.
  void start(int64_t start_ns, proxy::Proxy* proxy);
  // Cancels what has not happened yet, ends the proxy faults still on, stops every process surge started.
  void finish();
  // One outcome per plan fault (recovery_s and errors are filled in later, by recovery.h).
  std::vector<results::FaultOutcome> outcomes() const;
  // The kinds of faults active now (for surge_fault_active{kind}).
  std::vector<std::string> active_kinds() const;

 private:
  struct Event;
  FaultTimeline(core::EventLoop& loop, const plan::Plan& plan);
  void begin(size_t index);
  void end(size_t index);
  pid_t process_of(size_t index) const;

  core::EventLoop& loop_;
  const plan::Plan& plan_;
  proxy::Proxy* proxy_ = nullptr;
  ProcessControl processes_;
  int64_t start_ns_ = 0;
  std::vector<std::unique_ptr<Event>> events_;  // two per fault: begin, end
  std::vector<proxy::FaultId> proxy_ids_;       // by fault; 0 = none active
  // The processes started for `command`s, by command line; a restart replaces the killed one, so a later
  // fault on the same command acts on the restarted process.
  std::vector<std::pair<std::vector<std::string>, pid_t>> managed_;
  std::vector<int64_t> end_ns_;  // by fault: when recovery counts from (0: not yet)
  std::vector<bool> active_;
  std::vector<std::string> failures_;
  std::vector<pid_t> status_pids_;  // by fault: exec or restart process whose status is reported
};

}  // namespace surge::fault
