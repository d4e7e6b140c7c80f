// What OpenSSL itself keeps per idle TLS client connection, with the settings surge's net/tls_client.cpp uses
// (SSL_MODE_RELEASE_BUFFERS, read-ahead, a client session cache that stores one session and resumes from it):
// opens N connections one after another to HOST:PORT, sends one request on each and reads its answer (so any
// session tickets are in), and prints the heap bytes in use per connection (glibc mallinfo2), once with full
// handshakes and once resumed. bench/tls_memory.sh runs it beside a surge hold phase.
//
//   tls_idle_memory HOST PORT CONNECTIONS
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static SSL_SESSION* kept;

static int keep_first_session(SSL* ssl, SSL_SESSION* session) {
  (void)ssl;
  if (kept != NULL) return 0;
  kept = session;
  return 1;  // we hold the reference
}

static SSL_CTX* make_context(void) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_read_ahead(context, 1);
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(context, keep_first_session);
  return context;
}

// Bytes in use per connection over connections 2..N (the first one pays for one-time tables), and how many
// were resumed.
static double per_connection(const char* host, int port, int count, int resume, int* resumed) {
  SSL_CTX* context = make_context();
  SSL** open = calloc((size_t)count, sizeof *open);
  size_t first = 0;
  *resumed = 0;
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &address.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr*)&address, sizeof address) != 0) {
      perror("tls_idle_memory: connect");
      exit(1);
    }
    open[i] = SSL_new(context);
    SSL_set_fd(open[i], fd);
    if (resume && kept != NULL) SSL_set_session(open[i], kept);
    char answer[4096];
    static const char request[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    if (SSL_connect(open[i]) != 1 || SSL_write(open[i], request, sizeof request - 1) <= 0 ||
        SSL_read(open[i], answer, sizeof answer) <= 0) {
      ERR_print_errors_fp(stderr);
      exit(1);
    }
    *resumed += SSL_session_reused(open[i]);
    if (i == 0) first = mallinfo2().uordblks;
  }
  double bytes = (double)(mallinfo2().uordblks - first) / (count - 1);
  for (int i = 0; i < count; ++i) {
    close(SSL_get_fd(open[i]));
    SSL_free(open[i]);
  }
  free(open);
  if (kept != NULL) SSL_SESSION_free(kept);
  kept = NULL;
  SSL_CTX_free(context);
  return bytes;
}

int main(int argc, char** argv) {
  if (argc != 4 || atoi(argv[3]) < 2) {
    fprintf(stderr, "usage: tls_idle_memory HOST PORT CONNECTIONS(>=2)\n");
    return 2;
  }
  int resumed = 0;
  double full = per_connection(argv[1], atoi(argv[2]), atoi(argv[3]), 0, &resumed);
  printf("full handshakes: %.0f bytes in use per connection (%d resumed)\n", full, resumed);
  double again = per_connection(argv[1], atoi(argv[2]), atoi(argv[3]), 1, &resumed);
  printf("resumed: %.0f bytes in use per connection (%d resumed)\n", again, resumed);
  return 0;
}
