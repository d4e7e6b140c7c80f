// Counters and latency histograms for one (phase, step) cell, and the grid of cells one worker records.
// Workers record into their own grid (no locks), send the changes of each second as an encoded delta,
// and the coordinator adds the deltas: histograms and counters add exactly.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "metrics/check_stats.h"
#include "metrics/error_kind.h"
#include "metrics/group_stats.h"
#include "metrics/histogram.h"
#include "metrics/rpc_errors.h"

namespace surge::metrics {

constexpr int kMaxStatusCode = 599;

// Definitions: total() = ok + errors(); a request is counted once, when it ends. Responses of every status are
// in by_status (also those counted as errors); latency and service_time hold only requests that ended with a
// complete response (refused, reset, timeout, eof and parse errors have no latency).
struct RequestStats {
  uint64_t ok = 0;
  std::array<uint64_t, kErrorKindCount> by_error{};
  std::array<uint64_t, kMaxStatusCode + 1> by_status{};
  uint64_t bytes_sent = 0;           // request bytes written, wire bytes
  uint64_t bytes_received = 0;       // response bytes read, wire bytes (head + body framing)
  uint64_t body_bytes_received = 0;  // decoded response body bytes
  Histogram latency;       // ns from the intended send time (closed model: the actual send)
  Histogram service_time;  // ns from the actual send
  RpcErrorCounts rpc_errors;  // JSON-RPC error objects in answers, by code (each such request is also an error)
  // Steps with `retry:` (docs/faults.md#retries). Every try is a request above, counted with its own outcome;
  // these say how the tries relate: retries = tries sent as a retry; retried = requests whose first try failed
  // with a retried kind and that were tried again; recovered = those of them a retry made succeed.
  uint64_t retries = 0;
  uint64_t retried = 0;
  uint64_t recovered = 0;

  uint64_t errors() const;
  uint64_t total() const { return ok + errors(); }
  bool empty() const { return total() == 0 && bytes_sent == 0 && rpc_errors.empty() && retried == 0; }
  void add(const RequestStats& other);
  void reset();
  void encode(std::string& out) const;
  core::Result<void> decode_into(std::string_view& in);
};

// Connection events of one phase on one worker (peaks of open connections travel in the snapshot header,
// because they add across workers per second, not across time).
struct ConnectionStats {
  uint64_t opened = 0;  // connects that succeeded
  uint64_t failed = 0;  // connects that failed (refused, timeout, ...)
  // Hold phases' failed connects by kind (a subset of failed); other models count theirs as the failed
  // request's kind in RequestStats::by_error.
  std::array<uint64_t, kErrorKindCount> failed_by_error{};
  uint64_t closed = 0;  // connections closed by either side after they opened
  Histogram connect_time;     // ns from the connect() call to the connection being established, per opened
  // TLS connections only: ns from TCP established to the handshake done, one per opened TLS connection, and how
  // many of those handshakes resumed an earlier session (a subset of tls_handshake's count).
  Histogram tls_handshake;
  uint64_t tls_resumed = 0;
  int64_t first_open_ns = 0;  // monotonic start of the earliest and the latest successful connect (0: none);
  int64_t last_open_ns = 0;   // CLOCK_MONOTONIC is system-wide, so workers' times merge by min and max

  // One successful connect, started at started_ns and established connect_ns later.
  void record_open(int64_t started_ns, int64_t connect_ns);
  // The TLS handshake of a connection record_open counted, handshake_ns after TCP was established.
  void record_tls_handshake(int64_t handshake_ns, bool resumed);
  // One failed hold connect of this kind (counts in failed too).
  void record_hold_failure(ErrorKind kind) {
    ++failed;
    ++failed_by_error[static_cast<size_t>(kind)];
  }
  // Successful connects per second between the starts of the first and the last: (opened − 1) / (last −
  // first), the connect rate achieved; 0 with fewer than two connects or no time between them. Starts, not
  // completions, so the handshake times (connect_time) do not blur the pacing.
  double connect_rate_per_s() const;
  void add(const ConnectionStats& other);
  void reset();  // keeps the histogram's buffer
  void encode(std::string& out) const;
  core::Result<void> decode_into(std::string_view& in);
};

class StatsGrid {
 public:
  // check_count, metric_count and group_count: the plan's checks, custom metrics and step groups (recording
  // grids need them; a grid that only receives snapshots grows to what it is sent).
  StatsGrid(size_t phase_count, size_t step_count, size_t check_count = 0, size_t metric_count = 0,
            size_t group_count = 0);

