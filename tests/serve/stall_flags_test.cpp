// `surge serve --stall-every E --stall-for T` on the real command line: the messages and exit code 2 for
// flags that cannot work, and the flags reaching the server when they can.
#include <errno.h>
#include <gtest/gtest.h>
#include <time.h>

#include <string>
#include <vector>

#include "core/clock.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

// The argv of `surge serve args...`, for the shared launcher (which kills the child by PID at the end).
std::vector<std::string> surge_serve(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {SURGE_BINARY, "serve"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

struct Refusal {
  int exit_code;
  std::string message;
};

Refusal refusal_of(const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"--port", "0"};
  args.insert(args.end(), flags.begin(), flags.end());
  test_support::ChildProcess serve(surge_serve(args));
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
  test_support::ChildProcess serve(
      surge_serve({"--port", "0", "--stall-every", "300ms", "--stall-for", "100ms"}));
  std::string line = serve.first_line();
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
