// Accepting, the fault list, and applying faults to connections. Faults change rarely (a control request or a
// timeline step), so each change recomputes every connection's effects: O(connections × faults) then, and
// nothing per chunk. Connection counters and fault choices are exact because everything runs on one loop.
#include "proxy/proxy.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "core/clock.h"
#include "net/socket.h"
#include "proxy/connection.h"

namespace surge::proxy {
namespace {

constexpr int kBacklog = 4096;
// After EMFILE (or a failed re-listen), accepting pauses this long instead of spinning on a ready listener.
constexpr int64_t kResumeRetryNs = 100 * core::kNsPerMs;

bool has_connection_effects(FaultKind kind) {
  return kind == FaultKind::kLatency || kind == FaultKind::kBandwidth || kind == FaultKind::kPartition ||
         kind == FaultKind::kSlowClose;
}

void add_effect(const FaultSpec& spec, PipeEffects& pipe) {
  switch (spec.kind) {
    case FaultKind::kLatency:
      pipe.latency_ns += spec.latency.count();
      pipe.jitter_ns += spec.jitter.count();
      break;
    case FaultKind::kBandwidth:
      pipe.bytes_per_s = pipe.bytes_per_s == 0 ? spec.bytes_per_s : std::min(pipe.bytes_per_s, spec.bytes_per_s);
      break;
    case FaultKind::kPartition: pipe.held = true; break;
    case FaultKind::kSlowClose: pipe.close_delay_ns = std::max(pipe.close_delay_ns, spec.close_delay.count()); break;
    default: break;
  }
}

// A listener bound to an explicit port keeps that port through shutdown(SHUT_RD) and a later listen()
// (how `refuse` stops and resumes); one bound to port 0 would get a new port. So port 0 is resolved first.
core::Result<int> listen_keeping_port(net::SocketAddress& address) {
  const net::ListenOptions options{.reuse_port = false, .backlog = kBacklog};
  if (address.port() != 0) return net::listen_tcp(address, options);
  core::Result<int> fd = core::fail("no free port");
  for (int attempt = 0; attempt < 5 && !fd; ++attempt) {  // another process may take the port in between
    auto probe = net::listen_tcp(address, options);
    if (!probe) return probe;
    auto bound = net::local_address(*probe);
    ::close(*probe);
    if (!bound) return core::fail(bound.error().message);
    fd = net::listen_tcp(*bound, options);
    if (fd) address = *bound;
  }
  return fd;
}

}  // namespace

// Removes itself when its duration is up (remove_fault destroys it from inside on_timer, which is safe: the
// timer heap has already unlinked it and touches it no more).
class Proxy::ActiveFault final : public core::Timer {
 public:
  ActiveFault(Proxy& proxy, FaultId id, const FaultSpec& spec) : id(id), spec(spec), proxy_(proxy) {}
  ~ActiveFault() { proxy_.loop_.cancel(*this); }
  void on_timer() override { proxy_.remove_fault(id); }

  const FaultId id;
  const FaultSpec spec;
  uint64_t connections_affected = 0;

 private:
  Proxy& proxy_;
};

class Proxy::ResumeTimer final : public core::Timer {
 public:
  explicit ResumeTimer(Proxy& proxy) : proxy_(proxy) {}
  ~ResumeTimer() { proxy_.loop_.cancel(*this); }
  void on_timer() override { proxy_.resume_listening(); }

