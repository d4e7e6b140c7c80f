// The /metrics server over real loopback sockets. Server and test clients share one event loop (the
// clients are handlers on it too), so each test runs the loop until the client has what it waits for.
#include "observe/metrics_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "net/socket.h"
#include "observe/scrape_connection.h"

namespace surge::observe {
namespace {

// A non-blocking client whose received bytes pile up in `received` as the loop runs.
class Client final : public core::EventHandler {
 public:
  Client(core::EventLoop& loop, const net::SocketAddress& address, int receive_buffer = 0) : loop_(loop) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    // Blocking: a loopback connect completes in the server's backlog before anyone accepts.
    EXPECT_EQ(connect(fd_, address.get(), address.length), 0) << errno;
    fcntl(fd_, F_SETFL, O_NONBLOCK);
    EXPECT_TRUE(loop_.add(fd_, EPOLLIN, this).has_value());
  }
  ~Client() override { close_now(); }

  void send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }
  void on_event(uint32_t) override {
    if (paused || closed_by_peer) return;
    char chunk[65536];
    while (true) {
      ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n > 0) {
        received.append(chunk, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        if (n == 0 || errno != EAGAIN) {  // EOF, or a reset
          closed_by_peer = true;
          loop_.remove(fd_);
        }
        return;
      }
    }
  }
  void close_now() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  std::string received;
  bool closed_by_peer = false;
  bool paused = false;  // reads nothing while true (a slow scraper)

 private:
  core::EventLoop& loop_;
  int fd_ = -1;
};

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_ = std::move(core::EventLoop::create()).value();
    auto address = net::parse_numeric_address("127.0.0.1:0");
    auto started = MetricsServer::start(*loop_, *address);
    ASSERT_TRUE(started.has_value()) << started.error().message;
    server_ = std::move(started).value();
  }

  // Runs the loop until done() (fails the test after 5 s: a hang is a bug, not a slow machine).
  void run_until(const std::function<bool()>& done) {
    const int64_t deadline = core::monotonic_ns() + 5 * core::kNsPerSec;
    while (!done()) {
      ASSERT_LT(core::monotonic_ns(), deadline) << "timed out";
      ASSERT_TRUE(loop_->run_once(50 * core::kNsPerMs).has_value());
    }
  }
  // Runs until `client` holds `count` complete responses (head + Content-Length body).
  void await_responses(Client& client, size_t count) {
    run_until([&] { return complete_responses(client.received) >= count || client.closed_by_peer; });
  }
  static size_t complete_responses(const std::string& bytes) {
    size_t count = 0, at = 0;
    while (true) {
      size_t end = bytes.find("\r\n\r\n", at);
      if (end == std::string::npos) return count;
      size_t length_at = bytes.find("Content-Length: ", at);
      size_t length = std::stoul(bytes.substr(length_at + 16));
      if (bytes.size() < end + 4 + length) return count;
      at = end + 4 + length;
      ++count;
    }
  }
  Client& client(int receive_buffer = 0) {
    clients_.push_back(std::make_unique<Client>(*loop_, server_->address(), receive_buffer));
    return *clients_.back();
  }

  std::unique_ptr<core::EventLoop> loop_;
  std::unique_ptr<MetricsServer> server_;
  std::vector<std::unique_ptr<Client>> clients_;
};

const std::string kScrape = "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n";

std::string metrics_response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(MetricsServerTest, ScrapeGetsThePublishedTextAsExposition) {
  server_->publish("surge_active_users 3\n");
  Client& scraper = client();
  scraper.send(kScrape);
  await_responses(scraper, 1);
  EXPECT_EQ(scraper.received, metrics_response("surge_active_users 3\n"));
  EXPECT_FALSE(scraper.closed_by_peer);
}

