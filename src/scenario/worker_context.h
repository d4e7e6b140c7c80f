// What every virtual user of one worker shares: the dialer its connections open through (with the loop), the
// compiled plan, the stats grid it records into, and the one read buffer of the worker (responses are parsed
// as they stream in, so no connection keeps bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "metrics/outcome_times.h"
#include "metrics/request_stats.h"
#include "net/dialer.h"
#include "net/tls_client.h"
#include "proto/jsonrpc/sse_reader.h"
#include "scenario/compiled_plan.h"
#include "templating/feeder_cursor.h"
#include "templating/rng.h"

namespace surge::scenario {

class FailureLog;

// The worker's net::Dialer (targets, source ports, TLS, receive stamps, open connections) is its base: every
// connection of the worker opens through it and is counted into this worker's stats grid by phase.
struct WorkerContext final : net::Dialer {
  WorkerContext(core::EventLoop& event_loop, const CompiledPlan& compiled, metrics::StatsGrid& grid,
                uint64_t seed)
      : net::Dialer(event_loop, compiled.targets, compiled.source_addrs, compiled.tls_names),
        plan(compiled),
        stats(grid),
        read_buffer(64 * 1024),
        rng(seed),
        template_rng(seed) {
    if (compiled.has_tls) {
      // compile_plan made one from the same settings, so this fails only without memory; then every handshake
      // fails as `tls` rather than the worker dying.
      auto client = net::TlsClient::create(compiled.tls, compiled.tls_names);
      if (client) tls = std::move(client).value();
    }
  }

  // One cursor per feeder: worker `worker` of `workers` takes its own stride of each file.
  void start_feeders(uint32_t worker, uint32_t workers, uint64_t seed) {
    feeders.clear();
    for (size_t i = 0; i < plan.feeders.size(); ++i) {
      const CompiledFeeder& feeder = plan.feeders[i];
      auto order = feeder.feeder->order == plan::Feeder::Order::kRandom   ? templating::Order::kRandom
                   : feeder.feeder->order == plan::Feeder::Order::kUnique ? templating::Order::kUnique
                                                                          : templating::Order::kSequential;
      // Each feeder its own stream: two random feeders must not draw the same row numbers.
      feeders.emplace_back(feeder.feeder->rows, order, feeder.feeder->recycle, worker, workers,
                           templating::derive_seed(seed, i));
    }
  }

  const CompiledPlan& plan;
  metrics::StatsGrid& stats;
  std::vector<char> read_buffer;
  std::mt19937_64 rng;
  templating::Rng template_rng;               // random.* and uuid in templates
  std::vector<templating::FeederCursor> feeders;  // by CompiledPlan::feeders index
  std::string body_scratch;                   // a chunked response body decoded for checks
  proto::jsonrpc::SseReader sse_reader;       // an event-stream answer, for checks
  std::string sse_data;                       // its last event's data
  std::string ws_message;                     // a WebSocket message (or upgrade path) being rendered
  std::string ws_header_lines;                // the upgrade's rendered extra headers
  std::string cookie_line;                    // the Cookie header the jar chose for a request
  FailureLog* failure_log = nullptr;          // --log-requests: failed requests are written there
  uint32_t phase = 0;                         // requests are attributed to the phase running when they start
  uint64_t run_seed = 1;  // the run's --seed, the same in every worker: open phases draw Poisson arrivals from it
  uint64_t iterations = 0;            // completed since the last snapshot
  metrics::OutcomeTimes outcomes;     // since the last snapshot: for recovery_s (docs/faults.md)
  // A unique feeder without recycle gave this worker all its rows: no iteration can start any more, so the
  // closed model stops starting users (each attempt would fail at once).
  bool out_of_rows = false;

 private:
  // Every connection is counted into the phase running when it opens or closes (docs/results.md#connections).
  void record_opened(int64_t started_ns, int64_t connect_ns) override {
    stats.connections(phase).record_open(started_ns, connect_ns);
  }
  void record_tls_handshake(int64_t handshake_ns, bool resumed) override {
    stats.connections(phase).record_tls_handshake(handshake_ns, resumed);
  }
  void record_closed() override { ++stats.connections(phase).closed; }
};

}  // namespace surge::scenario
