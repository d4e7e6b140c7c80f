// Rendering happens once per completed second, not per scrape: any number of scrapers share one text, and a
// run nobody scrapes pays one rendering a second (well under a millisecond for a few steps).
#include "observe/exporter.h"

#include <string>

#include "core/clock.h"
#include "observe/exposition.h"

namespace surge::observe {

core::Result<std::unique_ptr<Exporter>> Exporter::start(core::EventLoop& loop,
                                                        const net::SocketAddress& address, LiveView view) {
  auto server = MetricsServer::start(loop, address);
  if (!server) return core::fail(server.error().message);
  std::unique_ptr<Exporter> exporter(new Exporter(loop, std::move(server).value(), std::move(view)));
  exporter->publish(
      metrics::StatsGrid(exporter->view_.shape.phases.size(), exporter->view_.shape.steps.size()));
  return exporter;
}

void Exporter::publish(const metrics::StatsGrid& totals) {
  std::string text;
  text.reserve(last_size_ + last_size_ / 8);
  render_exposition(view_, totals, text);
  last_size_ = text.size();
  server_->publish(std::move(text));
}

void Exporter::finish(const metrics::StatsGrid& totals) {
  view_.running = false;
  view_.active_users = 0;
  view_.open_connections = 0;
  publish(totals);
}

void Exporter::linger(std::chrono::nanoseconds duration, const bool& stop) {
  const int64_t deadline_ns = core::monotonic_ns() + duration.count();
  for (int64_t now = core::monotonic_ns(); !stop && now < deadline_ns; now = core::monotonic_ns()) {
    if (!loop_.run_once(deadline_ns - now)) return;  // epoll itself failed: nothing left to serve with
  }
}

}  // namespace surge::observe
