// RequestStats / StatsGrid arithmetic and their compact varint encoding (sparse: only what changed).
#include "metrics/request_stats.h"

#include <algorithm>

#include "metrics/varint.h"

namespace surge::metrics {
namespace {

core::Result<void> truncated() { return core::fail("snapshot decode: truncated or corrupt stats"); }

}  // namespace

uint64_t RequestStats::errors() const {
  uint64_t sum = 0;
  for (uint64_t count : by_error) sum += count;
  return sum;
}

void RequestStats::add(const RequestStats& other) {
  ok += other.ok;
  for (size_t i = 0; i < by_error.size(); ++i) by_error[i] += other.by_error[i];
  for (size_t i = 0; i < by_status.size(); ++i) by_status[i] += other.by_status[i];
  bytes_sent += other.bytes_sent;
  bytes_received += other.bytes_received;
  body_bytes_received += other.body_bytes_received;
  latency.add(other.latency);
  service_time.add(other.service_time);
  rpc_errors.add(other.rpc_errors);
  retries += other.retries;
  retried += other.retried;
  recovered += other.recovered;
}

void RequestStats::reset() {
  ok = 0;
  by_error.fill(0);
  by_status.fill(0);
  bytes_sent = bytes_received = body_bytes_received = 0;
  latency.reset();
  service_time.reset();
  rpc_errors.reset();
  retries = retried = recovered = 0;
}

void RequestStats::encode(std::string& out) const {
  put_varint(out, ok);
  for (uint64_t count : by_error) put_varint(out, count);
  size_t statuses = 0;
  for (uint64_t count : by_status) statuses += count != 0;
  put_varint(out, statuses);
  for (size_t code = 0; code < by_status.size(); ++code) {
    if (by_status[code] == 0) continue;
    put_varint(out, code);
    put_varint(out, by_status[code]);
  }
  put_varint(out, bytes_sent);
  put_varint(out, bytes_received);
  put_varint(out, body_bytes_received);
  latency.encode(out);
  service_time.encode(out);
  rpc_errors.encode(out);
  put_varint(out, retries);
  put_varint(out, retried);
  put_varint(out, recovered);
}

core::Result<void> RequestStats::decode_into(std::string_view& in) {
  reset();
  if (!get_varint(in, ok)) return truncated();
  for (uint64_t& count : by_error) {
    if (!get_varint(in, count)) return truncated();
  }
  uint64_t statuses = 0;
  if (!get_varint(in, statuses) || statuses > by_status.size()) return truncated();
  for (uint64_t i = 0; i < statuses; ++i) {
    uint64_t code = 0, count = 0;
    if (!get_varint(in, code) || !get_varint(in, count) || code >= by_status.size()) return truncated();
    by_status[code] = count;
  }
  if (!get_varint(in, bytes_sent) || !get_varint(in, bytes_received) || !get_varint(in, body_bytes_received)) {
    return truncated();
  }
  auto decoded_latency = Histogram::decode(in);
  if (!decoded_latency) return core::fail(decoded_latency.error().message);
  latency = std::move(decoded_latency).value();
  auto decoded_service = Histogram::decode(in);
  if (!decoded_service) return core::fail(decoded_service.error().message);
  service_time = std::move(decoded_service).value();
  if (!rpc_errors.decode_into(in)) return truncated();
  if (!get_varint(in, retries) || !get_varint(in, retried) || !get_varint(in, recovered)) return truncated();
  return {};
}

void ConnectionStats::record_open(int64_t started_ns, int64_t connect_ns) {
  ++opened;
  connect_time.record(connect_ns);
  if (first_open_ns == 0 || started_ns < first_open_ns) first_open_ns = started_ns;
  last_open_ns = std::max(last_open_ns, started_ns);
}

void ConnectionStats::record_tls_handshake(int64_t handshake_ns, bool resumed) {
  tls_handshake.record(handshake_ns);
  tls_resumed += resumed ? 1 : 0;
}

double ConnectionStats::connect_rate_per_s() const {
  if (opened < 2 || last_open_ns <= first_open_ns) return 0.0;
  return static_cast<double>(opened - 1) * 1e9 / static_cast<double>(last_open_ns - first_open_ns);
}

void ConnectionStats::add(const ConnectionStats& other) {
  opened += other.opened;
  failed += other.failed;
  for (size_t i = 0; i < failed_by_error.size(); ++i) failed_by_error[i] += other.failed_by_error[i];
  closed += other.closed;
  connect_time.add(other.connect_time);
  tls_handshake.add(other.tls_handshake);
  tls_resumed += other.tls_resumed;
  if (other.first_open_ns != 0 && (first_open_ns == 0 || other.first_open_ns < first_open_ns)) {
    first_open_ns = other.first_open_ns;
  }
  last_open_ns = std::max(last_open_ns, other.last_open_ns);
}

void ConnectionStats::reset() {
  opened = failed = closed = 0;
  failed_by_error.fill(0);
  connect_time.reset();
  tls_handshake.reset();
  tls_resumed = 0;
  first_open_ns = last_open_ns = 0;
}

void ConnectionStats::encode(std::string& out) const {
  put_varint(out, opened);
  put_varint(out, failed);
  put_varint(out, closed);
  put_varint(out, static_cast<uint64_t>(first_open_ns));
  put_varint(out, static_cast<uint64_t>(last_open_ns));
  put_varint(out, tls_resumed);
  for (uint64_t count : failed_by_error) put_varint(out, count);
  connect_time.encode(out);
  tls_handshake.encode(out);
}

core::Result<void> ConnectionStats::decode_into(std::string_view& in) {
  uint64_t first = 0, last = 0;
  if (!get_varint(in, opened) || !get_varint(in, failed) || !get_varint(in, closed) || !get_varint(in, first) ||
      !get_varint(in, last) || !get_varint(in, tls_resumed)) {
    return truncated();
  }
  for (uint64_t& count : failed_by_error) {
    if (!get_varint(in, count)) return truncated();
  }
  first_open_ns = static_cast<int64_t>(first);
  last_open_ns = static_cast<int64_t>(last);
  auto decoded = Histogram::decode(in);
  if (!decoded) return core::fail(decoded.error().message);
  connect_time = std::move(decoded).value();
  auto handshake = Histogram::decode(in);
  if (!handshake) return core::fail(handshake.error().message);
  tls_handshake = std::move(handshake).value();
  return {};
}

StatsGrid::StatsGrid(size_t phase_count, size_t step_count, size_t check_count, size_t metric_count,
                     size_t group_count)
    : phase_count_(phase_count),
      step_count_(step_count),
      cells_(phase_count * step_count),
      connections_(phase_count),
      dropped_(phase_count, 0),
      interrupted_(phase_count, 0) {
  resize_checks(check_count, metric_count);
  resize_groups(group_count);
}

void StatsGrid::resize_groups(size_t group_count) {
  if (group_count == group_count_) return;
  group_count_ = group_count;
  groups_.clear();
  groups_.resize(phase_count_ * group_count);
}

GroupStats StatsGrid::group_total(size_t group) const {
  GroupStats sum;
  for (size_t phase = 0; phase < phase_count_; ++phase) sum.add(this->group(phase, group));
  return sum;
}

void StatsGrid::resize_checks(size_t check_count, size_t metric_count) {
  if (check_count == check_count_ && metric_count == metric_count_) return;
  check_count_ = check_count;
  metric_count_ = metric_count;
  checks_.assign(phase_count_ * check_count, CheckCounts{});
  custom_.clear();
  custom_.resize(phase_count_ * metric_count);
}

CheckCounts StatsGrid::check_total(size_t check) const {
  CheckCounts sum;
  for (size_t phase = 0; phase < phase_count_; ++phase) sum.add(this->check(phase, check));
  return sum;
}

CustomMetricStats StatsGrid::custom_total(size_t metric) const {
  CustomMetricStats sum;
  for (size_t phase = 0; phase < phase_count_; ++phase) sum.add(custom(phase, metric));
  return sum;
}

RequestStats StatsGrid::phase_total(size_t phase) const {
  RequestStats sum;
  for (size_t step = 0; step < step_count_; ++step) sum.add(cell(phase, step));
  return sum;
}

RequestStats StatsGrid::step_total(size_t step) const {
  RequestStats sum;
  step_total_into(step, sum);
  return sum;
}

RequestStats StatsGrid::total() const {
  RequestStats sum;
  total_into(sum);
  return sum;
}

void StatsGrid::step_total_into(size_t step, RequestStats& out) const {
  out.reset();
  for (size_t phase = 0; phase < phase_count_; ++phase) out.add(cell(phase, step));
}

void StatsGrid::total_into(RequestStats& out) const {
  out.reset();
  for (const RequestStats& stats : cells_) out.add(stats);
}

ConnectionStats StatsGrid::connections_total() const {
  ConnectionStats sum;
  for (const ConnectionStats& stats : connections_) sum.add(stats);
  return sum;
}

void StatsGrid::add(const StatsGrid& other) {
  for (size_t i = 0; i < cells_.size() && i < other.cells_.size(); ++i) {
    if (!other.cells_[i].empty()) cells_[i].add(other.cells_[i]);
  }
  for (size_t i = 0; i < connections_.size() && i < other.connections_.size(); ++i) {
    connections_[i].add(other.connections_[i]);
  }
  for (size_t i = 0; i < dropped_.size() && i < other.dropped_.size(); ++i) dropped_[i] += other.dropped_[i];
  for (size_t i = 0; i < interrupted_.size() && i < other.interrupted_.size(); ++i) {
    interrupted_[i] += other.interrupted_[i];
  }
  if (other.check_count_ > check_count_ || other.metric_count_ > metric_count_) {
    resize_checks(std::max(check_count_, other.check_count_), std::max(metric_count_, other.metric_count_));
  }
  for (size_t phase = 0; phase < phase_count_ && phase < other.phase_count_; ++phase) {
    for (size_t i = 0; i < other.check_count_; ++i) check(phase, i).add(other.check(phase, i));
    for (size_t i = 0; i < other.metric_count_; ++i) custom(phase, i).add(other.custom(phase, i));
  }
  if (other.group_count_ > group_count_) resize_groups(other.group_count_);
  for (size_t phase = 0; phase < phase_count_ && phase < other.phase_count_; ++phase) {
    for (size_t i = 0; i < other.group_count_; ++i) {
      if (!other.group(phase, i).empty()) group(phase, i).add(other.group(phase, i));
    }
  }
}

void StatsGrid::reset() {
  for (RequestStats& stats : cells_) {
    if (!stats.empty()) stats.reset();
  }
  for (ConnectionStats& stats : connections_) stats.reset();
  std::fill(dropped_.begin(), dropped_.end(), 0);
  std::fill(interrupted_.begin(), interrupted_.end(), 0);
  std::fill(checks_.begin(), checks_.end(), CheckCounts{});
  for (CustomMetricStats& stats : custom_) {
    if (!stats.empty()) stats.reset();
  }
  for (GroupStats& stats : groups_) {
    if (!stats.empty()) stats.reset();
  }
}

void StatsGrid::encode(std::string& out) const {
  size_t used = 0;
  for (const RequestStats& stats : cells_) used += !stats.empty();
  put_varint(out, used);
  for (size_t i = 0; i < cells_.size(); ++i) {
    if (cells_[i].empty()) continue;
    put_varint(out, i);
    cells_[i].encode(out);
  }
  for (const ConnectionStats& stats : connections_) stats.encode(out);
  for (uint64_t dropped : dropped_) put_varint(out, dropped);
  for (uint64_t interrupted : interrupted_) put_varint(out, interrupted);
  put_varint(out, check_count_);
  put_varint(out, metric_count_);
  for (const CheckCounts& counts : checks_) {
    put_varint(out, counts.passed);
    put_varint(out, counts.failed);
  }
  for (const CustomMetricStats& stats : custom_) stats.encode(out);
  put_varint(out, group_count_);
  for (const GroupStats& stats : groups_) stats.encode(out);
}

core::Result<void> StatsGrid::decode_into(std::string_view& in) {
  reset();
  uint64_t used = 0;
  if (!get_varint(in, used) || used > cells_.size()) return truncated();
  for (uint64_t n = 0; n < used; ++n) {
    uint64_t index = 0;
    if (!get_varint(in, index) || index >= cells_.size()) return truncated();
    auto decoded = cells_[index].decode_into(in);
    if (!decoded) return decoded;
  }
  for (ConnectionStats& stats : connections_) {
    auto decoded = stats.decode_into(in);
    if (!decoded) return decoded;
  }
  for (uint64_t& dropped : dropped_) {
    if (!get_varint(in, dropped)) return truncated();
  }
  for (uint64_t& interrupted : interrupted_) {
    if (!get_varint(in, interrupted)) return truncated();
  }
  uint64_t check_count = 0, metric_count = 0;
  // Bounds that no plan reaches, so a corrupt count cannot make us allocate without limit.
  constexpr uint64_t kMaxChecks = 1 << 16;
  if (!get_varint(in, check_count) || !get_varint(in, metric_count) || check_count > kMaxChecks ||
      metric_count > kMaxChecks) {
    return truncated();
  }
  resize_checks(check_count, metric_count);
  for (CheckCounts& counts : checks_) {
    if (!get_varint(in, counts.passed) || !get_varint(in, counts.failed)) return truncated();
  }
  for (CustomMetricStats& stats : custom_) {
    auto decoded = stats.decode_into(in);
    if (!decoded) return decoded;
  }
  uint64_t group_count = 0;
  if (!get_varint(in, group_count) || group_count > kMaxChecks) return truncated();
  resize_groups(group_count);
  for (GroupStats& stats : groups_) {
    auto decoded = stats.decode_into(in);
    if (!decoded) return decoded;
  }
  return {};
}

}  // namespace surge::metrics
