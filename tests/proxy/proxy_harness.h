// Test harness: a Proxy (and its control server) on its own event loop in a background thread, between test
// clients and an upstream listener that the test thread drives with plain blocking loopback sockets. Calls
// into the proxy run on the loop's thread through call(), since the proxy is single-threaded by design.
#pragma once

#include <arpa/inet.h>
#include <errno.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/event_loop.h"
#include "net/address.h"
#include "net/socket.h"
#include "proxy/control_server.h"
#include "proxy/proxy.h"

namespace surge::proxy::testing {

double seconds_since(std::chrono::steady_clock::time_point start);
// A blocking socket that gives up on reads and writes after 10 s, so a broken proxy fails a test, not hangs.
void set_timeouts(int fd);
// Connects a blocking socket; returns the fd, or -errno.
int connect_to(const net::SocketAddress& address);
void send_all(int fd, const std::string& bytes);
// Reads exactly count bytes (less if the stream ends or fails first).
std::string read_exactly(int fd, size_t count);
// Reads to the end of the stream; returns 0 on a clean end, or the errno that ended it.
int read_to_end(int fd, std::string* out = nullptr);
// True when fd has something to read (bytes, end of stream or an error) within timeout_ms.
bool is_readable_within(int fd, int timeout_ms);
// `count` bytes that are not a repetition of a short pattern, so a lost or reordered chunk shows.
std::string pattern_bytes(size_t count, uint32_t seed);

class ProxyHarness : public core::EventHandler {
 public:
  // A proxy on 127.0.0.1:0 in front of the harness's upstream listener; with_control adds the control API.
  explicit ProxyHarness(ProxyOptions options = {}, bool with_control = false);
  ~ProxyHarness() override;

  // Runs f on the loop's thread and returns its result.
  template <class F>
  auto call(F f) -> decltype(f()) {
    using Value = decltype(f());
    auto task = std::make_shared<std::packaged_task<Value()>>(std::move(f));
    std::future<Value> done = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back([task] { (*task)(); });
    }
    uint64_t one = 1;
    (void)write(wake_fd_, &one, sizeof one);
    return done.get();
  }

  FaultId add_fault(const FaultSpec& spec) {
    auto id = call([&] { return proxy_->add_fault(spec); });
    EXPECT_TRUE(id.has_value()) << id.error().message;
    return id.has_value() ? *id : 0;
  }
  bool remove_fault(FaultId id) {
    return call([&] { return proxy_->remove_fault(id); });
  }
  ProxyStats stats() {
    return call([&] { return proxy_->stats(); });
  }
  std::vector<FaultInfo> faults() {
    return call([&] { return proxy_->faults(); });
  }
  net::SocketAddress proxy_address() const { return proxy_->listen_address(); }
  net::SocketAddress control_address() const { return control_->address(); }

  int connect_client() { return connect_to(proxy_->listen_address()); }
  // The upstream's end of the next proxied connection; -1 when none arrives within timeout_ms.
  int accept_upstream(int timeout_ms = 10000) {
    if (!is_readable_within(upstream_listen_fd_, timeout_ms)) return -1;
    const int fd = accept4(upstream_listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) set_timeouts(fd);
    return fd;
  }
  // A client and the upstream end of its connection, relaying.
  std::pair<int, int> open_pair();
  void close_upstream_listener() {
    close(upstream_listen_fd_);
    upstream_listen_fd_ = -1;
  }
  // Polls stats until pred holds (at most 10 s); returns whether it did.
  bool wait_for_stats(const std::function<bool(const ProxyStats&)>& pred);

  void on_event(uint32_t /*events*/) override;

 private:
  int upstream_listen_fd_ = -1;
  net::SocketAddress upstream_address_;
  std::unique_ptr<core::EventLoop> loop_;
  std::unique_ptr<Proxy> proxy_;
  std::unique_ptr<ControlServer> control_;
  int wake_fd_ = -1;
  std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
  std::thread thread_;
};

}  // namespace surge::proxy::testing
