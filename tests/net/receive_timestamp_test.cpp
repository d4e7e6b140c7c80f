// Kernel receive timestamps over a real loopback TCP connection: the stamp is when the bytes came, not when
// they were read.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "net/address.h"
#include "net/socket.h"

namespace surge::net {
namespace {

// Waits for fd to have something to read (bytes, or a connection to accept), at most timeout_ms.
bool readable_within(int fd, int timeout_ms) {
  pollfd event{fd, POLLIN, 0};
  return poll(&event, 1, timeout_ms) == 1;
}

TEST(ReadStamped, GivesTheTimeTheBytesArrivedNotTheTimeTheyWereRead) {
  auto any = parse_numeric_address("127.0.0.1:0");
  ASSERT_TRUE(any);
  auto listener = listen_tcp(*any, {});
  ASSERT_TRUE(listener) << listener.error().message;
  auto bound = local_address(*listener);
  ASSERT_TRUE(bound);
  int err = 0;
  int client = start_connect(*bound, &err);
  ASSERT_GE(client, 0);
  ASSERT_TRUE(enable_receive_timestamps(client));
  ASSERT_TRUE(readable_within(*listener, 1000)) << "the connect never reached the listener";
  int server = accept_connection(*listener);
  ASSERT_GE(server, 0);

  // The first socket of the machine that asks for stamps turns them on through deferred kernel work: until it
  // has run, bytes arrive unstamped (and *received is left alone). Wait for it, bounded: one byte at a time,
  // each read once it has arrived.
  char buffer[64];
  int64_t stamp = 0;
  const int64_t give_up_ns = core::monotonic_ns() + 200 * core::kNsPerMs;
  while (stamp == 0 && core::monotonic_ns() < give_up_ns) {
    ASSERT_EQ(write(server, "x", 1), 1);
    ASSERT_TRUE(readable_within(client, 1000));
    ASSERT_EQ(read_stamped(client, buffer, sizeof buffer, &stamp), 1);
  }
  ASSERT_NE(stamp, 0) << "the kernel never stamped a segment in 200 ms";

  const int64_t before = core::wall_clock_ns();
  ASSERT_EQ(write(server, "HTTP/1.1 200 OK\r\n", 17), 17);
  const int64_t after = core::wall_clock_ns();
  usleep(50'000);  // the reader comes late: the delay is what the test measures, not a wait for an event
  stamp = 0;
  ASSERT_EQ(read_stamped(client, buffer, sizeof buffer, &stamp), 17);
  EXPECT_EQ(std::string(buffer, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after + 5 * core::kNsPerMs)
      << "stamped " << (core::wall_clock_ns() - stamp) / 1000 << " us ago";

  // Without a stamp asked for, *received is left alone.
  int64_t untouched = 7;
  ASSERT_EQ(write(client, "x", 1), 1);
  ASSERT_TRUE(readable_within(server, 1000));
  ASSERT_EQ(read_stamped(server, buffer, sizeof buffer, &untouched), 1);
  EXPECT_EQ(untouched, 7);
  close(client);
  close(server);
  close(*listener);
}

}  // namespace
}  // namespace surge::net
