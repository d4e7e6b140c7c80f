// VirtualUser against peers that break the rules, on real loopback sockets in the test's own loop: an answer
// that comes while the request is still being written, and a connect that nobody completes.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "core/clock.h"
#include "net/address.h"
#include "net/socket.h"
#include "scenario/virtual_user.h"

namespace surge::scenario {
namespace {

// Accepts, writes a complete 503 at once and never reads a byte (a server refusing an upload early).
class EarlyAnswerServer final : public core::EventHandler {
 public:
  explicit EarlyAnswerServer(core::EventLoop& loop) {
    auto fd = net::listen_tcp(*net::parse_numeric_address("127.0.0.1:0"), {});
    EXPECT_TRUE(fd.has_value());
    fd_ = *fd;
    EXPECT_TRUE(loop.add(fd_, EPOLLIN, this).has_value());
    url = "http://" + net::local_address(fd_)->to_string();
  }
  ~EarlyAnswerServer() override {
    for (int client : clients_) close(client);
    close(fd_);
  }
  void on_event(uint32_t) override {
    static constexpr std::string_view kAnswer = "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy";
    for (int client; (client = net::accept_connection(fd_)) >= 0;) {
      clients_.push_back(client);
      EXPECT_EQ(send(client, kAnswer.data(), kAnswer.size(), MSG_NOSIGNAL), static_cast<ssize_t>(kAnswer.size()));
    }
  }
  std::string url;

 private:
  int fd_ = -1;
  std::vector<int> clients_;
};

struct Host final : VuHost {
  void on_iteration_done(VirtualUser&) override { ++iterations_done; }
  void on_stopped(VirtualUser&) override {}
  bool take_request() override { return true; }
  void on_connection_ready(VirtualUser&) override {}
  void on_connection_lost(VirtualUser&) override {}
  int iterations_done = 0;
};

struct Rig {
  void compile(plan::Plan plan, const std::string& url) {
    auto compiled_plan = compile_plan(plan, url);
    ASSERT_TRUE(compiled_plan.has_value());
    compiled = std::move(compiled_plan).value();
    grid = std::make_unique<metrics::StatsGrid>(1, compiled.steps.size());
    context = std::make_unique<WorkerContext>(*loop, compiled, *grid, 1);
    user = std::make_unique<VirtualUser>(*context, host, 0, 0);
  }
  // Runs the loop until one iteration is done (at most 10 s, a hang guard well below the 30 s the early
  // answer would otherwise take: the machine may be busy).
  void run_one_iteration() {
    int64_t give_up = core::monotonic_ns() + 10 * core::kNsPerSec;
    while (host.iterations_done == 0 && core::monotonic_ns() < give_up) {
      ASSERT_TRUE(loop->run_once(10 * core::kNsPerMs).has_value());
    }
  }
  const metrics::RequestStats& stats() { return grid->cell(0, 0); }

  std::unique_ptr<core::EventLoop> loop = std::move(core::EventLoop::create()).value();
  CompiledPlan compiled;
  std::unique_ptr<metrics::StatsGrid> grid;
  std::unique_ptr<WorkerContext> context;
  Host host;
  std::unique_ptr<VirtualUser> user;
};

plan::Plan one_step_plan(const std::string& url, plan::HttpStep step) {
  plan::Plan plan;
  plan.target_url = url;
  step.name = "step";
  step.url = "/";
  plan.scenarios.push_back({"s", 1, {step}, {}});
  return plan;
}

TEST(VirtualUserHostile, AnAnswerThatComesWhileTheBodyIsStillBeingWrittenEndsTheRequest) {
  Rig rig;
  EarlyAnswerServer server(*rig.loop);
  plan::HttpStep upload;
  upload.method = "POST";
  upload.body = std::string(16 << 20, 'b');  // far more than the socket buffers of a peer that never reads
  upload.timeout = std::chrono::seconds(30);  // unread, the answer would only end at this, after a busy loop
  rig.compile(one_step_plan(server.url, upload), server.url);
  rig.user->start_iteration(rig.compiled.scenarios[0]);
  rig.run_one_iteration();
  ASSERT_EQ(rig.host.iterations_done, 1);
  EXPECT_EQ(rig.stats().by_status[503], 1u);
  EXPECT_EQ(rig.stats().by_error[static_cast<size_t>(metrics::ErrorKind::kStatus5xx)], 1u);
  EXPECT_LT(rig.stats().bytes_sent, 16u << 20) << "the request was cut short by the answer";
  EXPECT_EQ(rig.grid->connections(0).closed, 1u) << "a half-sent request leaves the connection unusable";
}

TEST(VirtualUserHostile, AConnectNobodyCompletesEndsAtTheConnectTimeout) {
  // A listener with a full accept queue drops further SYNs, so the connect neither completes nor fails.
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  auto address = net::parse_numeric_address("127.0.0.1:0");
  ASSERT_EQ(bind(listener, address->get(), address->length), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  auto bound = net::local_address(listener);
  int filler = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(filler, bound->get(), bound->length), 0);  // fills the queue of one
  std::string url = "http://" + bound->to_string();
  Rig rig;
  plan::HttpStep get;
  get.timeout = std::chrono::seconds(60);  // far past the hang guard: only the connect timeout can end it
  plan::Plan plan = one_step_plan(url, get);
  plan.timeouts.connect = std::chrono::milliseconds(100);
  rig.compile(plan, url);
  int64_t started = core::monotonic_ns();
  rig.user->start_iteration(rig.compiled.scenarios[0]);
  rig.run_one_iteration();
  int64_t took_ns = core::monotonic_ns() - started;
  close(filler);
  close(listener);
  ASSERT_EQ(rig.host.iterations_done, 1);
  EXPECT_EQ(rig.stats().by_error[static_cast<size_t>(metrics::ErrorKind::kConnectTimeout)], 1u);
  EXPECT_EQ(rig.grid->connections(0).failed, 1u);
  EXPECT_GE(took_ns, 100 * core::kNsPerMs) << "not before the connect timeout";
}

}  // namespace
}  // namespace surge::scenario
