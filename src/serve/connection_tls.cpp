// The TLS handshake of a Connection (--tls-cert): driven by the socket's readiness like everything else, then
// ALPN decides: "h2" goes to an H2Connection, anything else (http/1.1, or no ALPN) stays here as HTTP/1.1.
#include <openssl/err.h>

#include "serve/connection.h"
#include "serve/tls_server.h"
#include "serve/worker.h"

namespace surge::serve {

void Connection::continue_handshake() {
  int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    handshaking_ = false;
    if (tls_alpn(ssl_) == kAlpnH2) {
      hand_over_to_h2({});
      return;
    }
    update_interest();  // the request may be in the kernel already: level-triggered EPOLLIN says so
    return;
  }
  int error = SSL_get_error(ssl_, result);
  ERR_clear_error();
  uint32_t wanted = error == SSL_ERROR_WANT_READ    ? uint32_t{EPOLLIN}
                    : error == SSL_ERROR_WANT_WRITE ? uint32_t{EPOLLOUT}
                                                    : 0;
  if (wanted == 0) {  // a failed handshake: nothing to answer over
    close();
    return;
  }
  if (wanted != interest_) {
    interest_ = wanted;
    if (!worker_.loop().modify(fd_, wanted, this)) close();
  }
}

}  // namespace surge::serve