 private:
  Proxy& proxy_;
};

core::Result<std::unique_ptr<Proxy>> Proxy::start(core::EventLoop& loop, const ProxyOptions& options) {
  if (options.buffer_bytes == 0 || (options.buffer_bytes & (options.buffer_bytes - 1)) != 0) {
    return core::fail("invalid proxy buffer of " + std::to_string(options.buffer_bytes) +
                      " bytes: expected a power of two");
  }
  ProxyOptions bound = options;
  auto fd = listen_keeping_port(bound.listen);
  if (!fd) return core::fail(fd.error().message);
  std::unique_ptr<Proxy> proxy(new Proxy(loop, bound, *fd));
  if (auto added = loop.add(*fd, EPOLLIN, proxy.get()); !added) return core::fail(added.error().message);
  return proxy;
}

Proxy::Proxy(core::EventLoop& loop, const ProxyOptions& options, int listen_fd)
    : loop_(loop), options_(options), listen_fd_(listen_fd), resume_timer_(std::make_unique<ResumeTimer>(*this)) {}

Proxy::~Proxy() {
  ::close(listen_fd_);
  connections_.clear();  // each closes its sockets and cancels its timer
}

core::Result<FaultId> Proxy::add_fault(const FaultSpec& spec) {
  if (auto valid = validate(spec); !valid) return core::fail(valid.error().message);
  const FaultId id = next_fault_id_++;
  ++stats_.faults_added;
  if (spec.kind == FaultKind::kReset) {
    const uint64_t reset = reset_connections(id, spec.fraction);
    stats_.faults_applied += reset;
    return id;
  }
  faults_.push_back(std::make_unique<ActiveFault>(*this, id, spec));
  ActiveFault& fault = *faults_.back();
  if (spec.duration.count() > 0) loop_.schedule(fault, loop_.refresh_now() + spec.duration.count());
  if (spec.kind == FaultKind::kRefuse && refusals_++ == 0) stop_listening();
  if (has_connection_effects(spec.kind)) {
    count_new_fault(fault);
    apply_effects_to_all();
  }
  return id;
}

bool Proxy::remove_fault(FaultId id) {
  auto found = std::find_if(faults_.begin(), faults_.end(),
                            [id](const std::unique_ptr<ActiveFault>& fault) { return fault->id == id; });
  if (found == faults_.end()) return false;
  std::unique_ptr<ActiveFault> fault = std::move(*found);
  faults_.erase(found);
  const FaultSpec& spec = fault->spec;
  if (spec.kind == FaultKind::kRefuse && --refusals_ == 0) resume_listening();
  if (spec.kind == FaultKind::kPartition && spec.on_end == OnEnd::kDrop) reset_connections(id, spec.fraction);
  if (has_connection_effects(spec.kind)) apply_effects_to_all();
  return true;
}

std::vector<FaultInfo> Proxy::faults() const {
  const int64_t now_ns = core::monotonic_ns();
  std::vector<FaultInfo> list;
  for (const auto& fault : faults_) {
    const int64_t remaining_ns = fault->is_armed() ? std::max<int64_t>(fault->deadline_ns() - now_ns, 0) : 0;
    list.push_back({fault->id, fault->spec, std::chrono::nanoseconds(remaining_ns), fault->connections_affected});
  }
  return list;
}

void Proxy::on_event(uint32_t /*events*/) {
  while (is_listening_) {
    const int fd = net::accept_connection(listen_fd_);
    if (fd < 0) {
      // Out of descriptors or memory: the client stays in the backlog, and a level-triggered listener would
      // wake us again at once, so stop watching it for a moment.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        loop_.remove(listen_fd_);
        loop_.schedule(*resume_timer_, loop_.now_ns() + kResumeRetryNs);
      }
      return;
    }
    ++stats_.connections_accepted;
    accept_one(fd);
  }
}

