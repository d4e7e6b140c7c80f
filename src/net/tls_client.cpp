// The client TLS context and the per-connection steps over OpenSSL 3. Every failure path clears OpenSSL's
// per-thread error queue: SSL_get_error reads that queue, and a stale entry would turn the next connection's
// harmless "want read" into a failure.
#include "net/tls_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace surge::net {
namespace {

// ex_data slots of every SSL we create: the target index (for the new-session callback) and the handshake's
// start. Indexes are process-wide and fixed once.
int target_slot() {
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}
int started_slot() {
  static const int slot = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

bool is_ip_literal(const std::string& name) {
  unsigned char address[16];
  return inet_pton(AF_INET, name.c_str(), address) == 1 || inet_pton(AF_INET6, name.c_str(), address) == 1;
}

// SSL_get_error for a failed call, mapped to an errno a read(2)-shaped caller understands.
ssize_t failed_io(SSL* ssl, int result) {
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      // A write that needs a read (or a read that needs a write) only happens around a key update; the next
      // event of either kind retries it.
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;  // close_notify
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      if (errno == 0 || errno == EAGAIN) return 0;  // a FIN without close_notify: end of stream
      return -1;                                    // errno is the socket's
    default:
      ERR_clear_error();
      errno = EPROTO;
      return -1;
  }
}

}  // namespace

core::Result<std::unique_ptr<TlsClient>> TlsClient::create(const TlsSettings& settings,
                                                           std::vector<std::string> peer_names) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return core::fail("TLS: cannot create a client context: " + openssl_error());
  std::vector<Peer> peers;
  for (std::string& name : peer_names) {
    bool is_ip = is_ip_literal(name);
    peers.push_back({std::move(name), is_ip, nullptr});
  }
  std::unique_ptr<TlsClient> client(new TlsClient(context, std::move(peers)));
  client->verify_ = !settings.insecure;
  // Release buffers: an idle keep-alive connection gives its 16 KiB+ read and write buffers back (docs/tls.md).
  // Partial and moving writes: a short write resumes from wherever the caller's buffer is, like send(2).
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                                SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Read ahead: one read(2) per readable event instead of one for each record's header and one for its body.
  SSL_CTX_set_read_ahead(context, 1);
  // A FIN without close_notify ends the stream like a plain socket's (a response delimited by close), instead
  // of OpenSSL 3's "unexpected eof" error.
  SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (settings.min_version != TlsVersion::kDefault) {
    SSL_CTX_set_min_proto_version(context, settings.min_version == TlsVersion::k13 ? TLS1_3_VERSION : TLS1_2_VERSION);
  }
  if (!settings.insecure) {
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    int loaded = settings.ca_file.empty() ? SSL_CTX_set_default_verify_paths(context)
                                          : SSL_CTX_load_verify_locations(context, settings.ca_file.c_str(), nullptr);
    if (loaded != 1) {
      std::string what = settings.ca_file.empty() ? "the system CA store" : "ca_file '" + settings.ca_file + "'";
      return core::fail("TLS: cannot load " + what + ": " + openssl_error());
    }
  }
  // Sessions are kept by us, one per target, not in OpenSSL's internal cache (which a client never searches).
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(context, &TlsClient::on_new_session);
  SSL_CTX_set_app_data(context, client.get());
  (void)target_slot();  // fix the indexes before any connection
  (void)started_slot();
  return client;
}

TlsClient::~TlsClient() {
  for (Peer& peer : peers_) SSL_SESSION_free(peer.session);
  SSL_CTX_free(context_);
}

SSL* TlsClient::open(int fd, size_t target, int64_t handshake_started_ns) {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  const Peer& peer = peers_[target];
  bool ok = SSL_set_fd(ssl, fd) == 1;
  if (ok && !peer.is_ip) ok = SSL_set_tlsext_host_name(ssl, peer.name.c_str()) == 1;
  if (ok && verify_) {
    ok = peer.is_ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), peer.name.c_str()) == 1
                    : SSL_set1_host(ssl, peer.name.c_str()) == 1;
  }
  if (ok && peer.session != nullptr) ok = SSL_set_session(ssl, peer.session) == 1;
  ok = ok && SSL_set_ex_data(ssl, target_slot(), reinterpret_cast<void*>(static_cast<uintptr_t>(target))) == 1;
  // The start time rides in the pointer-sized slot: no allocation, and VirtualUser needs no field for it.
  ok = ok && SSL_set_ex_data(ssl, started_slot(), reinterpret_cast<void*>(static_cast<intptr_t>(handshake_started_ns))) == 1;
  if (!ok) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_connect_state(ssl);
  return ssl;
}

int TlsClient::on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* client = static_cast<TlsClient*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  auto target = reinterpret_cast<uintptr_t>(SSL_get_ex_data(ssl, target_slot()));
  if (client == nullptr || target >= client->peers_.size()) return 0;
  Peer& peer = client->peers_[target];
  SSL_SESSION_free(peer.session);
  peer.session = session;
  return 1;  // we keep the reference OpenSSL handed us
}

TlsStep tls_handshake(SSL* ssl) {
  int result = SSL_do_handshake(ssl);
  if (result == 1) return TlsStep::kDone;
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ: return TlsStep::kWantRead;
    case SSL_ERROR_WANT_WRITE: return TlsStep::kWantWrite;
    default:
      ERR_clear_error();
      return TlsStep::kFailed;
  }
}

int64_t tls_handshake_started_ns(const SSL* ssl) {
  return static_cast<int64_t>(reinterpret_cast<intptr_t>(SSL_get_ex_data(ssl, started_slot())));
}

bool tls_resumed(const SSL* ssl) { return SSL_session_reused(ssl) == 1; }

ssize_t tls_read(SSL* ssl, char* buffer, size_t size) {
  size_t read = 0;
  errno = 0;
  if (SSL_read_ex(ssl, buffer, size, &read) == 1) return static_cast<ssize_t>(read);
  return failed_io(ssl, 0);
}

ssize_t tls_write(SSL* ssl, const char* data, size_t size) {
  size_t written = 0;
  errno = 0;
  if (SSL_write_ex(ssl, data, size, &written) == 1) return static_cast<ssize_t>(written);
  return failed_io(ssl, 0);
}

bool tls_has_pending(const SSL* ssl) { return SSL_has_pending(ssl) == 1; }

bool tls_only_housekeeping(SSL* ssl) {
  char byte;
  size_t read = 0;
  errno = 0;
  if (SSL_read_ex(ssl, &byte, 1, &read) == 1) return false;  // application bytes nobody asked for
  return failed_io(ssl, 0) < 0 && errno == EAGAIN;
}

void tls_close(SSL* ssl) {
  SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(ssl);
}

}  // namespace surge::net
