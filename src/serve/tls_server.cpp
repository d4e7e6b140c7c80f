// The server side of TLS: a context made once before the workers fork, ALPN's choice, and the read and
// write shapes of tls_server.h.
#include "serve/tls_server.h"

#include <errno.h>
#include <openssl/err.h>

namespace surge::serve {
namespace {

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// The client's list first, as RFC 7301 §3.2 has the server choose: h2 when offered, else http/1.1; a client
// that offers neither gets no ALPN and HTTP/1.1.
int select_protocol(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_size, const unsigned char* in,
                    unsigned int in_size, void* /*arg*/) {
  for (std::string_view wanted : {kAlpnH2, kAlpnHttp11}) {
    for (unsigned int i = 0; i < in_size; i += 1u + in[i]) {
      std::string_view offered(reinterpret_cast<const char*>(in + i + 1), in[i]);
      if (i + 1u + in[i] <= in_size && offered == wanted) {
        *out = in + i + 1;
        *out_size = in[i];
        return SSL_TLSEXT_ERR_OK;
      }
    }
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// errno for what SSL_get_error says of a call that returned `result`.
ssize_t failed(SSL* ssl, int result) {
  int error = SSL_get_error(ssl, result);
  ERR_clear_error();
  errno = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? EAGAIN : EIO;
  return -1;
}

}  // namespace

core::Result<TlsContext> TlsContext::load(const std::string& cert_path, const std::string& key_path) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return core::fail("cannot make a TLS server context: " + openssl_error());
  TlsContext made(context);
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(context, cert_path.c_str()) != 1)
    return core::fail("cannot load the TLS certificate '" + cert_path + "': " + openssl_error());
  if (SSL_CTX_use_PrivateKey_file(context, key_path.c_str(), SSL_FILETYPE_PEM) != 1)
    return core::fail("cannot load the TLS key '" + key_path + "': " + openssl_error());
  if (SSL_CTX_check_private_key(context) != 1) {
    ERR_clear_error();
    return core::fail("the TLS key '" + key_path + "' does not match the certificate '" + cert_path + "'");
  }
  // A short write returns what went out; the writers resume from there with the same bytes.
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_alpn_select_cb(context, select_protocol, nullptr);
  return made;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

SSL* TlsContext::accept(int fd) const {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr) return nullptr;
  if (SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return ssl;
}

ssize_t tls_read(SSL* ssl, char* buffer, size_t size) {
  size_t read = 0;
  int result = SSL_read_ex(ssl, buffer, size, &read);
  if (result == 1) return static_cast<ssize_t>(read);
  int error = SSL_get_error(ssl, result);
  if (error == SSL_ERROR_ZERO_RETURN) return 0;
  if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {  // EOF without close_notify: a plain close
    ERR_clear_error();
    return 0;
  }
  return failed(ssl, result);
}

ssize_t tls_writev(SSL* ssl, const iovec* iov, int count) {
  size_t total = 0;
  for (int i = 0; i < count; ++i) {
    size_t written = 0;
    int result = SSL_write_ex(ssl, iov[i].iov_base, iov[i].iov_len, &written);
    if (result != 1) return total > 0 ? static_cast<ssize_t>(total) : failed(ssl, result);
    total += written;
    if (written < iov[i].iov_len) break;
  }
  return static_cast<ssize_t>(total);
}

std::string_view tls_alpn(SSL* ssl) {
  const unsigned char* protocol = nullptr;
  unsigned int size = 0;
  SSL_get0_alpn_selected(ssl, &protocol, &size);
  return protocol == nullptr ? std::string_view()
                             : std::string_view(reinterpret_cast<const char*>(protocol), size);
}

}  // namespace surge::serve
