// Each fault's effect measured on real loopback connections through the proxy. Timing bounds are loose on
// the slow side (a loaded machine may run late), never on the side the fault guarantees (a delay is never
// shorter than asked).
#include <gtest/gtest.h>

#include <thread>

#include "proxy_harness.h"

namespace surge::proxy::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

FaultSpec fault(FaultKind kind) {
  FaultSpec spec;
  spec.kind = kind;
  return spec;
}

// Seconds from sending `bytes` at `from` until they are all read at `to`.
double transfer_s(int from, int to, const std::string& bytes) {
  const auto start = Clock::now();
  std::thread writer([&] { send_all(from, bytes); });
  const std::string got = read_exactly(to, bytes.size());
  const double elapsed = seconds_since(start);
  writer.join();
  EXPECT_TRUE(got == bytes) << "got " << got.size() << " of " << bytes.size() << " bytes";
  return elapsed;
}

TEST(LatencyFault, DelaysEachChunkByTheLatencyPlusAtMostTheJitter) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kLatency);
  spec.latency = milliseconds(100);
  spec.jitter = milliseconds(30);
  harness.add_fault(spec);
  for (int i = 0; i < 5; ++i) {
    const double elapsed = transfer_s(client, server, "ping" + std::to_string(i));
    EXPECT_GE(elapsed, 0.100);
    EXPECT_LT(elapsed, 0.130 + 0.150) << "margin for a loaded machine";
  }
  close(client);
  close(server);
}

TEST(LatencyFault, KeepsByteOrderWhenJitterWouldReorderChunks) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kLatency);
  spec.latency = milliseconds(1);
  spec.jitter = milliseconds(50);
  harness.add_fault(spec);
  std::string sent;
  for (int i = 0; i < 200; ++i) {  // separate chunks, each with its own jitter draw
    const std::string chunk = std::to_string(i) + ",";
    send_all(client, chunk);
    sent += chunk;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  EXPECT_EQ(read_exactly(server, sent.size()), sent);
  close(client);
  close(server);
}

TEST(LatencyFault, DelaysOnlyTheDirectionItNames) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kLatency);
  spec.latency = milliseconds(400);
  spec.direction = Direction::kDownstream;
  harness.add_fault(spec);
  EXPECT_LT(transfer_s(client, server, "request"), 0.400) << "upstream bytes are not delayed";
  EXPECT_GE(transfer_s(server, client, "response"), 0.400);
  close(client);
  close(server);
}

TEST(BandwidthFault, LimitsEachDirectionToTheRateWithinTenPercent) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kBandwidth);
  spec.bytes_per_s = 256 * 1024;
  harness.add_fault(spec);
  const double elapsed = transfer_s(client, server, pattern_bytes(512 * 1024, 5));
  EXPECT_NEAR(512.0 * 1024 / elapsed, 256.0 * 1024, 25.6 * 1024) << "took " << elapsed << " s";
  close(client);
  close(server);
}

TEST(PartitionFault, HoldsBytesBothWaysThenReleasesThemInOrder) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  const FaultId id = harness.add_fault(fault(FaultKind::kPartition));
  send_all(client, "held request");
  send_all(server, "held response");
  EXPECT_FALSE(is_readable_within(server, 300)) << "nothing flows during a partition";
  EXPECT_FALSE(is_readable_within(client, 0));
  EXPECT_EQ(harness.stats().connections_active, 1u) << "the connection stays open";
  EXPECT_TRUE(harness.remove_fault(id));
  EXPECT_EQ(read_exactly(server, 12), "held request");
  EXPECT_EQ(read_exactly(client, 13), "held response");
  close(client);
  close(server);
}

TEST(PartitionFault, DropsHeldBytesAndResetsBothSidesWhenItEndsWithDrop) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kPartition);
  spec.on_end = OnEnd::kDrop;
  const FaultId id = harness.add_fault(spec);
  send_all(client, "lost");
  EXPECT_FALSE(is_readable_within(server, 200));
  EXPECT_TRUE(harness.remove_fault(id));
  std::string at_server;
  EXPECT_EQ(read_to_end(server, &at_server), ECONNRESET);
  EXPECT_EQ(at_server, "") << "the held bytes are dropped";
  EXPECT_EQ(read_to_end(client), ECONNRESET);
  EXPECT_EQ(harness.stats().connections_reset_by_fault, 1u);
  close(client);
  close(server);
}

