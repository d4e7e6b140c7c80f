// Socket helpers. Every socket is non-blocking and close-on-exec (workers fork and exec nothing we
// want to leak fds into, e.g. the built-in target).
#include "net/socket.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "core/errno_text.h"

namespace surge::net {
namespace {

void set_no_delay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

}  // namespace

int start_connect(const SocketAddress& address, int* immediate_errno, const SocketAddress* source) {
  int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *immediate_errno = errno;
    return -1;
  }
  set_no_delay(fd);
  if (source != nullptr) {
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);  // IPv6 sockets honour it too
    if (bind(fd, source->get(), source->length) < 0) {
      *immediate_errno = errno;
      close(fd);
      return kBindFailed;
    }
  }
  if (connect(fd, address.get(), address.length) < 0 && errno != EINPROGRESS) {
    *immediate_errno = errno;
    close(fd);
    return -1;
  }
  *immediate_errno = 0;
  return fd;
}

int start_connect_from_port(const SocketAddress& address, int* immediate_errno, const SocketAddress& source,
                            uint16_t port) {
  SocketAddress local = source;
  if (local.family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&local.storage)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&local.storage)->sin6_port = htons(port);
  }
  int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *immediate_errno = errno;
    return -1;
  }
  set_no_delay(fd);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, local.get(), local.length) < 0) {
    *immediate_errno = errno;
    close(fd);
    return *immediate_errno == EADDRINUSE ? kPortTaken : kBindFailed;
  }
  if (connect(fd, address.get(), address.length) < 0 && errno != EINPROGRESS) {
    *immediate_errno = errno;
    close(fd);
    return *immediate_errno == EADDRNOTAVAIL ? kPortTaken : -1;
  }
  *immediate_errno = 0;
  return fd;
}

core::Result<SocketAddress> routed_source(const SocketAddress& target) {
  int fd = socket(target.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::fail("socket() failed: " + core::errno_text(errno));
  SocketAddress source;
  source.length = sizeof source.storage;
  // A UDP connect sends nothing: it only picks the route, and with it the local address.
  if (connect(fd, target.get(), target.length) < 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&source.storage), &source.length) < 0) {
    int err = errno;
    close(fd);
    return core::fail("no route to " + target.to_string() + ": " + core::errno_text(err));
  }
  close(fd);
  if (source.family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&source.storage)->sin_port = 0;
  } else {
    reinterpret_cast<sockaddr_in6*>(&source.storage)->sin6_port = 0;
  }
  return source;
}

int take_socket_error(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0) return errno;
  return error;
}

core::Result<int> listen_tcp(const SocketAddress& address, const ListenOptions& options) {
  int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return core::fail("socket() failed: " + core::errno_text(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (options.reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind(fd, address.get(), address.length) < 0) {
    int err = errno;
    close(fd);
    return core::fail("cannot bind " + address.to_string() + ": " + core::errno_text(err));
  }
  if (listen(fd, options.backlog) < 0) {
    int err = errno;
    close(fd);
    return core::fail("cannot listen on " + address.to_string() + ": " + core::errno_text(err));
  }
  return fd;
}

bool enable_receive_timestamps(int fd) {
  int on = 1;
  return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
}

ssize_t read_stamped(int fd, char* buffer, size_t size, int64_t* received_realtime_ns) {
  iovec chunk{buffer, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_iov = &chunk;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  ssize_t n = recvmsg(fd, &message, 0);
  if (n <= 0) return n;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr; header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
      timespec stamp;
      std::memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
      *received_realtime_ns = int64_t{stamp.tv_sec} * 1'000'000'000 + stamp.tv_nsec;
    }
  }
  return n;
}

int accept_connection(int listen_fd) {
  int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) set_no_delay(fd);
  return fd;
}

core::Result<SocketAddress> local_address(int fd) {
  SocketAddress address;
  address.length = sizeof address.storage;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address.storage), &address.length) < 0) {
    return core::fail("getsockname failed: " + core::errno_text(errno));
  }
  return address;
}

uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace surge::net
