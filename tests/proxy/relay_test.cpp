// The proxy with no fault: bytes relayed exactly both ways over real loopback sockets, half-closes passed on,
// backpressure that still delivers everything, and an unreachable upstream seen by the client as a reset.
#include <gtest/gtest.h>

#include <thread>

#include "proxy_harness.h"

namespace surge::proxy::testing {
namespace {

TEST(Relay, CopiesLargeTransfersExactlyBothWaysAtOnce) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  const std::string request = pattern_bytes(8 << 20, 1), response = pattern_bytes(6 << 20, 2);
  // Both sides write at once: neither read can wait for the other write to finish.
  std::thread client_writer([&, fd = client] { send_all(fd, request); });
  std::thread server_writer([&, fd = server] { send_all(fd, response); });
  const std::string at_server = read_exactly(server, request.size());
  const std::string at_client = read_exactly(client, response.size());
  client_writer.join();
  server_writer.join();
  EXPECT_TRUE(at_server == request) << "upstream got " << at_server.size() << " bytes";
  EXPECT_TRUE(at_client == response) << "client got " << at_client.size() << " bytes";
  const ProxyStats stats = harness.stats();
  EXPECT_EQ(stats.bytes_upstream, request.size());
  EXPECT_EQ(stats.bytes_downstream, response.size());
  EXPECT_EQ(stats.connections_accepted, 1u);
  EXPECT_EQ(stats.connections_active, 1u);
  close(client);
  close(server);
}

TEST(Relay, PassesAHalfCloseOnAndKeepsTheOtherWayOpen) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  send_all(client, "question");
  shutdown(client, SHUT_WR);
  std::string at_server;
  EXPECT_EQ(read_to_end(server, &at_server), 0) << "the client's FIN reaches the upstream";
  EXPECT_EQ(at_server, "question");
  const std::string answer = pattern_bytes(1 << 20, 3);
  send_all(server, answer);  // the other way still flows after the client's half-close
  close(server);
  std::string at_client;
  EXPECT_EQ(read_to_end(client, &at_client), 0);
  EXPECT_TRUE(at_client == answer) << "client got " << at_client.size() << " bytes";
  EXPECT_TRUE(harness.wait_for_stats([](const ProxyStats& s) { return s.connections_active == 0; }))
      << "both ways ended, so the proxy closes the connection";
  close(client);
}

TEST(Relay, DeliversEverythingAfterTheReaderFallsFarBehind) {
  ProxyOptions options;
  options.buffer_bytes = 4096;  // a small ring, so the source is paused many times over
  ProxyHarness harness(options);
  auto [client, server] = harness.open_pair();
  const std::string request = pattern_bytes(4 << 20, 4);
  std::thread writer([&, fd = client] { send_all(fd, request); });
  // Every buffer on the way fills up until the proxy's own is full and it stops reading the client.
  EXPECT_TRUE(harness.wait_for_stats([](const ProxyStats& s) { return s.reads_paused > 0; }));
  const ProxyStats paused = harness.stats();
  EXPECT_LT(paused.bytes_upstream, request.size()) << "the proxy stopped reading, so the writer waits";
  const std::string at_server = read_exactly(server, request.size());
  writer.join();
  EXPECT_TRUE(at_server == request) << "upstream got " << at_server.size() << " bytes";
  close(client);
  close(server);
}

TEST(Relay, ResetsTheClientWhenTheUpstreamRefuses) {
  ProxyHarness harness;
  harness.close_upstream_listener();
  const int client = harness.connect_client();
  ASSERT_GE(client, 0);
  EXPECT_EQ(read_to_end(client), ECONNRESET);
  EXPECT_TRUE(harness.wait_for_stats([](const ProxyStats& s) {
    return s.upstream_connect_failures == 1 && s.connections_active == 0;
  }));
  close(client);
}

TEST(Relay, ResetsTheUpstreamWhenTheClientResets) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  send_all(client, "x");
  EXPECT_EQ(read_exactly(server, 1), "x");
  linger abort{1, 0};
  setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  close(client);
  EXPECT_EQ(read_to_end(server), ECONNRESET);
  close(server);
}

}  // namespace
}  // namespace surge::proxy::testing
