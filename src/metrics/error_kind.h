// The closed list of ways a request can fail during a run. These are outcomes (data), never exceptions:
// each is counted per phase and step into results.json `requests.by_error` under its printable name.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace surge::metrics {

enum class ErrorKind : uint8_t {
  kRefused,    // connect: ECONNREFUSED (nothing listens)
  kConnect,    // connect: any other failure (unreachable, no route, too many open files...)
  kAddress,    // connect: EADDRNOTAVAIL, the local ephemeral ports are exhausted
  kReset,      // the peer reset the connection (ECONNRESET / EPIPE) before the response was complete
  kTimeout,    // no complete response within the request timeout (connect time included)
  kEof,        // the peer closed the connection before the response was complete
  kParse,      // the response was not valid HTTP/1.1
  kStatus4xx,  // a 4xx response
  kStatus5xx,  // a 5xx response
  kCheck,      // a response that failed an `expect` check (other than a 4xx/5xx status)
  kTls,        // the TLS handshake failed (certificate or name not verified, protocol), or a TLS record was bad
  kTooLarge,   // the response broke a `limits:` bound: head, header line or body too large
  kConnectTimeout,  // connect (TLS handshake included) not done within timeouts.connect
  kBind,       // connect: binding the --source-addrs address failed (not an address of this machine)
  kCount,
};

constexpr size_t kErrorKindCount = static_cast<size_t>(ErrorKind::kCount);

constexpr std::array<std::string_view, kErrorKindCount> kErrorKindNames = {
    "refused", "connect", "address", "reset", "timeout", "eof", "parse", "status_4xx", "status_5xx", "check", "tls",
    "too_large", "connect_timeout", "bind",
};

constexpr std::string_view to_string(ErrorKind kind) { return kErrorKindNames[static_cast<size_t>(kind)]; }

}  // namespace surge::metrics
