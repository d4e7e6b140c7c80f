// Kernel receive timestamps over a real loopback TCP connection: the stamp is when the bytes came, not when
// they were read.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "net/address.h"
#include "net/socket.h"

namespace surge::net {
namespace {

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
  int server = -1;
  for (int i = 0; i < 1000 && server < 0; ++i) {
    server = accept_connection(*listener);
    if (server < 0) usleep(1000);
  }
  ASSERT_GE(server, 0);

  // The first socket of the machine that asks for stamps turns them on through deferred kernel work: until it
  // has run, bytes arrive unstamped (and *received is left alone). Wait for it, bounded.
  char buffer[64];
  int64_t stamp = 0;
  for (int tries = 0; tries < 200 && stamp == 0; ++tries) {
    ASSERT_EQ(write(server, "x", 1), 1);
    usleep(1000);
    ASSERT_EQ(read_stamped(client, buffer, sizeof buffer, &stamp), 1);
  }
  ASSERT_NE(stamp, 0) << "the kernel never stamped a segment in 200 ms";

  const int64_t before = core::wall_clock_ns();
  ASSERT_EQ(write(server, "HTTP/1.1 200 OK\r\n", 17), 17);
  const int64_t after = core::wall_clock_ns();
  usleep(50'000);  // the reader comes late
  stamp = 0;
  ASSERT_EQ(read_stamped(client, buffer, sizeof buffer, &stamp), 17);
  EXPECT_EQ(std::string(buffer, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after + 5 * core::kNsPerMs) << "stamped " << (core::wall_clock_ns() - stamp) / 1000 << " us ago";

  // Without a stamp asked for, *received is left alone.
  int64_t untouched = 7;
  ASSERT_EQ(write(client, "x", 1), 1);
  usleep(10'000);
  ASSERT_EQ(read_stamped(server, buffer, sizeof buffer, &untouched), 1);
  EXPECT_EQ(untouched, 7);
  close(client);
  close(server);
  close(*listener);
}

}  // namespace
}  // namespace surge::net
