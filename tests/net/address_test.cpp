// Address parsing and resolution (start-up only code paths).
#include "net/address.h"

#include <gtest/gtest.h>

#include "net/socket.h"

namespace surge::net {
namespace {

TEST(ParseNumericAddress, ReadsIpv4WithPort) {
  auto address = parse_numeric_address("127.0.0.1:8080");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->to_string(), "127.0.0.1:8080");
  EXPECT_EQ(address->port(), 8080);
}

TEST(ParseNumericAddress, ReadsBracketedIpv6) {
  auto address = parse_numeric_address("[::1]:9");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->to_string(), "[::1]:9");
}

TEST(ParseNumericAddress, UsesTheDefaultPortWhenNoneIsGiven) {
  auto address = parse_numeric_address("127.0.0.2", 4000);
  ASSERT_TRUE(address);
  EXPECT_EQ(address->to_string(), "127.0.0.2:4000");
}

TEST(ParseNumericAddress, RejectsAPortOutOfRange) {
  auto address = parse_numeric_address("127.0.0.1:70000");
  ASSERT_FALSE(address);
  EXPECT_EQ(address.error().message, "invalid address '127.0.0.1:70000': expected a port number 0-65535 after ':'");
}

TEST(ParseNumericAddress, RejectsAHostName) {
  auto address = parse_numeric_address("example.com:80");
  ASSERT_FALSE(address);
  EXPECT_EQ(address.error().message, "invalid address 'example.com:80': expected an IPv4 or IPv6 address");
}

TEST(Resolve, LocalhostResolvesToLoopbackIpv4) {
  auto address = resolve("localhost", 80);
  ASSERT_TRUE(address);
  EXPECT_EQ(address->to_string(), "127.0.0.1:80");
}

TEST(ListenTcp, PortZeroPicksAFreePortThatLocalAddressReports) {
  auto any = parse_numeric_address("127.0.0.1:0");
  ASSERT_TRUE(any);
  auto fd = listen_tcp(*any, {});
  ASSERT_TRUE(fd);
  auto bound = local_address(*fd);
  ASSERT_TRUE(bound);
  EXPECT_NE(bound->port(), 0);
  auto again = listen_tcp(*bound, {});  // the same port without SO_REUSEPORT is taken
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("EADDRINUSE"), std::string::npos) << again.error().message;
}

}  // namespace
}  // namespace surge::net