TEST(ResetFault, ResetsEveryCurrentConnectionAtOnceAndIsNotKept) {
  ProxyHarness harness;
  auto [client1, server1] = harness.open_pair();
  auto [client2, server2] = harness.open_pair();
  harness.add_fault(fault(FaultKind::kReset));
  EXPECT_EQ(read_to_end(client1), ECONNRESET);
  EXPECT_EQ(read_to_end(client2), ECONNRESET);
  EXPECT_EQ(read_to_end(server1), ECONNRESET);
  const ProxyStats stats = harness.stats();
  EXPECT_EQ(stats.connections_reset_by_fault, 2u);
  EXPECT_EQ(stats.faults_applied, 2u);
  EXPECT_EQ(stats.connections_active, 0u);
  EXPECT_TRUE(harness.faults().empty());
  auto [client3, server3] = harness.open_pair();  // new connections are not affected
  transfer_s(client3, server3, "relayed as usual");
  for (int fd : {client1, server1, client2, server2, client3, server3}) close(fd);
}

TEST(RefuseFault, RefusesConnectsThenListensAgainOnTheSamePort) {
  ProxyHarness harness;
  const uint16_t port = harness.proxy_address().port();
  const FaultId id = harness.add_fault(fault(FaultKind::kRefuse));
  EXPECT_EQ(harness.connect_client(), -ECONNREFUSED);
  EXPECT_EQ(harness.stats().connections_accepted, 0u);
  EXPECT_TRUE(harness.remove_fault(id));
  EXPECT_EQ(harness.proxy_address().port(), port);
  auto [client, server] = harness.open_pair();
  transfer_s(client, server, "back");
  close(client);
  close(server);
}

TEST(CloseNewFault, ClosesNewConnectionsAndLeavesOpenOnesAlone) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  harness.add_fault(fault(FaultKind::kCloseNew));
  const int refused = harness.connect_client();
  ASSERT_GE(refused, 0) << "the connect itself succeeds";
  EXPECT_EQ(read_to_end(refused), 0) << "then the proxy closes it";
  EXPECT_EQ(harness.accept_upstream(200), -1) << "no upstream connection was made for it";
  transfer_s(client, server, "still relayed");
  const ProxyStats stats = harness.stats();
  EXPECT_EQ(stats.connections_closed_by_fault, 1u);
  EXPECT_EQ(stats.connections_accepted, 2u);
  for (int fd : {client, server, refused}) close(fd);
}

TEST(FaultFraction, AffectsAboutThatShareOfConnections) {
  ProxyHarness harness;
  FaultSpec spec = fault(FaultKind::kCloseNew);
  spec.fraction = 0.3;
  harness.add_fault(spec);
  std::vector<int> clients;
  for (int i = 0; i < 400; ++i) {
    clients.push_back(harness.connect_client());
    ASSERT_GE(clients.back(), 0);
  }
  ASSERT_TRUE(harness.wait_for_stats([](const ProxyStats& s) { return s.connections_accepted == 400; }));
  int closed = 0;  // a closed connection has its end of stream waiting; a relayed one has nothing to read
  for (int client : clients) {
    if (is_readable_within(client, 0)) ++closed;
    close(client);
  }
  // 400 × 0.3 = 120, binomial σ ≈ 9.2: ±30 is over 3σ.
  EXPECT_NEAR(closed, 120, 30);
  EXPECT_EQ(harness.stats().connections_closed_by_fault, static_cast<uint64_t>(closed));
}

TEST(FaultDuration, RemovesTheFaultWhenItsTimeIsUp) {
  ProxyHarness harness;
  FaultSpec spec = fault(FaultKind::kLatency);
  spec.latency = milliseconds(50);
  spec.duration = milliseconds(300);
  const auto added = Clock::now();
  const FaultId id = harness.add_fault(spec);
  const std::vector<FaultInfo> listed = harness.faults();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_GT(listed[0].remaining.count(), 0);
  EXPECT_LE(listed[0].remaining, milliseconds(300));
  while (!harness.faults().empty() && seconds_since(added) < 10) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_GE(seconds_since(added), 0.300);
  EXPECT_TRUE(harness.faults().empty());
  EXPECT_FALSE(harness.remove_fault(id)) << "already gone";
}

TEST(SlowCloseFault, PassesACloseOnOnlyAfterTheDelay) {
  ProxyHarness harness;
  auto [client, server] = harness.open_pair();
  FaultSpec spec = fault(FaultKind::kSlowClose);
  spec.close_delay = milliseconds(300);
  harness.add_fault(spec);
  EXPECT_LT(transfer_s(client, server, "bytes flow as usual"), 0.300);
  const auto closed = Clock::now();
  shutdown(client, SHUT_WR);
  EXPECT_EQ(read_to_end(server), 0);
  EXPECT_GE(seconds_since(closed), 0.300);
  close(client);
  close(server);
}

}  // namespace
}  // namespace surge::proxy::testing
