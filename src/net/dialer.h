// One worker's side of every outgoing connection: where connects go (the targets), where they come from
// (source addresses and this worker's share of local ports), whether they speak TLS, whether the kernel
// stamps their reads, and how many are open. Each net::Connection of the worker opens through it and reports
// its open and close to it, so every protocol counts connections the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "net/address.h"
#include "net/local_ports.h"
#include "net/tls_client.h"

namespace surge::net {

class Dialer {
 public:
  // targets, sources and tls_names (by target: the TLS peer name, empty for plain TCP) must outlive the
  // dialer.
  Dialer(core::EventLoop& event_loop, const std::vector<SocketAddress>& targets,
         const std::vector<SocketAddress>& sources, const std::vector<std::string>& tls_names)
      : loop(event_loop), targets_(targets), sources_(sources), tls_names_(tls_names) {}
  virtual ~Dialer() = default;
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // Starts a connect to target `target` (net::start_connect's contract: the fd, or < 0 with *err) at the next
  // port of this worker's share of the local range (local_ports), from the next source address, or without
  // source addresses from the one the kernel routes from (routed_sources), skipping ports another socket
  // holds. After kPortTries taken ports, or without a share, the kernel chooses the port. With
  // kernel_receive_times the socket asks for receive stamps.
  int start_connect(size_t target, int* err);
  bool is_tls(size_t target) const { return !tls_names_[target].empty(); }

  // The engine's quiet window for the phase (core::EventLoop), in force once the kernel has stamped a read:
  // the first socket of the machine asking for stamps turns them on through deferred kernel work, so the
  // first responses of a run may come unstamped, and those must not wait.
  void set_quiet_window(int64_t window_ns) {
    quiet_window_ns_ = window_ns;
    if (receive_stamps_seen_) loop.set_quiet_window(window_ns);
  }
  void on_receive_stamp() {
    if (receive_stamps_seen_) return;
    receive_stamps_seen_ = true;
    loop.set_quiet_window(quiet_window_ns_);
  }

  // A connection opened: its TCP connect started at started_ns and took connect_ns; over TLS its handshake
  // then took handshake_ns (resumed: an earlier session was resumed). Counts it open, then tells the layer
  // above.
  void on_connection_opened(int64_t started_ns, int64_t connect_ns) {
    count_open();
    record_opened(started_ns, connect_ns);
  }
  void on_tls_connection_opened(int64_t started_ns, int64_t connect_ns, int64_t handshake_ns, bool resumed) {
    count_open();
    record_opened(started_ns, connect_ns);
    record_tls_handshake(handshake_ns, resumed);
  }
  // An opened connection closed (by either side, for any reason).
  void on_connection_closed() {
    --open_connections;
    record_closed();
  }

  core::EventLoop& loop;
  std::unique_ptr<TlsClient> tls;  // this worker's TLS context and sessions; only when some target is TLS
  // Responses are dated by the kernel's receive timestamp: every connection asks for them (set before the
  // first connect).
  bool kernel_receive_times = false;
  static constexpr int kPortTries = 8;
  LocalPorts local_ports;  // this worker's share of the local port range, a cursor per source or target
  std::vector<SocketAddress> routed_sources;  // by target, without source addresses (length 0: unknown)
  uint64_t ports_taken = 0;                   // ports of the share found held by another socket, skipped
  size_t source_cursor = 0;  // index of the next source address (each worker starts at its own)
  uint64_t open_connections = 0;
  uint64_t max_open_connections = 0;  // peak since the last snapshot (reset to open_connections then)

 protected:
  // The layer above's own accounting (the worker's stats grid, by phase): once per opened connection, once
  // per close.
  virtual void record_opened(int64_t started_ns, int64_t connect_ns) = 0;
  virtual void record_tls_handshake(int64_t handshake_ns, bool resumed) = 0;
  virtual void record_closed() = 0;

 private:
  void count_open() {
    if (++open_connections > max_open_connections) max_open_connections = open_connections;
  }
  int start_connect_from_share(size_t target, int* err);
  // The source address for the next connect (nullptr without source addresses): round-robin over all of
  // them, so each worker spreads its own connections evenly (see run/worker.cpp for where each one starts).
  const SocketAddress* next_source_address();

  const std::vector<SocketAddress>& targets_;
  const std::vector<SocketAddress>& sources_;
  const std::vector<std::string>& tls_names_;
  int64_t quiet_window_ns_ = 0;
  bool receive_stamps_seen_ = false;
};

}  // namespace surge::net
