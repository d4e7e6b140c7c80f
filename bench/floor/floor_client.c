// The floor of a closed-loop HTTP/1.1 load generator on this machine: the least a client can do per request
// (write the request, read the response, count it), with no latency recording, no parsing beyond counting
// bytes, and no timers. bench/compare.py runs it beside surge and wrk (`--peers floor-epoll,floor-uring`) so
// that "surge costs X µs a request" can be read against what the kernel alone costs here.
//
//   floor_client epoll|uring HOST PORT PATH CONNECTIONS SECONDS [RATE]
//
// With RATE (epoll only), requests go at that fixed rate instead of closed loop, the way surge's open model does
// at its cheapest (schedule_slack 1 ms with quiet waits): the client sleeps until the next request is due, sends
// every request due within the next millisecond on idle connections, and takes all responses that came
// meanwhile with one zero-timeout epoll_wait. It records nothing, so it is the floor of that design.
//
// epoll: level-triggered epoll, one read() per readable connection, one write() per request (the design of
// surge, wrk and h2load). uring: io_uring with a multishot receive per connection into a ring of provided
// buffers, sends queued as completions come in and submitted together with the wait (one io_uring_enter per
// batch), registered files, DEFER_TASKRUN. Every response must have the same length (nginx's `return 200` and
// surge serve's `/` have): the client learns it from one probe request and counts responses by bytes (a target
// answering with other lengths stalls its connections; bench/compare.py checks the count against surge serve's
// own). Prints `requests N`.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kMaxConnections = 4096, kBuffers = 1024, kBufferSize = 4096 };

static char request[512];
static size_t request_size;
static long response_size;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char* what) {
  fprintf(stderr, "floor_client: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int connect_to(const char* host, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (fd < 0 || inet_pton(AF_INET, host, &address.sin_addr) != 1) die("socket or address");
  if (connect(fd, (struct sockaddr*)&address, sizeof address) != 0) die("connect");
  int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

// One request on a blocking socket; the response is complete when 100 ms pass with nothing more.
static long probe_response_size(const char* host, int port) {
  int fd = connect_to(host, port);
  if (write(fd, request, request_size) != (ssize_t)request_size) die("probe write");
  struct timeval wait = {.tv_sec = 0, .tv_usec = 100000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char buffer[65536];
  long total = 0;
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) total += n;
  close(fd);
  if (total <= 0) die("probe read");
  return total;
}

struct Connection {
  int fd;
  long pending_bytes;  // of the response in flight
};

static long count_responses(struct Connection* c, long bytes) {
  c->pending_bytes += bytes;
  long done = c->pending_bytes / response_size;
  c->pending_bytes %= response_size;
  return done;
}

static long run_epoll(struct Connection* connections, int count, double seconds) {
  int epoll_fd = epoll_create1(0);
  for (int i = 0; i < count; ++i) {
    fcntl(connections[i].fd, F_SETFL, O_NONBLOCK);
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, connections[i].fd, &event);
    if (write(connections[i].fd, request, request_size) != (ssize_t)request_size) die("write");
  }
  struct epoll_event events[512];
  static char buffer[65536];
  long requests = 0;
  double end = now_s() + seconds;
  for (unsigned wakes = 1;; ++wakes) {
    int n = epoll_wait(epoll_fd, events, 512, 100);
    for (int k = 0; k < n; ++k) {
      struct Connection* c = &connections[events[k].data.u32];
      ssize_t got = read(c->fd, buffer, sizeof buffer);
      if (got <= 0) continue;
      for (long done = count_responses(c, got); done > 0; --done) {
        ++requests;
        if (write(c->fd, request, request_size) != (ssize_t)request_size) die("write");
      }
    }
    if (wakes % 64 == 0 && now_s() > end) break;
  }
  close(epoll_fd);
  return requests;
}

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static long run_epoll_rate(struct Connection* connections, int count, double seconds, double rate) {
  const int64_t slack = 1000000, interval = (int64_t)(1e9 / rate);
  int epoll_fd = epoll_create1(0);
  int* idle = malloc((size_t)count * sizeof *idle);
  int idle_count = 0;
  for (int i = 0; i < count; ++i) {
    fcntl(connections[i].fd, F_SETFL, O_NONBLOCK);
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, connections[i].fd, &event);
    idle[idle_count++] = i;
  }
  struct epoll_event events[512];
  static char buffer[65536];
  long requests = 0, dropped = 0;
  const int64_t start = now_ns(), end = start + (int64_t)(seconds * 1e9);
  int64_t next = start;
  for (int64_t now = start; now < end; now = now_ns()) {
    for (; next <= now + slack; next += interval) {
      if (idle_count == 0) {
        ++dropped;
        continue;
      }
      int i = idle[--idle_count];
      if (write(connections[i].fd, request, request_size) != (ssize_t)request_size) die("write");
    }
    struct timespec wake = {.tv_sec = next / 1000000000, .tv_nsec = next % 1000000000};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, NULL);
    int n = epoll_wait(epoll_fd, events, 512, 0);
    for (int k = 0; k < n; ++k) {
      int i = (int)events[k].data.u32;
      ssize_t got = read(connections[i].fd, buffer, sizeof buffer);
      if (got <= 0) continue;
      for (long done = count_responses(&connections[i], got); done > 0; --done) {
        ++requests;
        idle[idle_count++] = i;
      }
    }
  }
  if (dropped > 0) fprintf(stderr, "floor_client: %ld requests found no idle connection\n", dropped);
  free(idle);
  close(epoll_fd);
  return requests;
}

