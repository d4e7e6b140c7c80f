// The worker's promise: after warm-up, answering requests allocates nothing. The server runs in-process on
// a thread of its own, and only that thread's allocations are counted (the test's client allocates freely).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "core/clock.h"
#include "core/event_loop.h"
#include "net/address.h"
#include "net/socket.h"
#include "serve/stats.h"
#include "serve/worker.h"
#include "serve_support.h"

namespace {

thread_local bool counting_this_thread = false;
std::atomic<uint64_t> server_allocations{0};

}  // namespace

// The replacement pair is malloc/free underneath; GCC sees free() of an operator-new pointer and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(size_t size) {
  if (counting_this_thread) server_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
#pragma GCC diagnostic pop

namespace surge::serve::testing {
namespace {

TEST(ServeAllocations, AnsweringRequestsAllocatesNothingAfterWarmUp) {
  auto stats = SharedStats::create(1, core::monotonic_ns());
  ASSERT_TRUE(stats);
  auto address = net::parse_numeric_address("127.0.0.1:0");
  ASSERT_TRUE(address);
  auto listen_fd = net::listen_tcp(*address, {});
  ASSERT_TRUE(listen_fd);
  uint16_t port = net::local_address(*listen_fd)->port();
  std::atomic<bool> stop{false};
  std::atomic<bool> counting{false};
  std::thread server([&] {
    auto loop = core::EventLoop::create();
    Worker worker(**loop, *listen_fd, ServeOptions{}, *stats, 0);
    ASSERT_TRUE(worker.start());
    while (!stop.load()) {
      counting_this_thread = counting.load();
      ASSERT_TRUE((*loop)->run_once(5 * core::kNsPerMs));
    }
    counting_this_thread = false;
  });

  Client client(port);
  std::string echo = "POST /echo HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
  std::string chunked_echo = "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  std::string login = "POST /v1/login HTTP/1.1\r\nContent-Length: 14\r\n\r\n{\"user\":\"u1\"}";
  std::string complete = "POST /v1/complete HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}";
  std::string api = login + get("/v1/whoami", "Authorization: Bearer tok-u1\r\n") +
                    get("/v1/repos/r1/search?q=x") + complete;
  std::string stream = "POST /v1/complete HTTP/1.1\r\nContent-Length: 15\r\n\r\n{\"stream\":true}";
  std::string requests = get("/") + get("/json") + get("/delay/1") + get("/status/503") + get("/nowhere") +
                         get("/bytes/300000") + echo + chunked_echo + api;
  auto exchange = [&] {
    client.send(requests);
    for (int i = 0; i < 12; ++i) take_length_response(client);
    client.send(get("/bytes/70000?encoding=chunked") + stream);
    for (int i = 0; i < 2; ++i) {
      client.take_head();
      take_chunked_body(client);
    }
  };
  for (int i = 0; i < 20; ++i) exchange();  // warm-up: buffers and the timer heap reach their size
  counting = true;
  for (int i = 0; i < 200; ++i) exchange();
  counting = false;
  uint64_t allocations = server_allocations.load();
  stop = true;
  server.join();
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace surge::serve::testing
