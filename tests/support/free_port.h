// A free TCP port on 127.0.0.1 for a listener a test starts a moment later (a Prometheus server, nginx, surge's
// --prometheus). It is chosen at random *below* the kernel's ephemeral range: a port the kernel hands out
// (a bind to port 0, or any outgoing connection's local port) could be taken by another test running in
// parallel between our pick and the listener's bind — CI once lost a run to exactly that (EADDRINUSE on a
// port in 32768–60999). Below the range only another test's pick can collide, one chance in ~20,000.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <random>

namespace surge::test_support {

inline bool loopback_port_is_free(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  // No SO_REUSEADDR: a port with a connection in TIME_WAIT counts as taken, as it would for most servers.
  const bool free = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return free;
}

inline uint16_t free_loopback_port() {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  const int low = 10000;
  const int high = ephemeral_low > low + 1000 ? ephemeral_low - 1 : 32767;
  static thread_local std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(low, high);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const auto port = static_cast<uint16_t>(pick(random));
    if (loopback_port_is_free(port)) return port;
  }
  return 0;  // nothing free in 1,000 tries: the listener's own bind will fail and say so
}

}  // namespace surge::test_support
