// How a connection that never opened is counted: the errno of connect() (at once or through SO_ERROR), a
// failed bind, TLS or the connect's time bound, as an ErrorKind. Shared by the HTTP virtual user and the
// WebSocket session, so both count the same failure the same way.
#pragma once

#include <errno.h>

#include "metrics/error_kind.h"
#include "net/connection.h"

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

inline metrics::ErrorKind connect_failure_kind(net::ConnectFailure failure) {
  switch (failure.cause) {
    case net::ConnectFailure::Cause::kSocket:
      return connect_error_kind(failure.err);  // err 0: kConnect
    case net::ConnectFailure::Cause::kBind:
      return metrics::ErrorKind::kBind;
    case net::ConnectFailure::Cause::kTls:
      return metrics::ErrorKind::kTls;
    case net::ConnectFailure::Cause::kTimeout:
      return metrics::ErrorKind::kConnectTimeout;
  }
  return metrics::ErrorKind::kConnect;
}

}  // namespace surge::scenario
