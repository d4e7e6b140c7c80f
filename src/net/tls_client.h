// Client-side TLS over OpenSSL for the workers: one context per worker, built from the plan's `tls:` settings,
// and per-connection steps (handshake, read, write) that never block and never throw. OpenSSL's "want read" and
// "want write" come back as waits, the way EAGAIN does for a plain socket, so callers keep one event loop shape.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

// Forward declarations, so <openssl/ssl.h> stays out of every file that includes this one.
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_session_st SSL_SESSION;

namespace surge::net {

enum class TlsVersion : uint8_t { kDefault, k12, k13 };  // kDefault: OpenSSL's floor (TLS 1.2 on Debian 12)

struct TlsSettings {
  bool insecure = false;   // no certificate chain or name verification
  std::string ca_file;     // PEM file of trusted CAs; empty: the system store
  TlsVersion min_version = TlsVersion::kDefault;
};

// How one handshake step ended.
enum class TlsStep : uint8_t { kDone, kWantRead, kWantWrite, kFailed };

class TlsClient {
 public:
  // peer_names, by target index: the name sent as SNI and checked against the server's certificate (an IP
  // literal is checked against its IP SANs and sent without SNI, RFC 6066 §3); empty for a plain-TCP target.
  // Fails when the CA file cannot be loaded or OpenSSL cannot make a context, with a one-line message.
  static core::Result<std::unique_ptr<TlsClient>> create(const TlsSettings& settings,
                                                         std::vector<std::string> peer_names);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // A client session over fd, a connected socket to `target`, offering the target's last session for
  // resumption. handshake_started_ns is kept with it (tls_handshake_started_ns). The caller owns the result and
  // frees it with tls_close; nullptr when OpenSSL cannot allocate one.
  SSL* open(int fd, size_t target, int64_t handshake_started_ns);

 private:
  struct Peer {
    std::string name;
    bool is_ip = false;
    SSL_SESSION* session = nullptr;  // the latest resumable session the server gave us (owned)
  };

  TlsClient(SSL_CTX* context, std::vector<Peer> peers) : context_(context), peers_(std::move(peers)) {}
  static int on_new_session(SSL* ssl, SSL_SESSION* session);

  SSL_CTX* context_;
  std::vector<Peer> peers_;
  bool verify_ = true;
};

// One non-blocking handshake step. kFailed: the certificate or name did not verify, the protocol failed, or the
// peer closed or reset the connection; OpenSSL's error queue is cleared.
TlsStep tls_handshake(SSL* ssl);
int64_t tls_handshake_started_ns(const SSL* ssl);
bool tls_resumed(const SSL* ssl);  // the finished handshake resumed an earlier session (no certificate sent)

// Like read(2): > 0 bytes, 0 at the end of the stream (close_notify or a plain FIN), -1 with errno EAGAIN (wait
// for readable; also when only a TLS 1.3 session ticket arrived), EPROTO (a TLS error) or the socket's errno.
ssize_t tls_read(SSL* ssl, char* buffer, size_t size);
// Like send(2): bytes written (partial writes are on), -1 with errno EAGAIN (wait for writable, then call again
// with the same unwritten bytes), EPROTO or the socket's errno.
ssize_t tls_write(SSL* ssl, const char* data, size_t size);
// Bytes held inside OpenSSL that epoll cannot see (read ahead from the socket): read again before waiting.
bool tls_has_pending(const SSL* ssl);
// For a connection idle between requests that turned readable: processes what came. True when it was only
// TLS housekeeping (session tickets, key updates) and the connection is still good to use.
bool tls_only_housekeeping(SSL* ssl);
// Frees the session (the caller closes the fd). No close_notify is written, which would cost a syscall per
// close; the session is marked shut down so it stays resumable.
void tls_close(SSL* ssl);

}  // namespace surge::net
