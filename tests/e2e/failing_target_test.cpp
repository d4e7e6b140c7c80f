// Targets that fail in each way a network can: nothing listening, a server that never answers, a server that
// resets. Each run must end on its own (no hang), exit 1, and count the right error kind.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

int listen_on_loopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(listen(fd, 128), 0);
  socklen_t length = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  *port = ntohs(addr.sin_port);
  return fd;
}

TEST(FailingTarget, RefusedPortEndsQuicklyWithRefusedErrors) {
  int port = free_port();
  RunOutcome run = run_surge({"--url", "http://127.0.0.1:" + std::to_string(port) + "/", "-c", "4", "-d", "30s"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_LT(run.elapsed_s, 5.0) << "a target that refuses everything must not keep the run going";
  EXPECT_GT(run.results["requests"]["by_error"]["refused"].get<uint64_t>(), 0u);
  EXPECT_EQ(run.results["requests"]["ok"], 0);
  EXPECT_EQ(run.results["connections"]["opened"], 0);
  EXPECT_EQ(run.results["stop_reason"], "no connection to the target succeeded during the first second");
}

TEST(FailingTarget, SilentServerEndsWithTimeoutErrors) {
  int port = 0;
  int fd = listen_on_loopback(&port);  // the kernel completes handshakes; nobody ever reads or answers
  RunOutcome run = run_surge({"--url", "http://127.0.0.1:" + std::to_string(port) + "/", "-c", "3", "-d", "2s",
                              "--timeout", "500ms", "--workers", "1"});
  close(fd);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_LT(run.elapsed_s, 5.0);
  // 3 users, each timing out every 500 ms for 2 s, and the requests in flight at the end time out too.
  EXPECT_EQ(run.results["requests"]["by_error"]["timeout"], 12);
  EXPECT_EQ(run.results["requests"]["total"], 12);
  EXPECT_FALSE(run.results.contains("latency_ms"));
}

// A one-connection-at-a-time server on its own thread: reads a request, then does `answer` with the socket.
class ScriptedServer {
 public:
  template <class Answer>
  explicit ScriptedServer(Answer answer) : listen_fd_(listen_on_loopback(&port_)) {
    thread_ = std::thread([this, answer] {
      while (!stop_) {
        pollfd pfd{listen_fd_, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0) continue;
        int fd = accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        char buffer[4096];
        pollfd cfd{fd, POLLIN, 0};
        if (poll(&cfd, 1, 1000) > 0) (void)read(fd, buffer, sizeof buffer);
        answer(fd);
        close(fd);
      }
    });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    close(listen_fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int port_ = 0;
  int listen_fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(FailingTarget, GarbageResponsesAreParseErrors) {
  ScriptedServer server([](int fd) {
    const char garbage[] = "HTTP/1.1 2000 WHAT\r\nno colon here\r\n\r\n";
    (void)write(fd, garbage, sizeof garbage - 1);
  });
  RunOutcome run = run_surge({"--url", server.url(), "-c", "2", "-n", "50", "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.results["requests"]["by_error"]["parse"], 50);
  EXPECT_EQ(run.results["requests"]["total"], 50);
}

TEST(FailingTarget, ResettingServerEndsWithResetErrors) {
  ScriptedServer server([](int fd) {
    linger hard_close{1, 0};  // close with RST instead of FIN
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard_close, sizeof hard_close);
  });
  RunOutcome run = run_surge({"--url", server.url(), "-c", "2", "-d", "1s", "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1);
  uint64_t resets = run.results["requests"]["by_error"].value("reset", 0);
  EXPECT_GT(resets, 0u);
  EXPECT_EQ(run.results["requests"]["errors"], run.results["requests"]["total"]);
  EXPECT_EQ(run.results["requests"]["ok"], 0);
}

TEST(FailingTarget, BadUrlIsAUsageError) {
  RunOutcome run = run_surge({"--url", "ftp://example/"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("invalid --url"), std::string::npos) << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