void Proxy::accept_one(int client_fd) {
  const uint64_t id = next_connection_id_++;
  if (is_closed_by_fault(id)) {
    ::close(client_fd);
    ++stats_.connections_closed_by_fault;
    return;
  }
  int connect_errno = 0;
  const int upstream_fd = net::start_connect(options_.upstream, &connect_errno);
  if (upstream_fd < 0) {
    ++stats_.upstream_connect_failures;
    linger abort{1, 0};
    setsockopt(client_fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::close(client_fd);
    return;
  }
  auto connection = std::make_unique<Connection>(*this, loop_, stats_, id, client_fd, upstream_fd,
                                                 options_.buffer_bytes, options_.seed);
  const ConnectionEffects effects = effects_for(id);
  if (!connection->start(effects)) return;  // epoll refused the fds; destroying the connection closes them
  for (const auto& fault : faults_) {
    if (has_connection_effects(fault->spec.kind) && is_selected(options_.seed, fault->id, id, fault->spec.fraction)) {
      ++fault->connections_affected;
      ++stats_.faults_applied;
    }
  }
  connection->set_slot(connections_.size());
  connections_.push_back(std::move(connection));
  ++stats_.connections_active;
}

bool Proxy::is_closed_by_fault(uint64_t connection_id) {
  for (const auto& fault : faults_) {
    if (fault->spec.kind != FaultKind::kCloseNew) continue;
    if (!is_selected(options_.seed, fault->id, connection_id, fault->spec.fraction)) continue;
    ++fault->connections_affected;
    ++stats_.faults_applied;
    return true;
  }
  return false;
}

ConnectionEffects Proxy::effects_for(uint64_t connection_id) const {
  ConnectionEffects effects;
  for (const auto& fault : faults_) {
    const FaultSpec& spec = fault->spec;
    if (!has_connection_effects(spec.kind) || !is_selected(options_.seed, fault->id, connection_id, spec.fraction)) {
      continue;
    }
    if (applies_to(spec.direction, true)) add_effect(spec, effects.upstream);
    if (applies_to(spec.direction, false)) add_effect(spec, effects.downstream);
  }
  return effects;
}

// Walks backwards: a connection that closes while its effects change is replaced in its slot by the last
// one, which has already been visited.
void Proxy::apply_effects_to_all() {
  for (size_t i = connections_.size(); i-- > 0;) {
    if (i < connections_.size()) connections_[i]->set_effects(effects_for(connections_[i]->id()));
  }
}

void Proxy::count_new_fault(ActiveFault& fault) {
  for (const auto& connection : connections_) {
    if (is_selected(options_.seed, fault.id, connection->id(), fault.spec.fraction)) {
      ++fault.connections_affected;
      ++stats_.faults_applied;
    }
  }
}

uint64_t Proxy::reset_connections(FaultId id, double fraction) {
  uint64_t reset = 0;
  for (size_t i = connections_.size(); i-- > 0;) {  // backwards, as in apply_effects_to_all
    if (i >= connections_.size() || !is_selected(options_.seed, id, connections_[i]->id(), fraction)) continue;
    connections_[i]->reset();
    ++reset;
  }
  stats_.connections_reset_by_fault += reset;
  return reset;
}

// shutdown(SHUT_RD) on a listener stops it listening (Linux): connects are refused and clients waiting in
// the backlog are reset, while the socket keeps its port for resume_listening.
void Proxy::stop_listening() {
  if (!is_listening_) return;
  loop_.remove(listen_fd_);
  loop_.cancel(*resume_timer_);
  ::shutdown(listen_fd_, SHUT_RD);
  is_listening_ = false;
}

void Proxy::resume_listening() {
  if (refusals_ > 0) return;
  if (!is_listening_ && ::listen(listen_fd_, kBacklog) != 0) {
    loop_.schedule(*resume_timer_, loop_.now_ns() + kResumeRetryNs);
    return;
  }
  is_listening_ = true;
  loop_.remove(listen_fd_);  // it may still be watched (a resume after EMFILE is harmless to repeat)
  if (!loop_.add(listen_fd_, EPOLLIN, this)) loop_.schedule(*resume_timer_, loop_.now_ns() + kResumeRetryNs);
}

void Proxy::on_connection_closed(Connection& connection) {
  const size_t slot = connection.slot();
  std::unique_ptr<Connection> owned = std::move(connections_[slot]);
  if (slot + 1 != connections_.size()) {
    connections_[slot] = std::move(connections_.back());
    connections_[slot]->set_slot(slot);
  }
  connections_.pop_back();
  --stats_.connections_active;
  loop_.destroy_later(std::move(owned));  // events already fetched for it in this batch stay safe
}

}  // namespace surge::proxy
