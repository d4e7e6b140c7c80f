// https:// and wss:// against Debian's nginx terminating TLS with a throwaway CA made by the openssl CLI at
// test time (SAN DNS:localhost, IP:127.0.0.1). Counts are checked against nginx's access log, whose lines
// carry the connection serial, whether the TLS session was reused and the SNI name the client sent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>

#include "support.h"
#include "support/nginx.h"

namespace surge::e2e {
namespace {

using test_support::kNginxBinary;
constexpr const char* kOpenssl = "/usr/bin/openssl";

void run_shell(const std::string& command) { ASSERT_EQ(std::system(command.c_str()), 0) << command; }

// ca.pem, server.pem and server.key in a folder of their own, made once per test binary.
const std::string& certificates() {
  static const std::string dir = [] {
    std::string out = temp_dir() + "/tls-certs";
    std::string openssl = kOpenssl;
    run_shell("mkdir -p " + out);
    run_shell(
        "cd " + out + " && " + openssl +
        " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=surge-test-ca"
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
        " -keyout ca.key -out ca.pem 2>/dev/null && " +
        openssl +
        " req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost"
        " -keyout server.key -out server.csr 2>/dev/null && "
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > ext.cnf && " +
        openssl +
        " x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
        " -extfile ext.cnf -out server.pem 2>/dev/null");
    return out;
  }();
  return dir;
}

// nginx with `listen ... ssl`, logging each request's connection serial, session reuse and SNI name.
// `upstream` "": no /ws proxy.
class TlsNginx {
 public:
  explicit TlsNginx(const std::string& upstream = "") : nginx_(options(upstream)) {
    EXPECT_EQ(nginx_.failure(), "");
  }

  std::string url(const std::string& host, const std::string& path = "/") const {
    return "https://" + host + ":" + std::to_string(nginx_.port()) + path;
  }
  std::vector<std::string> log_lines() const { return nginx_.access_log_lines(); }
  uint64_t connections() const {  // distinct connection serials that carried a request
    std::set<std::string> serials;
    for (const std::string& line : log_lines()) serials.insert(line.substr(0, line.find(' ')));
    return serials.size();
  }
  uint64_t resumed_connections() const {  // $ssl_session_reused is "r" on a resumed session
    std::set<std::string> serials;
    for (const std::string& line : log_lines()) {
      if (line.find(" r sni=") != std::string::npos) serials.insert(line.substr(0, line.find(' ')));
    }
    return serials.size();
  }

 private:
  static test_support::NginxOptions options(const std::string& upstream) {
    const std::string& certs = certificates();
    test_support::NginxOptions options;
    options.certificate = certs + "/server.pem";
    options.certificate_key = certs + "/server.key";
    options.log_format = "$connection $ssl_session_reused sni=$ssl_server_name $uri";
    options.http_directives = "  keepalive_requests 1000000;\n";
    options.locations =
        "    location = /sni { return 200 \"sni=$ssl_server_name\\n\"; }\n"
        "    location / { return 200 \"hello over tls\\n\"; }\n";
    if (!upstream.empty()) {
      options.locations +=
          "    location /ws { proxy_pass http://" + upstream +
          "; proxy_http_version 1.1;\n"
          "      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\"; }\n";
    }
    return options;
  }

  test_support::Nginx nginx_;
};

// The CA file is named relative to the plan (both live in temp_dir()), as users write it; TlsNginx made it.
std::string plan_file(const std::string& target, const std::string& tls, const std::string& steps,
                      const std::string& phase = "{ name: main, duration: 1s, users: 3 }") {
  std::string text = "target: " + target + "\n" + (tls.empty() ? "" : "tls: " + tls + "\n") + "phases: [" +
                     phase + "]\nscenarios:\n  - name: s\n    steps:\n" + steps;
  return write_temp_file("tls.yaml", text);
}

void require_tools() {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  ASSERT_EQ(access(kOpenssl, X_OK), 0)
      << "the openssl CLI is required (scripts/install-deps.sh installs openssl)";
}

TEST(Tls, AVerifiedRunCountsWhatNginxCountsAndOneHandshakePerConnection) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("localhost"), "{ ca_file: tls-certs/ca.pem }",
                               "      - http: { url: /, expect: { contains: hello over tls } }\n");
  RunOutcome run = run_surge({plan, "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 100u);
  EXPECT_EQ(run.results["requests"]["ok"], total);
  EXPECT_EQ(total, nginx.log_lines().size());
  const nlohmann::json& connections = run.results["connections"];
  EXPECT_EQ(connections["opened"], nginx.connections());
  EXPECT_EQ(connections["failed"], 0);
  ASSERT_TRUE(connections.contains("tls_handshake_ms")) << connections.dump();
  EXPECT_GT(connections["tls_handshake_ms"]["p50"].get<double>(), 0);
  EXPECT_TRUE(run.results["phases"][0]["connections"].contains("tls_handshake_ms"));
  EXPECT_NE(run.stdout_text.find("tls handshake"), std::string::npos) << run.stdout_text;
}

TEST(Tls, AnUntrustedCertificateFailsEveryRequestAsTls) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("localhost"), "", "      - http: { url: / }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 0u);
  EXPECT_EQ(run.results["requests"]["by_error"]["tls"], total) << run.results["requests"].dump();
  EXPECT_EQ(run.results["connections"]["failed"], total);
  EXPECT_EQ(run.results["connections"]["opened"], 0);
  EXPECT_FALSE(run.results["connections"].contains("tls_handshake_ms"));
  EXPECT_EQ(nginx.log_lines().size(), 0u) << "no request got through";
}

TEST(Tls, InsecureSkipsVerificationWithoutACaFile) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("localhost"), "{ insecure: true }", "      - http: { url: / }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 100u);
  EXPECT_EQ(run.results["requests"]["ok"], total);
  EXPECT_EQ(total, nginx.log_lines().size());
}

