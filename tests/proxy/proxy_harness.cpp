// The harness's sockets and background loop (proxy_harness.h).
#include "proxy_harness.h"

namespace surge::proxy::testing {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A blocking socket that gives up on reads and writes after 10 s, so a broken proxy fails a test, not hangs.
void set_timeouts(int fd) {
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// Connects a blocking socket; returns the fd, or -errno.
int connect_to(const net::SocketAddress& address) {
  const int fd = socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (connect(fd, address.get(), address.length) != 0) {
    const int err = errno;
    close(fd);
    return -err;
  }
  set_timeouts(fd);
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0) << "send failed: errno " << errno;
    sent += static_cast<size_t>(n);
  }
}

// Reads exactly count bytes (less if the stream ends or fails first).
std::string read_exactly(int fd, size_t count) {
  std::string out;
  std::vector<char> chunk(64 * 1024);
  while (out.size() < count) {
    const ssize_t n = read(fd, chunk.data(), std::min(chunk.size(), count - out.size()));
    if (n <= 0) break;
    out.append(chunk.data(), static_cast<size_t>(n));
  }
  return out;
}

// Reads to the end of the stream; returns 0 on a clean end, or the errno that ended it.
int read_to_end(int fd, std::string* out) {
  char chunk[65536];
  while (true) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n == 0) return 0;
    if (n < 0) return errno;
    if (out != nullptr) out->append(chunk, static_cast<size_t>(n));
  }
}

// True when fd has something to read (bytes, end of stream or an error) within timeout_ms.
bool is_readable_within(int fd, int timeout_ms) {
  pollfd entry{fd, POLLIN, 0};
  return poll(&entry, 1, timeout_ms) == 1;
}

// `count` bytes that are not a repetition of a short pattern, so a lost or reordered chunk shows.
std::string pattern_bytes(size_t count, uint32_t seed) {
  std::string bytes(count, '\0');
  uint32_t x = seed | 1;
  for (char& c : bytes) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return bytes;
}

ProxyHarness::ProxyHarness(ProxyOptions options, bool with_control) {
  auto upstream = net::parse_numeric_address("127.0.0.1:0");
  upstream_listen_fd_ = *net::listen_tcp(*upstream, {});
  upstream_address_ = *net::local_address(upstream_listen_fd_);
  loop_ = core::EventLoop::create().value();
  options.listen = *net::parse_numeric_address("127.0.0.1:0");
  options.upstream = upstream_address_;
  auto proxy = Proxy::start(*loop_, options);
  if (!proxy) ADD_FAILURE() << proxy.error().message;
  proxy_ = std::move(*proxy);
  if (with_control) control_ = ControlServer::start(*loop_, *proxy_, options.listen).value();
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  (void)loop_->add(wake_fd_, EPOLLIN, this);
  thread_ = std::thread([this] { (void)loop_->run(); });
}

ProxyHarness::~ProxyHarness() {
  call([this] { loop_->stop(); });
  thread_.join();
  control_.reset();
  proxy_.reset();
  close(wake_fd_);
  if (upstream_listen_fd_ >= 0) close(upstream_listen_fd_);
}

std::pair<int, int> ProxyHarness::open_pair() {
  const int client = connect_client();
  EXPECT_GE(client, 0) << "connect to the proxy failed: errno " << -client;
  const int server = accept_upstream();
  EXPECT_GE(server, 0) << "the proxy did not connect upstream";
  return {client, server};
}

bool ProxyHarness::wait_for_stats(const std::function<bool(const ProxyStats&)>& pred) {
  const auto start = std::chrono::steady_clock::now();
  while (seconds_since(start) < 10) {
    if (pred(stats())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling another thread's counters
  }
  return false;
}

void ProxyHarness::on_event(uint32_t /*events*/) {
  uint64_t count;
  (void)read(wake_fd_, &count, sizeof count);
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks.swap(tasks_);
  }
  for (auto& task : tasks) task();
}

}  // namespace surge::proxy::testing
