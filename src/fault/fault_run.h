// What a run with `proxy:` or `faults:` adds around the load (docs/faults.md): the processes to start before
// it, the in-process proxy the workers' connections go through, the timeline, and the outcomes after it.
#pragma once

#include <memory>
#include <string>

#include "core/event_loop.h"
#include "core/result.h"
#include "fault/fault_timeline.h"
#include "plan/plan.h"
#include "proxy/proxy.h"
#include "scenario/compiled_plan.h"
#include "sla/sla.h"

namespace surge::fault {

class FaultRun {
 public:
  // Before the fork: starts the faults' `command` processes (waiting until the target listens) and points the
  // compiled plan's connections to the target's address at the proxy's listen address (the Host header stays
  // the target's). Errors are one line. Nothing to do (and no cost) for a plan without proxy or faults.
  static core::Result<std::unique_ptr<FaultRun>> prepare(core::EventLoop& loop, const plan::Plan& plan,
                                                         const std::string& target_url,
                                                         scenario::CompiledPlan& compiled);
  // After the fork (so no worker holds the proxy's listening socket, which would keep it accepting through a
  // refuse fault): binds the proxy, then schedules the faults from start_ns.
  core::Result<void> start(int64_t start_ns);
  // After the load: ends every fault, stops the started processes, fills result.faults (recovery included).
  void finish(results::RunResult& result, int64_t start_ns, const std::vector<sla::Sla>& slas);
  const FaultTimeline& timeline() const { return *timeline_; }

 private:
  FaultRun(core::EventLoop& loop, const plan::Plan& plan) : loop_(loop), plan_(plan) {}

  core::EventLoop& loop_;
  const plan::Plan& plan_;
  net::SocketAddress upstream_;
  std::unique_ptr<proxy::Proxy> proxy_;
  std::unique_ptr<FaultTimeline> timeline_;
};

}  // namespace surge::fault
