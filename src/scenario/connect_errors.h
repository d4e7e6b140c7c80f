// How a failed TCP connect is counted: the errno of connect() (at once or through SO_ERROR) as an ErrorKind.
// Shared by the HTTP virtual user and the WebSocket session, so both count the same failure the same way.
#pragma once

#include <errno.h>

#include "metrics/error_kind.h"

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

}  // namespace surge::scenario
