// What every virtual user of one worker shares: the loop, the compiled plan, the stats grid it records into,
// and the one read buffer of the worker (responses are parsed as they stream in, so no connection keeps bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "metrics/outcome_times.h"
#include "metrics/request_stats.h"
#include "net/local_ports.h"
#include "net/socket.h"
#include "net/tls_client.h"
#include "proto/jsonrpc/sse_reader.h"
#include "scenario/compiled_plan.h"
#include "templating/feeder_cursor.h"
#include "templating/rng.h"

namespace surge::scenario {

class FailureLog;

struct WorkerContext {
  WorkerContext(core::EventLoop& event_loop, const CompiledPlan& compiled, metrics::StatsGrid& grid, uint64_t seed)
      : loop(event_loop), plan(compiled), stats(grid), read_buffer(64 * 1024), rng(seed), template_rng(seed) {
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

  core::EventLoop& loop;
  const CompiledPlan& plan;
  metrics::StatsGrid& stats;
  std::vector<char> read_buffer;
  std::unique_ptr<net::TlsClient> tls;  // this worker's TLS context and sessions; only when the plan has TLS
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
  uint32_t phase = 0;  // requests are attributed to the phase running when they start
  uint64_t run_seed = 1;  // the run's --seed, the same in every worker: open phases draw Poisson arrivals from it
  uint64_t open_connections = 0;
  uint64_t max_open_connections = 0;  // peak since the last snapshot (reset to open_connections then)
  uint64_t iterations = 0;            // completed since the last snapshot
  metrics::OutcomeTimes outcomes;     // since the last snapshot: for recovery_s (docs/faults.md)
  // A unique feeder without recycle gave this worker all its rows: no iteration can start any more, so the
  // closed model stops starting users (each attempt would fail at once).
  bool out_of_rows = false;
  // Responses are dated by the kernel's receive timestamp (CompiledPlan::responses_can_wait, with an open phase
  // and a schedule_slack): every connection asks for them, and the open phases wait quietly (engine.cpp).
  bool kernel_receive_times = false;

  // The engine's quiet window for the phase (core::EventLoop), in force once the kernel has stamped a response:
  // the first socket of the machine asking for stamps turns them on through deferred kernel work, so the first
  // responses of a run may come unstamped, and those must not wait.
  void set_quiet_window(int64_t window_ns) {
    quiet_window_ns = window_ns;
    if (receive_stamps_seen) loop.set_quiet_window(window_ns);
  }
  void on_receive_stamp() {
    if (receive_stamps_seen) return;
    receive_stamps_seen = true;
    loop.set_quiet_window(quiet_window_ns);
  }
  int64_t quiet_window_ns = 0;
  bool receive_stamps_seen = false;

  // The source address for the next connect (nullptr without `source_addrs`): round-robin over all of them,
  // so each worker spreads its own connections evenly (see worker.cpp for where each worker starts).
  const net::SocketAddress* next_source_address() {
    const std::vector<net::SocketAddress>& sources = plan.source_addrs;
    if (sources.empty()) return nullptr;
    if (source_cursor >= sources.size()) source_cursor = 0;
    return &sources[source_cursor++];
  }
  size_t source_cursor = 0;  // index of the next source address

  // Starts a connect to target `target` of the plan (net::start_connect's contract) at the next port of this
  // worker's share of the local range (local_ports), from the next source address, or without source
  // addresses from the one the kernel routes from (routed_sources), skipping ports another socket holds.
  // After kPortTries taken ports, or without a share, the kernel chooses the port.
  int connect_to(size_t target, int* err) {
    int fd = connect_to_port(target, err);
    if (fd >= 0 && kernel_receive_times) net::enable_receive_timestamps(fd);
    return fd;
  }
  int connect_to_port(size_t target, int* err) {
    const net::SocketAddress& address = plan.targets[target];
    const net::SocketAddress* source = next_source_address();
    if (!local_ports.empty()) {
      size_t slot = target;
      if (source != nullptr) {
        slot = static_cast<size_t>(source - plan.source_addrs.data());
      } else if (target < routed_sources.size() && routed_sources[target].length != 0) {
        source = &routed_sources[target];
      }
      if (source != nullptr) {
        for (int attempt = 0; attempt < kPortTries; ++attempt) {
          const int fd = net::start_connect_from_port(address, err, *source, local_ports.next(slot));
          if (fd != net::kPortTaken) return fd;
          ++ports_taken;
        }
      }
    }
    return net::start_connect(address, err, plan.source_addrs.empty() ? nullptr : source);
  }
  static constexpr int kPortTries = 8;
  net::LocalPorts local_ports;  // this worker's share of the local port range, a cursor per source or target
  std::vector<net::SocketAddress> routed_sources;  // by target, without source_addrs (length 0: unknown)
  uint64_t ports_taken = 0;     // ports of the share found held by another socket, skipped

  // A connect that started at started_ns succeeded after connect_ns.
  void on_connection_opened(int64_t started_ns, int64_t connect_ns) {
    stats.connections(phase).record_open(started_ns, connect_ns);
    if (++open_connections > max_open_connections) max_open_connections = open_connections;
  }
  // A TLS connection whose TCP connect started at started_ns took connect_ns, then its handshake handshake_ns.
  void on_tls_connection_opened(int64_t started_ns, int64_t connect_ns, int64_t handshake_ns, bool resumed) {
    on_connection_opened(started_ns, connect_ns);
    stats.connections(phase).record_tls_handshake(handshake_ns, resumed);
  }
  void on_connection_closed() {
    ++stats.connections(phase).closed;
    --open_connections;
  }
};

}  // namespace surge::scenario
