// The coordinator's handle on the Prometheus endpoint (--prometheus ADDR [--linger D]): the server, the live
// view it shows, and the rendering, behind the few calls a run makes: start, each second, publish, linger.
#pragma once

#include <chrono>
#include <memory>

#include "core/event_loop.h"
#include "core/result.h"
#include "metrics/request_stats.h"
#include "net/address.h"
#include "observe/live_view.h"
#include "observe/metrics_server.h"

namespace surge::observe {

class Exporter {
 public:
  // Listens on address and serves view's names with zero counts until the first publish(). loop must
  // outlive the exporter. Errors: the address cannot be bound (the message names it and the errno).
  static core::Result<std::unique_ptr<Exporter>> start(core::EventLoop& loop,
                                                       const net::SocketAddress& address, LiveView view);

  // Scrapes must carry "Authorization: Bearer <token>" (--prometheus-token); empty: no check.
  void require_bearer_token(std::string token) { server_->require_bearer_token(std::move(token)); }
  // For the fields a second does not carry (SLA states).
  LiveView& view() { return view_; }
  const net::SocketAddress& address() const { return server_->address(); }
  // Takes the gauges of a completed second (phase, active users and connections, target sample).
  void on_second(const results::SecondRow& row) { update_from_second(view_, row); }
  // Renders the view and the run's cumulative totals; scrapes from now on get this text.
  void publish(const metrics::StatsGrid& totals);
  // The run is over: gauges of load go to 0, surge_running to 0, and the final totals are published.
  void finish(const metrics::StatsGrid& totals);
  // Keeps answering scrapes with the final text for `duration`, or until `stop` turns true (a signal seen by
  // another handler on the loop).
  void linger(std::chrono::nanoseconds duration, const bool& stop);

 private:
  Exporter(core::EventLoop& loop, std::unique_ptr<MetricsServer> server, LiveView view)
      : loop_(loop), server_(std::move(server)), view_(std::move(view)) {}

  core::EventLoop& loop_;
  std::unique_ptr<MetricsServer> server_;
  LiveView view_;
  size_t last_size_ = 0;  // of the last rendering, to reserve the next one at once
};

}  // namespace surge::observe
