// FaultRun: the proxy and fault timeline of one run, in the coordinator's process and on its loop. In-process
// rather than a forked `surge proxy`: the timeline calls Proxy::add_fault directly (no control API round
// trip, so a fault begins when its timer fires), the proxy's state dies with the run, and the coordinator's
// loop is idle between snapshots. The cost is that relaying shares the coordinator's core with merging
// (docs/faults.md).
#include "fault/fault_run.h"

#include "fault/recovery.h"
#include "proto/http/url.h"

namespace surge::fault {

core::Result<std::unique_ptr<FaultRun>> FaultRun::prepare(core::EventLoop& loop, const plan::Plan& plan,
                                                          const std::string& target_url,
                                                          scenario::CompiledPlan& compiled) {
  std::unique_ptr<FaultRun> run(new FaultRun(loop, plan));
  auto url = proto::http::parse_url(target_url);
  if (!url) return core::fail(url.error().message);
  auto upstream = net::resolve(url->host, url->port);
  if (!upstream) return core::fail(upstream.error().message);
  run->upstream_ = *upstream;
  auto timeline = FaultTimeline::prepare(loop, plan, *upstream);
  if (!timeline) return core::fail(timeline.error().message);
  run->timeline_ = std::move(timeline).value();
  if (plan.proxy) {
    for (net::SocketAddress& target : compiled.targets) {
      if (target.to_string() == upstream->to_string()) target = plan.proxy->listen;
    }
  }
  return run;
}

core::Result<void> FaultRun::start(int64_t start_ns) {
  if (plan_.proxy) {
    proxy::ProxyOptions options;
    options.listen = plan_.proxy->listen;
    options.upstream = upstream_;
    auto started = proxy::Proxy::start(loop_, options);
    if (!started) return core::fail("proxy: " + started.error().message);
    proxy_ = std::move(started).value();
  }
  timeline_->start(start_ns, proxy_.get());
  return {};
}

void FaultRun::finish(results::RunResult& result, int64_t start_ns, const std::vector<sla::Sla>& slas) {
  timeline_->finish();
  result.faults = timeline_->outcomes();
  measure_recovery(result.faults, result.timeseries, start_ns, slas);
}

}  // namespace surge::fault
