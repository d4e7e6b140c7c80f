// The same count checks against an independent server: Debian's nginx, started by the test with its own
// configuration on a free loopback port, counted through its access log, stopped by PID.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

class Nginx {
 public:
  Nginx() : port_(free_port()), dir_(temp_dir() + "/nginx-" + std::to_string(port_)) {
    std::string mkdir = "mkdir -p " + dir_;
    EXPECT_EQ(std::system(mkdir.c_str()), 0);
    std::ofstream(dir_ + "/nginx.conf") << "worker_processes 1;\n"
                                           "daemon off;\n"
                                           "pid " << dir_ << "/nginx.pid;\n"
                                           "error_log " << dir_ << "/error.log;\n"
                                           "events { worker_connections 1024; }\n"
                                           "http {\n"
                                           "  access_log " << dir_ << "/access.log;\n"
                                           "  client_body_temp_path " << dir_ << ";\n"
                                           "  proxy_temp_path " << dir_ << ";\n"
                                           "  fastcgi_temp_path " << dir_ << ";\n"
                                           "  uwsgi_temp_path " << dir_ << ";\n"
                                           "  scgi_temp_path " << dir_ << ";\n"
                                           "  server {\n"
                                           "    listen 127.0.0.1:" << port_ << ";\n"
                                           "    location / { return 200 \"hello from nginx\\n\"; }\n"
                                           "  }\n"
                                           "}\n";
    process_ = std::make_unique<Process>(std::vector<std::string>{kNginx, "-p", dir_, "-c", dir_ + "/nginx.conf"});
  }
  ~Nginx() { process_->terminate(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Requests nginx answered, as its access log counts them.
  uint64_t requests_logged() const {
    std::ifstream log(dir_ + "/access.log");
    uint64_t lines = 0;
    std::string line;
    while (std::getline(log, line)) ++lines;
    return lines;
  }

  void wait_until_ready() const {
    for (int i = 0; i < 200; ++i) {
      try {
        http_get(address(), "/");
        return;
      } catch (const std::exception&) {
        usleep(20'000);  // nginx gives no ready line: poll its port
      }
    }
    FAIL() << "nginx did not start: " << process_->stderr_text();
  }

 private:
  int port_;
  std::string dir_;
  std::unique_ptr<Process> process_;
};

TEST(AgainstNginx, CountsEqualNginxAccessLogWithKeepAlive) {
  ASSERT_EQ(access(kNginx, X_OK), 0) << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  Nginx nginx;
  nginx.wait_until_ready();
  uint64_t before = nginx.requests_logged();
  RunOutcome run = run_surge({"--url", nginx.url(), "-c", "10", "-d", "2s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 1000u);
  EXPECT_EQ(total, nginx.requests_logged() - before);
  EXPECT_EQ(run.results["requests"]["ok"], total);
  EXPECT_EQ(run.results["bytes"]["body_received"], total * 17);
}

TEST(AgainstNginx, CountsEqualNginxAccessLogWithConnectionClose) {
  ASSERT_EQ(access(kNginx, X_OK), 0) << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  Nginx nginx;
  nginx.wait_until_ready();
  uint64_t before = nginx.requests_logged();
  RunOutcome run = run_surge({"--url", nginx.url(), "-c", "4", "-d", "2s", "-H", "Connection: close", "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 100u);
  EXPECT_EQ(total, nginx.requests_logged() - before);
  EXPECT_EQ(run.results["connections"]["opened"], total);
}

}  // namespace
}  // namespace surge::e2e
