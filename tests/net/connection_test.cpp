// net::Connection over real loopback sockets in a real event loop: it opens, moves bytes, and counts its open
// and close once; a refused connect and a handshake that never answers come back as failures counting
// nothing.
#include "net/connection.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"
#include "net/address.h"
#include "net/socket.h"
#include "net/tls_client.h"

namespace surge::net {
namespace {

// A dialer whose accounting the test reads.
struct CountingDialer final : Dialer {
  using Dialer::Dialer;
  void record_opened(int64_t, int64_t) override { ++opened; }
  void record_tls_handshake(int64_t, bool) override { ++handshakes; }
  void record_closed() override { ++closed; }
  int opened = 0, handshakes = 0, closed = 0;
};

// Owns one connection and hands it the socket's events while it opens, as a protocol session does.
struct Owner final : ConnectionOwner {
  explicit Owner(Dialer& dialer) : connection(dialer, *this) {}
  void on_event(uint32_t events) override {
    if (connection.is_opening()) connection.on_opening_event(events);
  }
  void on_connection_open() override { ++opens; }
  void on_connection_failed(ConnectFailure why) override {
    ++failures;
    failure = why;
  }
  Connection connection;
  int opens = 0, failures = 0;
  ConnectFailure failure;
};

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = core::EventLoop::create();
    ASSERT_TRUE(created.has_value());
    loop = std::move(created).value();
    auto any = parse_numeric_address("127.0.0.1:0");
    ASSERT_TRUE(any);
    auto listening = listen_tcp(*any, {});
    ASSERT_TRUE(listening) << listening.error().message;
    listener = *listening;
    auto bound = local_address(listener);
    ASSERT_TRUE(bound);
    targets.push_back(*bound);
  }
  void TearDown() override {
    if (listener >= 0) close(listener);
  }
  // Runs the loop until the owner heard something, bounded at 2 s.
  void run_until_told(Owner& owner) {
    const int64_t give_up_ns = core::monotonic_ns() + 2 * core::kNsPerSec;
    while (owner.opens + owner.failures == 0 && core::monotonic_ns() < give_up_ns) {
      ASSERT_TRUE(loop->run_once(10 * core::kNsPerMs));
    }
  }

  std::unique_ptr<core::EventLoop> loop;
  int listener = -1;
  std::vector<SocketAddress> targets;
  std::vector<SocketAddress> no_sources;
};

TEST_F(ConnectionTest, OpensMovesBytesAndCountsOneOpenAndOneClose) {
  std::vector<std::string> names{""};
  CountingDialer dialer(*loop, targets, no_sources, names);
  Owner owner(dialer);
  ConnectFailure failure;
  ASSERT_TRUE(owner.connection.connect(0, loop->refresh_now(), 0, &failure));
  EXPECT_TRUE(owner.connection.is_opening());
  run_until_told(owner);
  ASSERT_EQ(owner.opens, 1);
  EXPECT_TRUE(owner.connection.is_open());
  EXPECT_EQ(dialer.opened, 1);
  EXPECT_EQ(dialer.handshakes, 0);
  EXPECT_EQ(dialer.open_connections, 1u);

  pollfd pending{listener, POLLIN, 0};
  ASSERT_EQ(poll(&pending, 1, 1000), 1);
  const int server = accept_connection(listener);
  ASSERT_GE(server, 0);
  EXPECT_EQ(owner.connection.write("ping", 4), 4);
  char buffer[16];
  pollfd readable{server, POLLIN, 0};
  ASSERT_EQ(poll(&readable, 1, 1000), 1);
  EXPECT_EQ(read(server, buffer, sizeof buffer), 4);
  ASSERT_EQ(write(server, "pong", 4), 4);
  pollfd answer{owner.connection.fd(), POLLIN, 0};
  ASSERT_EQ(poll(&answer, 1, 1000), 1);
  int64_t received_ns = 0;
  ASSERT_EQ(owner.connection.read(buffer, sizeof buffer, &received_ns), 4);
  EXPECT_EQ(std::string(buffer, 4), "pong");
  EXPECT_EQ(received_ns, 0) << "no stamps were asked for";

  owner.connection.close();
  owner.connection.close();  // a second close counts nothing
  EXPECT_TRUE(owner.connection.is_closed());
  EXPECT_EQ(dialer.closed, 1);
  EXPECT_EQ(dialer.open_connections, 0u);
  EXPECT_EQ(dialer.max_open_connections, 1u);
  close(server);
}

TEST_F(ConnectionTest, AConnectToAClosedPortFailsWithItsErrnoAndCountsNothing) {
  close(listener);  // the port is free now: nothing answers on it
  listener = -1;
  std::vector<std::string> names{""};
  CountingDialer dialer(*loop, targets, no_sources, names);
  Owner owner(dialer);
  ConnectFailure failure;
  // Loopback may refuse at once or through SO_ERROR; both are the same failure.
  if (owner.connection.connect(0, loop->refresh_now(), 0, &failure)) {
    run_until_told(owner);
    ASSERT_EQ(owner.failures, 1);
    failure = owner.failure;
  }
  EXPECT_EQ(failure.cause, ConnectFailure::Cause::kSocket);
  EXPECT_EQ(failure.err, ECONNREFUSED);
  EXPECT_FALSE(failure.tcp_connected);
  EXPECT_EQ(owner.opens, 0);
  EXPECT_TRUE(owner.connection.is_closed());
  EXPECT_EQ(dialer.opened + dialer.closed, 0);
  EXPECT_EQ(dialer.open_connections, 0u);
}

TEST_F(ConnectionTest, AHandshakeThatNeverAnswersRunsOutOfTimeAfterTcpConnected) {
  // The listener accepts in the kernel but never speaks TLS: the handshake waits for a ServerHello forever.
  std::vector<std::string> names{"localhost"};
  CountingDialer dialer(*loop, targets, no_sources, names);
  auto tls = TlsClient::create(TlsSettings{true, "", TlsVersion::kDefault}, names);
  ASSERT_TRUE(tls) << tls.error().message;
  dialer.tls = std::move(tls).value();
  Owner owner(dialer);
  ConnectFailure failure;
  const int64_t started_ns = loop->refresh_now();
  ASSERT_TRUE(owner.connection.connect(0, started_ns, 30 * core::kNsPerMs, &failure));
  run_until_told(owner);
  ASSERT_EQ(owner.failures, 1);
  EXPECT_EQ(owner.failure.cause, ConnectFailure::Cause::kTimeout);
  EXPECT_TRUE(owner.failure.tcp_connected);
  EXPECT_GE(loop->now_ns() - started_ns, 30 * core::kNsPerMs);
  EXPECT_TRUE(owner.connection.is_closed());
  EXPECT_EQ(dialer.opened + dialer.closed, 0);
}

}  // namespace
}  // namespace surge::net
