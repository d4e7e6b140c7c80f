// Source ports the generator chooses: the kernel's settings parse as it prints them, workers' shares are
// disjoint and cover the range without the reserved ports, cursors wrap, and on real loopback sockets a
// connect arrives from the chosen port, while a port another socket holds (or whose 4-tuple exists) is
// reported as taken with nothing left open.
#include "net/local_ports.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dirent.h>
#include <set>
#include <vector>

#include "net/socket.h"
#include "net/source_addresses.h"

#include "../support/free_port.h"

namespace surge::net {
namespace {

std::vector<uint16_t> take(LocalPorts& ports, size_t source, size_t n) {
  std::vector<uint16_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(ports.next(source));
  return out;
}

size_t open_fds() {
  size_t n = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* entry = readdir(dir)) n += entry->d_name[0] != '.';
  closedir(dir);
  return n;
}

TEST(LocalPorts, ParsesTheKernelsRangeAndReservedList) {
  PortRange range;
  ASSERT_TRUE(parse_port_range("32768\t60999\n", &range));
  EXPECT_EQ(range.low, 32768);
  EXPECT_EQ(range.high, 60999);
  EXPECT_FALSE(parse_port_range("60999 32768", &range));  // reversed
  EXPECT_FALSE(parse_port_range("0 100", &range));
  EXPECT_FALSE(parse_port_range("1024 70000", &range));
  EXPECT_FALSE(parse_port_range("1024", &range));
  EXPECT_FALSE(parse_port_range("1024 x", &range));

  std::vector<bool> reserved;
  ASSERT_TRUE(parse_reserved_ports("8080,40000-40002\n", &reserved));
  ASSERT_EQ(reserved.size(), 65536u);
  EXPECT_TRUE(reserved[8080]);
  EXPECT_TRUE(reserved[40000] && reserved[40001] && reserved[40002]);
  EXPECT_FALSE(reserved[40003] || reserved[8081]);
  ASSERT_TRUE(parse_reserved_ports("\n", &reserved));  // the kernel prints an empty line for none
  EXPECT_FALSE(reserved[8080]);
  EXPECT_FALSE(parse_reserved_ports("8080,x", &reserved));
  EXPECT_FALSE(parse_reserved_ports("9-8", &reserved));
}

TEST(LocalPorts, ReadsThisMachinesSettings) {
  PortRange range;
  std::vector<bool> reserved;
  ASSERT_TRUE(read_local_ports(&range, &reserved));
  EXPECT_LT(range.low, range.high);
  EXPECT_EQ(reserved.size(), 65536u);
}

TEST(LocalPorts, WorkersSharesAreDisjointAndCoverTheRangeButTheReservedPorts) {
  std::vector<bool> reserved(65536, false);
  reserved[1003] = reserved[1010] = true;
  const PortRange range{1000, 1099};
  std::set<uint16_t> seen;
  size_t total = 0;
  for (uint32_t worker = 0; worker < 3; ++worker) {
    LocalPorts ports(range, reserved, worker, 3, 1);
    total += ports.size();
    for (uint16_t port : take(ports, 0, ports.size())) {
      EXPECT_GE(port, 1000);
      EXPECT_LE(port, 1099);
      EXPECT_EQ((port - 1000) % 3, worker) << port;
      EXPECT_FALSE(reserved[port]) << port;
      EXPECT_TRUE(seen.insert(port).second) << "port " << port << " given twice";
    }
  }
  EXPECT_EQ(total, 98u);
  EXPECT_EQ(seen.size(), 98u);
}

TEST(LocalPorts, EachSourceHasItsOwnCursorAndCursorsWrap) {
  LocalPorts ports({2000, 2003}, std::vector<bool>(65536, false), 0, 1, 2);
  EXPECT_EQ(take(ports, 0, 5), (std::vector<uint16_t>{2000, 2001, 2002, 2003, 2000}));
  EXPECT_EQ(take(ports, 1, 2), (std::vector<uint16_t>{2000, 2001}));
}

TEST(LocalPorts, SegmentsOnOneMachineStartApart) {
  LocalPorts first({2000, 2099}, std::vector<bool>(65536, false), 0, 1, 1);
  LocalPorts second = first;
  first.start_at(0, 4);
  second.start_at(2, 4);
  EXPECT_EQ(first.next(0), 2000);
  EXPECT_EQ(second.next(0), 2050);
}

TEST(LocalPorts, AnEmptyShareGivesPortZero) {
  LocalPorts none;
  EXPECT_TRUE(none.empty());
  std::vector<bool> all(65536, true);
  LocalPorts reserved({2000, 2003}, all, 0, 1, 1);
  EXPECT_TRUE(reserved.empty());
  EXPECT_EQ(reserved.next(0), 0);
}

struct Listener {
  Listener() {
    auto any = parse_numeric_address("127.0.0.1:0");
    auto listening = listen_tcp(*any, {});
    EXPECT_TRUE(listening.has_value());
    fd = *listening;
    address = *local_address(fd);
  }
  ~Listener() { close(fd); }
  // The peer port of the next connection accepted (0 when none arrives within a second).
  uint16_t accept_peer_port() {
    for (int i = 0; i < 1000; ++i) {
      int accepted = accept_connection(fd);
      if (accepted < 0) {
        usleep(1000);
        continue;
      }
      SocketAddress peer;
      peer.length = sizeof peer.storage;
      getpeername(accepted, reinterpret_cast<sockaddr*>(&peer.storage), &peer.length);
      close(accepted);
      return peer.port();
    }
    return 0;
  }
  int fd = -1;
  SocketAddress address;
};

// A free port (below the ephemeral range, so no parallel test's connection takes it meanwhile).
uint16_t free_port() { return test_support::free_loopback_port(); }

TEST(LocalPorts, AConnectArrivesFromTheChosenPortAndTheRoutedSource) {
  Listener server;
  auto source = routed_source(server.address);
  ASSERT_TRUE(source.has_value()) << source.error().message;
  EXPECT_EQ(host_text(*source), "127.0.0.1");
  EXPECT_EQ(source->port(), 0);
  const uint16_t port = free_port();
  int err = -1;
  int fd = start_connect_from_port(server.address, &err, *source, port);
  ASSERT_GE(fd, 0) << err;
  EXPECT_EQ(server.accept_peer_port(), port);
  close(fd);
}

TEST(LocalPorts, APortWhoseFourTupleIsOpenIsTakenAndNothingStaysOpen) {
  Listener server;
  auto source = parse_source_addresses("127.0.0.7");
  ASSERT_TRUE(source.has_value());
  const uint16_t port = free_port();
  int err = -1;
  int first = start_connect_from_port(server.address, &err, source->front(), port);
  ASSERT_GE(first, 0) << err;
  ASSERT_EQ(server.accept_peer_port(), port);
  const size_t fds = open_fds();
  EXPECT_EQ(start_connect_from_port(server.address, &err, source->front(), port), kPortTaken);
  EXPECT_EQ(err, EADDRNOTAVAIL);
  EXPECT_EQ(open_fds(), fds);
  close(first);
}

TEST(LocalPorts, APortAListenerHoldsIsTaken) {
  Listener server;
  Listener other;  // listening on 127.0.0.1:P, so P cannot be bound there
  auto source = parse_source_addresses("127.0.0.1");
  int err = -1;
  EXPECT_EQ(start_connect_from_port(server.address, &err, source->front(), other.address.port()), kPortTaken);
  EXPECT_EQ(err, EADDRINUSE);
}

}  // namespace
}  // namespace surge::net
