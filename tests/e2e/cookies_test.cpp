// Cookies against an independent server: nginx (Debian's, started by the test on a free loopback port and
// stopped by PID) sets cookies with add_header Set-Cookie and echoes the Cookie header it received, so the
// bytes surge sent are checked by the plan's own `expect`s.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support.h"
#include "support/nginx.h"

namespace surge::e2e {
namespace {

using test_support::kNginxBinary;

// /login sets two cookies (one for /account only), /logout deletes the session, every other path answers
// "cookie=[<the Cookie header>]".
test_support::NginxOptions cookie_nginx() {
  test_support::NginxOptions options;
  options.access_log = false;
  options.worker_connections = 256;
  options.locations =
      "    location = /login {\n"
      "      add_header Set-Cookie \"session=abc123; Path=/; HttpOnly; SameSite=Lax\";\n"
      "      add_header Set-Cookie \"pref=dark; Path=/account; Max-Age=3600\";\n"
      "      return 200 \"logged in\\n\";\n    }\n"
      "    location = /logout {\n"
      "      add_header Set-Cookie \"session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT\";\n"
      "      return 200 \"bye\\n\";\n    }\n"
      "    location / { return 200 \"cookie=[$http_cookie]\\n\"; }\n";
  return options;
}

// Login, then three requests whose answers must show exactly the cookies a browser would send.
std::string login_plan(const std::string& address, const std::string& cookies) {
  return write_temp_file("cookies.yaml", "target: http://" + address + R"(
phases: [{ name: main, duration: 60s, users: 1 }]
scenarios:
  - name: account
)" + cookies + R"(
    steps:
      - http: { name: login, url: /login, expect: { contains: "logged in" } }
      - http: { name: orders, url: "/account/orders?page=1", expect: { contains: "cookie=[pref=dark; session=abc123]" } }
      - http: { name: home, url: /, expect: { contains: "cookie=[session=abc123]" } }
      - http: { name: logout, url: /logout }
      - http: { name: after, url: /, expect: { contains: "cookie=[]" } }
)");
}

const nlohmann::json& check_of(const nlohmann::json& results, size_t step) {
  return results["steps"][step]["checks"][0];
}

TEST(Cookies, ALoginCookieIsSentOnTheNextRequestsUntilDeleted) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  test_support::Nginx nginx(cookie_nginx());
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run =
      run_surge({login_plan(nginx.address(), "    cookies: true"), "-n", "15", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  for (size_t step : {1u, 2u, 4u}) {
    EXPECT_EQ(check_of(run.results, step)["passed"], 3) << run.results["steps"][step]["name"];
    EXPECT_EQ(check_of(run.results, step)["failed"], 0) << run.results["steps"][step]["name"];
  }
}

TEST(Cookies, WithoutTheKeyNoCookieIsSent) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  test_support::Nginx nginx(cookie_nginx());
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run = run_surge({login_plan(nginx.address(), ""), "-n", "15", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(check_of(run.results, 1)["failed"], 3);
  EXPECT_EQ(check_of(run.results, 2)["failed"], 3);
  EXPECT_EQ(check_of(run.results, 4)["passed"], 3) << "no Cookie header at all";
}

// The first request of each iteration shows what the jar kept from the iteration before.
std::string fresh_plan(const std::string& address, const std::string& cookies) {
  return write_temp_file("cookies-fresh.yaml", "target: http://" + address + R"(
phases: [{ name: main, duration: 60s, users: 1 }]
scenarios:
  - name: account
)" + cookies + R"(
    steps:
      - http: { name: first, url: /account/x, expect: { contains: "cookie=[]" } }
      - http: { name: login, url: /login }
)");
}

TEST(Cookies, ClearIterationEmptiesTheJarAtEachIteration) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  test_support::Nginx nginx(cookie_nginx());
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run = run_surge(
      {fresh_plan(nginx.address(), "    cookies: { clear: iteration }"), "-n", "8", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(check_of(run.results, 0)["passed"], 4);
  EXPECT_EQ(check_of(run.results, 0)["failed"], 0);
}

TEST(Cookies, ByDefaultTheJarLastsAsLongAsTheUser) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  test_support::Nginx nginx(cookie_nginx());
  ASSERT_EQ(nginx.failure(), "");
  RunOutcome run = run_surge({fresh_plan(nginx.address(), "    cookies: true"), "-n", "8", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(check_of(run.results, 0)["passed"], 1) << "only the first iteration starts with an empty jar";
  EXPECT_EQ(check_of(run.results, 0)["failed"], 3);
}

}  // namespace
}  // namespace surge::e2e
