// The fault-injecting TCP proxy: accepts on `listen`, connects each client to `upstream`, relays both ways on
// one event loop, and applies the faults added through add_fault (by the control API or, in-process, by a
// plan's fault timeline). All calls must come from the loop's thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/event_loop.h"
#include "core/result.h"
#include "net/address.h"
#include "proxy/fault.h"

namespace surge::proxy {

class Connection;
struct ConnectionEffects;

struct ProxyOptions {
  net::SocketAddress listen;         // port 0 picks a free port (read it back with listen_address())
  net::SocketAddress upstream;       // connected anew for every client; need not be up at start
  uint64_t seed = 1;                 // fixes which connections a fraction picks, and the jitter draws
  // Per direction and connection, a power of two: the backpressure bound, allocated when the first byte goes
  // that way. 32 KiB (Toxiproxy's io.Copy chunk): 10,000 busy connections take 640 MiB; bulk transfers move
  // about 0.5-0.7 GB/s on one core (16 KiB gave 0.47, 64 KiB 0.66 on a loaded 2-core VM).
  size_t buffer_bytes = 32 * 1024;
};

// Counters since start. Every accepted connection is either closed by close_new, failed to connect upstream,
// or relayed; bytes are those written to the far side (held or dropped bytes are not counted).
struct ProxyStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_active = 0;           // relaying (or connecting upstream) now
  uint64_t connections_closed_by_fault = 0;  // close_new: accepted and closed at once
  uint64_t connections_reset_by_fault = 0;   // reset, and partitions that ended with on_end: drop
  uint64_t upstream_connect_failures = 0;    // the client was reset because the upstream connect failed
  uint64_t bytes_upstream = 0;               // client to upstream
  uint64_t bytes_downstream = 0;             // upstream to client
  uint64_t reads_paused = 0;  // back pressure: a side left unread because its pipe's buffer was full
  uint64_t faults_added = 0;
  uint64_t faults_applied = 0;  // (fault, connection) pairs in which the fault took effect on the connection
};

// An active fault as the control API lists it.
struct FaultInfo {
  FaultId id = 0;
  FaultSpec spec;
  std::chrono::nanoseconds remaining{0};  // until it removes itself; 0 when it has no duration
  uint64_t connections_affected = 0;      // its share of ProxyStats::faults_applied
};

class Proxy final : public core::EventHandler {
 public:
  // Binds options.listen and starts accepting. Errors name the address and the errno ("cannot bind
  // 127.0.0.1:80: EACCES (Permission denied)"). loop must outlive the proxy.
  static core::Result<std::unique_ptr<Proxy>> start(core::EventLoop& loop, const ProxyOptions& options);
  ~Proxy() override;  // closes the listener and every connection (with FIN, as if the proxy exited)
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // Validates the spec (fault.h) and applies it at once to current connections and, until it is removed, to
  // new ones. A `reset` acts once and is not kept; it still gets an id, and its count is in the stats.
  core::Result<FaultId> add_fault(const FaultSpec& spec);
  // Ends the fault (a partition then releases or drops what it held; refuse listens again). False when no
  // such fault is active (never added, already removed, expired, or a reset).
  bool remove_fault(FaultId id);
  std::vector<FaultInfo> faults() const;  // in the order they were added
  const ProxyStats& stats() const { return stats_; }
  const net::SocketAddress& listen_address() const { return options_.listen; }
  const net::SocketAddress& upstream_address() const { return options_.upstream; }
  bool is_listening() const { return is_listening_; }

  void on_event(uint32_t events) override;  // the listener is readable: accept

 private:
  class ActiveFault;
  class ResumeTimer;
  friend class Connection;

  Proxy(core::EventLoop& loop, const ProxyOptions& options, int listen_fd);
  void accept_one(int client_fd);
  bool is_closed_by_fault(uint64_t connection_id);
  ConnectionEffects effects_for(uint64_t connection_id) const;
  void apply_effects_to_all();
  void count_new_fault(ActiveFault& fault);
  uint64_t reset_connections(FaultId id, double fraction);  // returns how many
  void stop_listening();
  void resume_listening();
  void on_connection_closed(Connection& connection);  // called by the connection as it closes

  core::EventLoop& loop_;
  ProxyOptions options_;
  int listen_fd_;
  bool is_listening_ = true;
  size_t refusals_ = 0;  // refuse faults active: listening resumes when the last one ends
  FaultId next_fault_id_ = 1;
  uint64_t next_connection_id_ = 0;
  ProxyStats stats_;
  std::vector<std::unique_ptr<ActiveFault>> faults_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::unique_ptr<ResumeTimer> resume_timer_;
};

}  // namespace surge::proxy
