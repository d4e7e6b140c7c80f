// Non-blocking TCP sockets: connect, listen, accept, and the small option calls around them.
#pragma once

#include <sys/types.h>

#include "core/result.h"
#include "net/address.h"

namespace surge::net {

// Starts a non-blocking connect (TCP_NODELAY on). Returns the fd; completion (or the error) is seen as
// EPOLLOUT and read with take_socket_error(). An immediate failure returns the errno in *immediate_errno
// and -1, so the caller can count it by kind without a message being built.
// With a `source`, the socket is bound to that address first, with IP_BIND_ADDRESS_NO_PORT so the port is
// chosen at connect time per 4-tuple (a plain bind would reserve a port per source address for every
// target and cap the source at ~28K connections in all); a failed bind (the address is not on this
// machine) returns kBindFailed with its errno.
int start_connect(const SocketAddress& address, int* immediate_errno, const SocketAddress* source = nullptr);
constexpr int kBindFailed = -2;

// The same from `source` at a port the caller chose (net::LocalPorts), bound with SO_REUSEADDR so that our own
// connections in TIME_WAIT do not hold it. Returns kPortTaken, nothing left open, when that port cannot be
// used towards `address`: another socket holds it (bind EADDRINUSE) or the 4-tuple exists (connect
// EADDRNOTAVAIL); the caller tries its next port.
int start_connect_from_port(const SocketAddress& address, int* immediate_errno, const SocketAddress& source,
                            uint16_t port);
constexpr int kPortTaken = -3;

// The address the kernel would send from towards `target` (a connected UDP socket's local address, port 0);
// fails when no route leads there.
core::Result<SocketAddress> routed_source(const SocketAddress& target);

// SO_ERROR of a socket whose connect completed (0 when it succeeded).
int take_socket_error(int fd);

// Kernel receive timestamps (SO_TIMESTAMPNS): each skb is stamped when it enters the receive path, so a
// reader that gets to the bytes late still knows when they came.
bool enable_receive_timestamps(int fd);
// read() that also returns, in *received_realtime_ns, the CLOCK_REALTIME stamp of the last segment it read
// (left alone when the kernel gave none). One recvmsg.
ssize_t read_stamped(int fd, char* buffer, size_t size, int64_t* received_realtime_ns);

struct ListenOptions {
  bool reuse_port = false;  // SO_REUSEPORT: several processes share one port, the kernel spreads connections
  int backlog = 4096;
};

// A non-blocking listening socket; port 0 picks a free port (read it back with local_address()).
core::Result<int> listen_tcp(const SocketAddress& address, const ListenOptions& options);

// accept4, non-blocking and close-on-exec, TCP_NODELAY on. -1 with errno when nothing is pending.
int accept_connection(int listen_fd);

core::Result<SocketAddress> local_address(int fd);

// Raises the soft limit on open files to the hard limit (every connection is a file descriptor) and returns
// the limit now in force.
uint64_t raise_open_file_limit();

}  // namespace surge::net