TEST_F(MetricsServerTest, KeepAliveServesTheLatestTextOnTheSameConnection) {
  server_->publish("a 1\n");
  Client& scraper = client();
  scraper.send(kScrape);
  await_responses(scraper, 1);
  server_->publish("a 2\n");
  scraper.send("GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
  await_responses(scraper, 2);
  EXPECT_EQ(scraper.received, metrics_response("a 1\n") + metrics_response("a 2\n"));
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(MetricsServerTest, BeforeAnyPublishTheBodyIsEmpty) {
  Client& scraper = client();
  scraper.send(kScrape);
  await_responses(scraper, 1);
  EXPECT_EQ(scraper.received, metrics_response(""));
}

TEST_F(MetricsServerTest, OtherPathsGet404AndTheConnectionStays) {
  Client& scraper = client();
  scraper.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  await_responses(scraper, 1);
  EXPECT_EQ(scraper.received,
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 33\r\n\r\n"
            "not found: surge serves /metrics\n");
  server_->publish("x 1\n");
  scraper.send(kScrape);
  await_responses(scraper, 2);
  EXPECT_TRUE(scraper.received.ends_with(metrics_response("x 1\n")));
}

TEST_F(MetricsServerTest, PostGets405WithAllow) {
  Client& scraper = client();
  scraper.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  await_responses(scraper, 1);
  EXPECT_EQ(
      scraper.received,
      "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 30\r\n"
      "Allow: GET, HEAD\r\n\r\n/metrics answers GET and HEAD\n");
}

TEST_F(MetricsServerTest, HeadGetsTheLengthWithoutTheBody) {
  server_->publish("a 1\n");
  Client& scraper = client();
  scraper.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n" + kScrape);
  run_until([&] { return scraper.received.ends_with("a 1\n"); });
  const std::string head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
      "Content-Length: 4\r\n\r\n";
  EXPECT_EQ(scraper.received, head + metrics_response("a 1\n"));
}

TEST_F(MetricsServerTest, GarbageGets400AndTheConnectionCloses) {
  Client& scraper = client();
  scraper.send("\x16\x03\x01 hello\r\n\r\n");
  run_until([&] { return scraper.closed_by_peer; });
  EXPECT_TRUE(scraper.received.starts_with("HTTP/1.1 400 Bad Request\r\n")) << scraper.received;
  EXPECT_NE(scraper.received.find("Connection: close\r\n"), std::string::npos);
  EXPECT_NE(scraper.received.find("bad request line"), std::string::npos) << scraper.received;
  run_until([&] { return server_->connection_count() == 0; });
}

TEST_F(MetricsServerTest, RequestBodiesAreRefused) {
  Client& scraper = client();
  scraper.send("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  run_until([&] { return scraper.closed_by_peer; });
  EXPECT_TRUE(scraper.received.starts_with("HTTP/1.1 400 Bad Request\r\n")) << scraper.received;
  EXPECT_TRUE(scraper.received.ends_with("\r\n\r\nrequest bodies are not accepted\n")) << scraper.received;
}

TEST_F(MetricsServerTest, HeadOverTheInputLimitGets431AndCloses) {
  Client& scraper = client();
  // Exactly the limit, all read: a close with unread input would be a reset that could lose the answer.
  std::string head = "GET /metrics HTTP/1.1\r\nX-Long: ";
  scraper.send(head + std::string(ScrapeConnection::kMaxRequestBytes - head.size(), 'a'));
  run_until([&] { return scraper.closed_by_peer; });
  EXPECT_TRUE(scraper.received.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
      << scraper.received;
  EXPECT_TRUE(scraper.received.ends_with("request head over 8192 bytes\n")) << scraper.received;
}

TEST_F(MetricsServerTest, PipelinedRequestsAreAnsweredInOrder) {
  server_->publish("a 1\n");
  Client& scraper = client();
  scraper.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" + kScrape + kScrape);
  await_responses(scraper, 3);
  EXPECT_TRUE(scraper.received.starts_with("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_TRUE(scraper.received.ends_with(metrics_response("a 1\n") + metrics_response("a 1\n")));
}

TEST_F(MetricsServerTest, ConnectionCloseClosesAfterTheResponse) {
  server_->publish("a 1\n");
  Client& scraper = client();
  scraper.send("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  run_until([&] { return scraper.closed_by_peer; });
  EXPECT_EQ(
      scraper.received,
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\n"
      "Connection: close\r\n\r\na 1\n");
}

TEST_F(MetricsServerTest, HttpOneZeroWithoutKeepAliveCloses) {
  Client& scraper = client();
  scraper.send("GET /metrics HTTP/1.0\r\n\r\n");
  run_until([&] { return scraper.closed_by_peer; });
  EXPECT_NE(scraper.received.find("Connection: close\r\n"), std::string::npos);
}

// A text far larger than the socket buffers goes out in many partial writes; publishing a new text meanwhile
// must not change the response in flight.
TEST_F(MetricsServerTest, LargeTextArrivesWholeThroughPartialWritesWhileANewOneIsPublished) {
  std::string big;
  for (int i = 0; big.size() < 8'000'000; ++i) big += "surge_line{i=\"" + std::to_string(i) + "\"} 1\n";
  server_->publish(big);
  Client& scraper = client(4096);
  scraper.paused = true;
  scraper.send(kScrape);
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(loop_->run_once(core::kNsPerMs).has_value());  // the socket fills up
  server_->publish("small 1\n");
  scraper.paused = false;
  await_responses(scraper, 1);
  EXPECT_EQ(scraper.received.size(), metrics_response(big).size());
  EXPECT_TRUE(scraper.received == metrics_response(big));
}

TEST_F(MetricsServerTest, ScraperLeavingMidResponseIsDroppedQuietly) {
  server_->publish(std::string(8'000'000, 'x'));
  Client& scraper = client(4096);
  scraper.paused = true;
  scraper.send(kScrape);
  run_until([&] { return server_->connection_count() == 1; });
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(loop_->run_once(core::kNsPerMs).has_value());
  scraper
      .close_now();  // unread data: the kernel resets, and the server's next write fails (EPIPE, no signal)
  run_until([&] { return server_->connection_count() == 0; });
}

// The answer is written to a socket whose peer is gone: EPIPE for the server, never a SIGPIPE for the run.
TEST_F(MetricsServerTest, ScraperGoneBeforeTheAnswerIsDroppedQuietly) {
  server_->publish(std::string(8'000'000, 'x'));
  Client& scraper = client();
  scraper.send(kScrape);
  scraper.close_now();
  run_until([&] { return server_->connection_count() == 1; });
  run_until([&] { return server_->connection_count() == 0; });
}

TEST_F(MetricsServerTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  server_->publish("a 1\n");
  for (size_t i = 0; i < MetricsServer::kMaxConnections; ++i) client();
  run_until([&] { return server_->connection_count() == MetricsServer::kMaxConnections; });
  Client& extra = client();
  run_until([&] { return extra.closed_by_peer; });
  EXPECT_EQ(extra.received, "");
  Client& first = *clients_.front();
  first.send(kScrape);
  await_responses(first, 1);
  EXPECT_EQ(first.received, metrics_response("a 1\n"));
}

TEST_F(MetricsServerTest, ABoundPortIsAnErrorNamingTheAddress) {
  auto again = MetricsServer::start(*loop_, server_->address());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message,
            "cannot bind " + server_->address().to_string() + ": EADDRINUSE (Address already in use)");
}

}  // namespace
}  // namespace surge::observe