static void queue_receive(struct io_uring* ring, int index) {
  struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
  io_uring_prep_recv_multishot(sqe, index, NULL, 0, 0);
  sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
  sqe->buf_group = 0;
  io_uring_sqe_set_data64(sqe, (uint64_t)index);
}

static void queue_send(struct io_uring* ring, int index) {
  struct io_uring_sqe* sqe = io_uring_get_sqe(ring);
  if (sqe == NULL) {  // the submission queue is full: hand it to the kernel and go on
    io_uring_submit(ring);
    sqe = io_uring_get_sqe(ring);
  }
  io_uring_prep_send(sqe, index, request, request_size, 0);
  sqe->flags |= IOSQE_FIXED_FILE | IOSQE_CQE_SKIP_SUCCESS;  // only a failed send completes
  io_uring_sqe_set_data64(sqe, 1ull << 32 | (uint64_t)index);
}

static long run_uring(struct Connection* connections, int count, double seconds) {
  struct io_uring ring;
  struct io_uring_params params = {.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN};
  int error = io_uring_queue_init_params(4096, &ring, &params);
  if (error != 0) {
    errno = -error;
    die("io_uring_queue_init_params (kernel 6.1 or later)");
  }
  struct io_uring_buf_ring* buffers_ring = NULL;
  if (posix_memalign((void**)&buffers_ring, 4096, kBuffers * sizeof(struct io_uring_buf)) != 0) die("memory");
  io_uring_buf_ring_init(buffers_ring);
  struct io_uring_buf_reg registration = {.ring_addr = (uint64_t)(uintptr_t)buffers_ring, .ring_entries = kBuffers};
  if ((error = io_uring_register_buf_ring(&ring, &registration, 0)) != 0) {
    errno = -error;
    die("io_uring_register_buf_ring");
  }
  char* memory = malloc((size_t)kBuffers * kBufferSize);
  const int mask = io_uring_buf_ring_mask(kBuffers);
  for (int b = 0; b < kBuffers; ++b) io_uring_buf_ring_add(buffers_ring, memory + (size_t)b * kBufferSize, kBufferSize, b, mask, b);
  io_uring_buf_ring_advance(buffers_ring, kBuffers);
  int fds[kMaxConnections];
  for (int i = 0; i < count; ++i) fds[i] = connections[i].fd;
  if ((error = io_uring_register_files(&ring, fds, (unsigned)count)) != 0) {
    errno = -error;
    die("io_uring_register_files");
  }
  io_uring_register_ring_fd(&ring);
  for (int i = 0; i < count; ++i) {
    queue_receive(&ring, i);
    queue_send(&ring, i);
  }
  long requests = 0;
  double end = now_s() + seconds;
  for (unsigned wakes = 1;; ++wakes) {
    io_uring_submit_and_wait(&ring, 1);
    struct io_uring_cqe* cqe;
    unsigned head, seen = 0;
    int returned = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      ++seen;
      uint64_t data = cqe->user_data;
      int index = (int)(data & 0xffffffffu);
      if (data >> 32) {
        errno = -cqe->res;
        die("send");
      }
      if (cqe->res <= 0) {
        errno = cqe->res < 0 ? -cqe->res : ECONNRESET;
        die("receive");
      }
      int buffer_id = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
      io_uring_buf_ring_add(buffers_ring, memory + (size_t)buffer_id * kBufferSize, kBufferSize, buffer_id, mask, returned++);
      if (!(cqe->flags & IORING_CQE_F_MORE)) queue_receive(&ring, index);  // the multishot receive ended
      for (long done = count_responses(&connections[index], cqe->res); done > 0; --done) {
        ++requests;
        queue_send(&ring, index);
      }
    }
    io_uring_buf_ring_advance(buffers_ring, returned);
    io_uring_cq_advance(&ring, seen);
    if (wakes % 64 == 0 && now_s() > end) break;
  }
  io_uring_queue_exit(&ring);
  return requests;
}

int main(int argc, char** argv) {
  if (argc != 7 && argc != 8) {
    fprintf(stderr, "usage: floor_client epoll|uring HOST PORT PATH CONNECTIONS SECONDS [RATE]\n");
    return 2;
  }
  const char* mode = argv[1];
  const char* host = argv[2];
  int port = atoi(argv[3]);
  int count = atoi(argv[5]);
  double seconds = atof(argv[6]);
  if (count < 1 || count > kMaxConnections || seconds <= 0) {
    fprintf(stderr, "floor_client: 1..%d connections and a duration > 0\n", kMaxConnections);
    return 2;
  }
  request_size = (size_t)snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n", argv[4], host, port);
  response_size = probe_response_size(host, port);
  struct Connection* connections = calloc((size_t)count, sizeof *connections);
  for (int i = 0; i < count; ++i) connections[i].fd = connect_to(host, port);
  double rate = argc == 8 ? atof(argv[7]) : 0;
  long requests = strcmp(mode, "uring") == 0 ? run_uring(connections, count, seconds)
                  : rate > 0                  ? run_epoll_rate(connections, count, seconds, rate)
                                              : run_epoll(connections, count, seconds);
  for (int i = 0; i < count; ++i) close(connections[i].fd);
  printf("requests %ld\n", requests);
  return 0;
}
