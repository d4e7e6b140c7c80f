// How a failed TCP connect is counted: the errno of connect() (at once or through SO_ERROR) as an ErrorKind.
// Shared by the HTTP virtual user and the WebSocket session, so both count the same failure the same way.
#pragma once

#include <errno.h>

#include "metrics/error_kind.h"
#include "net/socket.h"

namespace surge::scenario {

inline metrics::ErrorKind connect_error_kind(int err) {
  switch (err) {
    case ECONNREFUSED: return metrics::ErrorKind::kRefused;
    case EADDRNOTAVAIL: return metrics::ErrorKind::kAddress;
    case ETIMEDOUT: return metrics::ErrorKind::kTimeout;
    case ECONNRESET: return metrics::ErrorKind::kReset;
    default: return metrics::ErrorKind::kConnect;
  }
}

// The kind of a failed net::start_connect: its result fd (net::kBindFailed when the source address could not
// be bound) and errno.
inline metrics::ErrorKind start_connect_error_kind(int fd, int err) {
  return fd == net::kBindFailed ? metrics::ErrorKind::kBind : connect_error_kind(err);
}

}  // namespace surge::scenario