  RequestStats& cell(size_t phase, size_t step) { return cells_[phase * step_count_ + step]; }
  const RequestStats& cell(size_t phase, size_t step) const { return cells_[phase * step_count_ + step]; }
  ConnectionStats& connections(size_t phase) { return connections_[phase]; }
  // Arrivals of the open model that found every user busy (max_users), and requests of a hold phase's rate
  // still unsent when it ended: planned iterations that never started.
  uint64_t& dropped_iterations(size_t phase) { return dropped_[phase]; }
  uint64_t dropped_iterations(size_t phase) const { return dropped_[phase]; }
  // Iterations cut when their user's graceful_stop ran out, by the phase in which the iteration started.
  uint64_t& interrupted_iterations(size_t phase) { return interrupted_[phase]; }
  uint64_t interrupted_iterations(size_t phase) const { return interrupted_[phase]; }
  const ConnectionStats& connections(size_t phase) const { return connections_[phase]; }
  CheckCounts& check(size_t phase, size_t check) { return checks_[phase * check_count_ + check]; }
  const CheckCounts& check(size_t phase, size_t check) const { return checks_[phase * check_count_ + check]; }
  CustomMetricStats& custom(size_t phase, size_t metric) { return custom_[phase * metric_count_ + metric]; }
  const CustomMetricStats& custom(size_t phase, size_t metric) const { return custom_[phase * metric_count_ + metric]; }
  GroupStats& group(size_t phase, size_t group) { return groups_[phase * group_count_ + group]; }
  const GroupStats& group(size_t phase, size_t group) const { return groups_[phase * group_count_ + group]; }
  GroupStats group_total(size_t group) const;  // over phases
  size_t group_count() const { return group_count_; }
  size_t check_count() const { return check_count_; }
  size_t metric_count() const { return metric_count_; }
  CheckCounts check_total(size_t check) const;  // over phases
  CustomMetricStats custom_total(size_t metric) const;
  size_t phase_count() const { return phase_count_; }
  size_t step_count() const { return step_count_; }

  // Sum over steps of one phase; sum over phases of one step; everything.
  RequestStats phase_total(size_t phase) const;
  RequestStats step_total(size_t step) const;
  RequestStats total() const;
  // The same into a reused RequestStats (its histograms keep their buffers): no allocation once it has one.
  void step_total_into(size_t step, RequestStats& out) const;
  void total_into(RequestStats& out) const;
  ConnectionStats connections_total() const;

  void add(const StatsGrid& other);
  void reset();
  // Encodes only the cells that saw something; decode_into adds nothing, it overwrites this grid.
  void encode(std::string& out) const;
  core::Result<void> decode_into(std::string_view& in);

 private:
  void resize_checks(size_t check_count, size_t metric_count);
  void resize_groups(size_t group_count);

  size_t phase_count_;
  size_t step_count_;
  size_t check_count_ = 0;
  size_t metric_count_ = 0;
  size_t group_count_ = 0;
  std::vector<RequestStats> cells_;
  std::vector<CheckCounts> checks_;
  std::vector<CustomMetricStats> custom_;
  std::vector<GroupStats> groups_;
  std::vector<ConnectionStats> connections_;
  std::vector<uint64_t> dropped_;
  std::vector<uint64_t> interrupted_;
};

}  // namespace surge::metrics
