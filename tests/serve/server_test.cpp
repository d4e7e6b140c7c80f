// run_server's start-up errors, which come back before it blocks (so they run in the test process itself).
#include "serve/server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace surge::serve {
namespace {

TEST(ServeServer, FailsWithTheErrnoWhenThePortIsTaken) {
  int taken = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(taken, 1), 0);
  socklen_t length = sizeof address;
  getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
  ServeOptions options;
  options.port = ntohs(address.sin_port);
  auto served = run_server(options);
  ::close(taken);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "cannot bind 127.0.0.1:" + std::to_string(options.port) +
                                        ": EADDRINUSE (Address already in use)");
}

TEST(ServeServer, RejectsAnAddressThatIsNotNumeric) {
  ServeOptions options;
  options.address = "localhost";
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "invalid address 'localhost': expected an IPv4 or IPv6 address");
}

TEST(ServeServer, RejectsZeroWorkers) {
  ServeOptions options;
  options.workers = 0;
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "invalid worker count 0: expected 1..1024");
}

TEST(ServeServer, RejectsAStallNotShorterThanItsPeriod) {
  ServeOptions options;
  options.stall_every = std::chrono::seconds(1);
  options.stall_for = std::chrono::seconds(2);
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message,
            "invalid stall of 2000000000 ns every 1000000000 ns: expected 0 < stall_for < stall_every");
}

TEST(ServeServer, RejectsAStallPeriodWithoutALength) {
  ServeOptions options;
  options.stall_every = std::chrono::seconds(1);
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message,
            "invalid stall of 0 ns every 1000000000 ns: expected 0 < stall_for < stall_every");
}

}  // namespace
}  // namespace surge::serve
