// `surge serve --stall-every E --stall-for T` on the real command line: the messages and exit code 2 for
// flags that cannot work, and the flags reaching the server when they can.
#include <errno.h>
#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

// `surge serve args...` in a child with stdout and stderr on pipes. Stopped by PID (SIGTERM) at the end.
class SurgeServe {
 public:
  explicit SurgeServe(const std::vector<std::string>& args) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
    std::fflush(stdout);
    std::fflush(stderr);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      std::vector<std::string> argv_text = {SURGE_BINARY, "serve"};
      argv_text.insert(argv_text.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& arg : argv_text) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(SURGE_BINARY, argv.data());
      std::fprintf(stderr, "cannot run %s\n", SURGE_BINARY);
      _exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }
  ~SurgeServe() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    ::close(out_fd_);
    ::close(err_fd_);
  }
  SurgeServe(const SurgeServe&) = delete;
  SurgeServe& operator=(const SurgeServe&) = delete;

  int out_fd() const { return out_fd_; }

  // Waits for the process to exit on its own; returns its exit code.
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string stderr_text() {
    std::string text;
    char chunk[4096];
    ssize_t n;
    while ((n = ::read(err_fd_, chunk, sizeof chunk)) > 0) text.append(chunk, static_cast<size_t>(n));
    return text;
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
};

struct Refusal {
  int exit_code;
  std::string message;
};

Refusal refusal_of(const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"--port", "0"};
  args.insert(args.end(), flags.begin(), flags.end());
  SurgeServe serve(args);
  int code = serve.wait();
  return {code, serve.stderr_text()};
}

TEST(ServeStallFlags, RejectsAStallLongerThanItsPeriod) {
  Refusal refusal = refusal_of({"--stall-every", "1s", "--stall-for", "2s"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message, "--stall-for 2s must be shorter than --stall-every 1s\n");
}

TEST(ServeStallFlags, RejectsAStallAsLongAsItsPeriod) {
  Refusal refusal = refusal_of({"--stall-every", "500ms", "--stall-for", "0.5s"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message, "--stall-for 0.5s must be shorter than --stall-every 500ms\n");
}

TEST(ServeStallFlags, RejectsAStallOfZero) {
  Refusal refusal = refusal_of({"--stall-every", "1s", "--stall-for", "0"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message, "--stall-for 0 must be longer than 0\n");
}

TEST(ServeStallFlags, RejectsStallEveryWithoutStallFor) {
  Refusal refusal = refusal_of({"--stall-every", "1s"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message, "--stall-every needs --stall-for (how long each stall lasts)\n");
}

TEST(ServeStallFlags, RejectsStallForWithoutStallEvery) {
  Refusal refusal = refusal_of({"--stall-for", "100ms"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message, "--stall-for needs --stall-every (how often a stall begins)\n");
}

TEST(ServeStallFlags, RejectsAStallPeriodThatIsNotADuration) {
  Refusal refusal = refusal_of({"--stall-every", "often", "--stall-for", "1s"});
  EXPECT_EQ(refusal.exit_code, 2);
  EXPECT_EQ(refusal.message,
            "invalid --stall-every \"often\": expected a duration like 250us, 20ms, 1s or 1m\n");
}

TEST(ServeStallFlags, TheFlagsReachTheServer) {
  SurgeServe serve({"--port", "0", "--stall-every", "300ms", "--stall-for", "100ms"});
  std::string line = read_line(serve.out_fd());
  ASSERT_EQ(line.rfind("listening on 127.0.0.1:", 0), 0u) << line;
  auto port = static_cast<uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  // Stall 1 spans [300, 400) ms after the start; by 500 ms it is over and stall 2 has not begun.
  int64_t until_ns = core::monotonic_ns() + 500 * core::kNsPerMs;
  timespec until{until_ns / core::kNsPerSec, until_ns % core::kNsPerSec};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
  }
  nlohmann::json stalls = stats_of(port)["stalls"];
  ASSERT_EQ(stalls.size(), 1u) << stalls;
  EXPECT_NEAR(stalls[0]["for_s"].get<double>(), 0.1, 0.005);
}

}  // namespace
}  // namespace surge::serve::testing