TEST(Tls, TheUrlHostIsSentAsSni) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("localhost"), "{ ca_file: tls-certs/ca.pem }",
                               "      - http: { url: /sni, expect: { contains: sni=localhost } }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_GT(run.results["requests"]["ok"].get<uint64_t>(), 0u);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
}

TEST(Tls, ServerNameOverridesTheSniName) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("localhost"), "{ insecure: true, server_name: other.test }",
                               "      - http: { url: /sni, expect: { contains: sni=other.test } }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_GT(run.results["requests"]["ok"].get<uint64_t>(), 0u);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
}

TEST(Tls, ANameTheCertificateDoesNotCoverFailsVerification) {
  require_tools();
  TlsNginx nginx;
  std::string plan =
      plan_file(nginx.url("localhost"), "{ ca_file: tls-certs/ca.pem, server_name: other.test }",
                "      - http: { url: / }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  EXPECT_EQ(run.exit_code, 1);
  uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 0u);
  EXPECT_EQ(run.results["requests"]["by_error"]["tls"], total);
}

TEST(Tls, AnIpTargetVerifiesAgainstTheIpSanAndSendsNoSni) {
  require_tools();
  TlsNginx nginx;
  std::string plan = plan_file(nginx.url("127.0.0.1"), "{ ca_file: tls-certs/ca.pem }",
                               "      - http: { url: /sni, expect: { contains: \"sni=\\n\" } }\n");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_GT(run.results["requests"]["ok"].get<uint64_t>(), 0u);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
}

TEST(Tls, KeepAliveMakesOneHandshakePerConnection) {
  require_tools();
  TlsNginx nginx;
  RunOutcome run =
      run_surge({"--url", nginx.url("localhost"), "--insecure", "-c", "3", "-n", "3000", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["ok"], 3000);
  EXPECT_EQ(nginx.log_lines().size(), 3000u);
  EXPECT_EQ(nginx.connections(), 3u);
  EXPECT_EQ(run.results["connections"]["opened"], 3);
}

TEST(Tls, ReconnectsResumeTheSessionInsteadOfAFullHandshake) {
  require_tools();
  TlsNginx nginx;
  RunOutcome run = run_surge({"--url", nginx.url("localhost"), "--insecure", "-c", "1", "-n", "20", "-H",
                              "Connection: close", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(run.results["connections"]["opened"], 20);
  EXPECT_EQ(nginx.connections(), 20u);
  EXPECT_EQ(nginx.resumed_connections(), 19u) << "every reconnect after the first resumes";
  EXPECT_EQ(run.results["connections"]["tls_resumed"], 19);
}

TEST(Tls, WssThroughNginxEchoesAndMatchesServeCounts) {
  require_tools();
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  TlsNginx nginx(address);
  std::string plan = plan_file(nginx.url("localhost"), "{ ca_file: tls-certs/ca.pem }",
                               "      - ws: { connect: /ws }\n"
                               "      - ws: { send: 'hi {{ vu.id }}', expect: { contains: hi } }\n"
                               "      - ws: { close: 1000 }\n",
                               "{ name: main, duration: 1s, users: 2 }");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  nlohmann::json stats = serve_stats(address);
  const nlohmann::json& steps = run.results["steps"];
  ASSERT_EQ(steps.size(), 3u);
  uint64_t connects = steps[0]["requests"]["ok"];
  EXPECT_GT(connects, 10u);
  EXPECT_EQ(steps[0]["requests"]["errors"], 0);
  EXPECT_EQ(stats["ws"]["upgrades"], connects);
  EXPECT_EQ(stats["ws"]["messages_in"], steps[1]["requests"]["ok"]);
  EXPECT_EQ(run.results["connections"]["opened"], connects);
  EXPECT_EQ(nginx.connections(), connects) << "one TLS connection per WebSocket session";
}

TEST(Tls, AMissingCaFileIsAPlanErrorWithItsPosition) {
  std::string plan =
      plan_file("https://localhost:1/", "{ ca_file: no-such.pem }", "      - http: { url: / }\n");
  RunOutcome run = run_surge({plan});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("tls.yaml:2:17: ca_file 'no-such.pem': cannot read"), std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
