// Accepting connections for one worker. Level-triggered epoll on the listening socket: each wake accepts
// a bounded number, so a connection storm cannot starve the requests already in progress.
#include "serve/worker.h"

#include <errno.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/clock.h"
#include "net/socket.h"
#include "serve/connection.h"
#include "serve/h2_connection.h"
#include "serve/tls_server.h"
#include "serve/ws_hub.h"

namespace surge::serve {
namespace {

constexpr int kMaxAcceptsPerWake = 64;
// Out of file descriptors: stop watching the listener this long instead of spinning on it.
constexpr int64_t kAcceptPauseNs = 100 * core::kNsPerMs;

// Random, and apart for each worker, so no two workers hand out the same session id.
uint64_t mcp_session_seed(int index) {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) seed = core::monotonic_ns();
  return seed ^ (static_cast<uint64_t>(index) * 0x9E3779B97F4A7C15ULL);
}

}  // namespace

Worker::Worker(core::EventLoop& loop, int listen_fd, const ServeOptions& options, SharedStats& shared_stats,
               int index, const TlsContext* tls)
    : loop_(loop),
      listen_fd_(listen_fd),
      shared_stats_(shared_stats),
      tls_(tls),
      stats_(shared_stats.worker(index)),
      base_delay_ns_(options.delay.count()),
      h2_misbehaviour_(is_h2_mode(options.misbehave) ? options.misbehave : Misbehaviour::kNone),
      fail_every_(options.fail_every),
      wall_minus_monotonic_ns_(core::wall_clock_ns() - core::monotonic_ns()),
      api_(options.cache_hit_ratio),
      mcp_(options.mcp_sse, stats_.mcp_counters(), mcp_session_seed(index), options.mcp_session_requests),
      read_buffer_(new char[kReadBufferBytes]),
      write_batch_(new WriteBatch),
      ws_hub_(std::make_unique<WsHub>(*this)) {}

Worker::~Worker() {
  while (connections_ != nullptr) connections_->close();
  while (h2_connections_ != nullptr) h2_connections_->close();
  loop_.cancel(*this);
  loop_.remove(listen_fd_);
  ::close(listen_fd_);
}

core::Result<void> Worker::start() { return loop_.add(listen_fd_, EPOLLIN, this); }

void Worker::on_event(uint32_t /*events*/) {
  for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
    int fd = net::accept_connection(listen_fd_);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) pause_accepting();
      return;
    }
    auto* connection = new Connection(*this, fd);
    if (tls_ != nullptr) {
      SSL* ssl = tls_->accept(fd);
      if (ssl == nullptr) {
        delete connection;  // closes fd
        continue;
      }
      connection->use_tls(ssl);
    }
    if (!connection->start()) {
      delete connection;  // closes fd
      continue;
    }
    connection->next = connections_;
    if (connections_ != nullptr) connections_->prev = connection;
    connections_ = connection;
    stats_.on_connection_opened();
  }
}

void Worker::pause_accepting() {
  if (loop_.modify(listen_fd_, 0, this)) loop_.schedule(*this, loop_.now_ns() + kAcceptPauseNs);
}

void Worker::on_timer() { (void)loop_.modify(listen_fd_, EPOLLIN, this); }

std::string_view Worker::http_date(int64_t monotonic_ns) {
  return date_cache_.format((monotonic_ns + wall_minus_monotonic_ns_) / core::kNsPerSec);
}

void Worker::on_connection_closed(Connection& connection) {
  if (connection.prev != nullptr) connection.prev->next = connection.next;
  if (connection.next != nullptr) connection.next->prev = connection.prev;
  if (connections_ == &connection) connections_ = connection.next;
  connection.prev = connection.next = nullptr;
  loop_.destroy_later(std::unique_ptr<core::EventHandler>(&connection));
}

void Worker::adopt_h2(int fd, SSL* ssl, std::string_view early) {
  auto* connection = new H2Connection(*this, fd);
  connection->next = h2_connections_;
  if (h2_connections_ != nullptr) h2_connections_->prev = connection;
  h2_connections_ = connection;
  if (!connection->start(ssl, early)) connection->close();
}

void Worker::on_h2_connection_closed(H2Connection& connection) {
  if (connection.prev != nullptr) connection.prev->next = connection.next;
  if (connection.next != nullptr) connection.next->prev = connection.prev;
  if (h2_connections_ == &connection) h2_connections_ = connection.next;
  connection.prev = connection.next = nullptr;
  loop_.destroy_later(std::unique_ptr<core::EventHandler>(&connection));
}

}  // namespace surge::serve
