// The same count checks against an independent server: Debian's nginx, started by the test with its own
// configuration on a free loopback port, counted through its access log, stopped by PID.
#include "support/nginx.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

using test_support::kNginxBinary;
using test_support::Nginx;

TEST(AgainstNginx, CountsEqualNginxAccessLogWithKeepAlive) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  Nginx nginx;
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run = run_surge({"--url", nginx.url(), "-c", "10", "-d", "2s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 1000u);
  EXPECT_EQ(total, nginx.access_log_lines().size());
  EXPECT_EQ(run.results["requests"]["ok"], total);
  EXPECT_EQ(run.results["bytes"]["body_received"], total * 17);
}

TEST(AgainstNginx, CountsEqualNginxAccessLogWithConnectionClose) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  Nginx nginx;
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run =
      run_surge({"--url", nginx.url(), "-c", "4", "-d", "2s", "-H", "Connection: close", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 100u);
  EXPECT_EQ(total, nginx.access_log_lines().size());
  EXPECT_EQ(run.results["connections"]["opened"], total);
}

}  // namespace
}  // namespace surge::e2e
