// --source-addrs parsing: ranges expand in order with a carry across bytes, lists keep their order, and every
// mistake (not an address, reversed range, mixed families, duplicates, a runaway range) has its own message.
// The connect side binds a real socket on loopback and sees the source the server sees.
#include "net/source_addresses.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "net/socket.h"

namespace surge::net {
namespace {

std::vector<std::string> hosts(std::string_view text) {
  auto parsed = parse_source_addresses(text);
  if (!parsed) return {"error: " + parsed.error().message};
  std::vector<std::string> out;
  for (const SocketAddress& address : *parsed) {
    EXPECT_EQ(address.port(), 0);
    out.push_back(host_text(address));
  }
  return out;
}

std::string error_of(std::string_view text) {
  auto parsed = parse_source_addresses(text);
  return parsed ? "(parsed)" : parsed.error().message;
}

TEST(SourceAddresses, ExpandsARangeWithBothEndsIncluded) {
  EXPECT_EQ(hosts("127.0.0.2-127.0.0.7"),
            (std::vector<std::string>{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"}));
  EXPECT_EQ(hosts("10.0.0.9"), (std::vector<std::string>{"10.0.0.9"}));
  EXPECT_EQ(hosts("10.0.0.9-10.0.0.9"), (std::vector<std::string>{"10.0.0.9"}));
}

TEST(SourceAddresses, CarriesAcrossBytesInIpv4AndIpv6) {
  EXPECT_EQ(hosts("10.0.0.254-10.0.1.1"),
            (std::vector<std::string>{"10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"}));
  EXPECT_EQ(hosts("fd00::fffe-fd00::1:1"),
            (std::vector<std::string>{"fd00::fffe", "fd00::ffff", "fd00::1:0", "fd00::1:1"}));
}

TEST(SourceAddresses, KeepsTheOrderOfAListOfAddressesAndRanges) {
  EXPECT_EQ(hosts("10.0.0.5, 10.0.0.1-10.0.0.2,10.0.0.9"),
            (std::vector<std::string>{"10.0.0.5", "10.0.0.1", "10.0.0.2", "10.0.0.9"}));
  EXPECT_EQ(hosts("::1"), (std::vector<std::string>{"::1"}));
}

TEST(SourceAddresses, RejectsWhatIsNotAnAddress) {
  EXPECT_EQ(error_of("127.0.0.x"), "'127.0.0.x' is not an IPv4 or IPv6 address (expected like 127.0.0.2 or ::1)");
  EXPECT_EQ(error_of("localhost"), "'localhost' is not an IPv4 or IPv6 address (expected like 127.0.0.2 or ::1)");
  EXPECT_EQ(error_of("127.0.0.2-"), "'' is not an IPv4 or IPv6 address (expected like 127.0.0.2 or ::1)");
  EXPECT_EQ(error_of("10.0.0.1,,10.0.0.2"),
            "an empty source address (expected like 127.0.0.2 or 127.0.0.2-127.0.0.7)");
}

TEST(SourceAddresses, RejectsAReversedRange) {
  EXPECT_EQ(error_of("127.0.0.7-127.0.0.2"),
            "range 127.0.0.7-127.0.0.2 is reversed: the first address must not be above the last");
}

TEST(SourceAddresses, RejectsMixedFamilies) {
  EXPECT_EQ(error_of("127.0.0.2-::1"), "range 127.0.0.2-::1 mixes IPv4 and IPv6");
  EXPECT_EQ(error_of("127.0.0.2,::1"),
            "source addresses mix IPv4 and IPv6 (127.0.0.2, ::1): a connection's source must match its target's "
            "family");
}

TEST(SourceAddresses, RejectsDuplicatesAndRunawayRanges) {
  EXPECT_EQ(error_of("127.0.0.2-127.0.0.4,127.0.0.3"), "127.0.0.3 is given twice");
  EXPECT_EQ(error_of("127.0.0.1-127.255.255.255"), "more than 4096 source addresses");
  EXPECT_EQ(hosts("10.0.0.0-10.0.15.255").size(), 4096u);
}

// The server sees the source the socket was bound to, and the port was chosen at connect time.
TEST(SourceAddresses, AConnectFromASourceAddressArrivesFromIt) {
  auto any_port = parse_numeric_address("127.0.0.1:0");
  ASSERT_TRUE(any_port.has_value());
  auto listener = listen_tcp(*any_port, {});
  ASSERT_TRUE(listener.has_value()) << listener.error().message;
  auto target = local_address(*listener);
  ASSERT_TRUE(target.has_value());
  auto source = parse_source_addresses("127.0.0.9");
  ASSERT_TRUE(source.has_value());
  int err = -1;
  int fd = start_connect(*target, &err, &source->front());
  ASSERT_GE(fd, 0) << err;
  int accepted = -1;
  for (int i = 0; i < 1000 && accepted < 0; ++i) {
    accepted = accept_connection(*listener);
    if (accepted < 0) usleep(1000);
  }
  ASSERT_GE(accepted, 0);
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  ASSERT_EQ(getpeername(accepted, reinterpret_cast<sockaddr*>(&peer), &length), 0);
  SocketAddress seen;
  seen.storage = peer;
  seen.length = length;
  EXPECT_EQ(host_text(seen), "127.0.0.9");
  EXPECT_NE(seen.port(), 0);
  close(accepted);
  close(fd);
  close(*listener);
}

// An address that is not on this machine fails the bind, told apart from a failed connect.
TEST(SourceAddresses, ASourceThatIsNotLocalFailsTheBindWithItsErrno) {
  auto target = parse_numeric_address("127.0.0.1:9");
  auto source = parse_source_addresses("192.0.2.1");  // TEST-NET-1: never configured here
  ASSERT_TRUE(target.has_value() && source.has_value());
  int err = 0;
  EXPECT_EQ(start_connect(*target, &err, &source->front()), kBindFailed);
  EXPECT_EQ(err, EADDRNOTAVAIL);
}

}  // namespace
}  // namespace surge::net
