// TLS for `surge serve` (--tls-cert/--tls-key): the server context, with ALPN choosing h2 or http/1.1, and
// reads and writes shaped like read(2) and sendmsg(2), so a connection swaps its two syscalls and keeps its
// logic. OpenSSL reads only whole records from the socket (no read-ahead), so after a read the bytes left are
// in the kernel, and level-triggered epoll still says when there are more.
#pragma once

#include <openssl/ssl.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::serve {

// The application protocols offered by ALPN (RFC 7301), in the server's order of preference.
inline constexpr std::string_view kAlpnH2 = "h2";
inline constexpr std::string_view kAlpnHttp11 = "http/1.1";

class TlsContext {
 public:
  // Loads a PEM certificate chain and its private key. Errors: "cannot load the TLS certificate
  // 'PATH': REASON", the same for the key, "the TLS key 'PATH' does not match the certificate".
  static core::Result<TlsContext> load(const std::string& cert_path, const std::string& key_path);
  TlsContext(TlsContext&& other) noexcept : context_(other.context_) { other.context_ = nullptr; }
  TlsContext& operator=(TlsContext&&) = delete;
  ~TlsContext();

  // A server-side SSL on fd, in accept state; nullptr when out of memory. The caller frees it (SSL_free).
  SSL* accept(int fd) const;

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  SSL_CTX* context_;
};

// SSL_read as read(2): bytes read, 0 at the peer's close_notify or EOF, -1 with errno EAGAIN when OpenSSL
// needs the socket again, -1 with errno EIO on a TLS error.
ssize_t tls_read(SSL* ssl, char* buffer, size_t size);
// The iovecs in order through SSL_write, as sendmsg(2): the bytes written (short when the socket filled), or
// -1 with errno EAGAIN (nothing written) or EIO. Resuming after a short write must offer the same bytes
// again from where it stopped, which the callers' writers do.
ssize_t tls_writev(SSL* ssl, const iovec* iov, int count);
// The protocol ALPN agreed on ("" when the client offered none).
std::string_view tls_alpn(SSL* ssl);

}  // namespace surge::serve
