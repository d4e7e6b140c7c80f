// Secrets never reach an output (every report kind, the summary, the failed-request log), the Prometheus
// endpoint and the proxy's control API take a bearer token and bind loopback by default, and a plan reads
// files outside its folder only with --allow-outside-files.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <filesystem>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

// The status of one HTTP/1.0 GET to 127.0.0.1:port with the given extra header lines (raw socket: no client
// library that could add or fix anything).
int raw_get_status(int port, const std::string& target, const std::string& header_lines = "") {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  const std::string request = "GET " + target + " HTTP/1.0\r\n" + header_lines + "\r\n";
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char head[64] = {};
  const ssize_t n = recv(fd, head, sizeof head - 1, MSG_WAITALL);
  close(fd);
  return n >= 12 ? std::atoi(head + 9) : -1;
}

// Polls a growing file for the text after `marker` up to the end of its line.
std::string wait_for_line_after(const std::function<std::string()>& read, const std::string& marker) {
  for (int i = 0; i < 1000; ++i) {
    const std::string text = read();
    const size_t at = text.find(marker);
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      return text.substr(at + marker.size(), text.find('\n', at) - at - marker.size());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "";
}

int port_of(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

TEST(Redaction, NoOutputOfARunHoldsAnAuthorizationValueOrASecretVariable) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  setenv("SURGE_E2E_SECRET_KEY", "k3y-from-env-42", 1);
  const std::string dir = temp_dir() + "/redaction";
  std::filesystem::create_directories(dir);
  // The secrets are where they would leak: a step name written by hand, a URL sent to a 404 (logged), the
  // headers of the logged requests.
  const std::string plan = write_temp_file("redaction.yaml", "target: http://" + address + R"(
secret_env: [SURGE_E2E_SECRET_KEY]
headers: { Authorization: "Bearer SECRET123" }
phases: [{ name: load, duration: 1s, users: 2 }]
scenarios:
  - name: s
    steps:
      - http: { name: "home SECRET123", url: / }
      - http: { url: "/missing?key={{ env.SURGE_E2E_SECRET_KEY }}", headers: { X-Api-Key: { value: "{{ env.SURGE_E2E_SECRET_KEY }}", secret: true } } }
)");
  Process run({surge_binary(), "run", plan, "--workers", "2", "--log-requests", "4", "--log-requests-file",
               dir + "/failed.log", "--out", "json=" + dir + "/r.json", "--out", "csv=" + dir + "/r.csv", "--out",
               "html=" + dir + "/r.html", "--out", "junit=" + dir + "/r.xml", "--out", "hlog=" + dir + "/r.hlog"});
  EXPECT_EQ(run.wait(30), 0) << run.stderr_text();
  const std::string log = read_file(dir + "/failed.log");
  EXPECT_NE(log.find("> Authorization: ***\n"), std::string::npos) << log;
  EXPECT_NE(log.find("> X-Api-Key: ***\n"), std::string::npos) << log;
  EXPECT_NE(log.find("> GET /missing?key=*** HTTP/1.1\n"), std::string::npos) << log;
  EXPECT_NE(log.find("< HTTP/1.1 404"), std::string::npos) << log;
  size_t records = 0;
  for (size_t at = log.find("--- surge: failed request"); at != std::string::npos; at = log.find("---", at + 1)) {
    ++records;
  }
  EXPECT_EQ(records, 4u);
  std::vector<std::pair<std::string, std::string>> outputs = {{"stdout", run.stdout_text()},
                                                              {"stderr", run.stderr_text()}};
  for (const char* name : {"failed.log", "r.json", "r.csv", "r.html", "r.xml", "r.hlog"}) {
    outputs.emplace_back(name, read_file(dir + "/" + name));
    EXPECT_FALSE(outputs.back().second.empty()) << name;
  }
  for (const auto& [name, text] : outputs) {
    EXPECT_EQ(text.find("SECRET123"), std::string::npos) << name;
    EXPECT_EQ(text.find("k3y-from-env-42"), std::string::npos) << name;
  }
  nlohmann::json results = nlohmann::json::parse(read_file(dir + "/r.json"));
  EXPECT_EQ(results["steps"][0]["name"], "home ***");
  EXPECT_EQ(results["steps"][1]["requests"]["by_status"]["404"], results["steps"][1]["requests"]["total"]);
}

// A value captured with `secret: true` is unknown until the run: the failed-request log hides it per user, in
// the request line as much as in headers, while the requests still carry it (the whoami check sees it).
TEST(Redaction, ASecretCaptureIsHiddenInTheFailedRequestLog) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/secret-capture";
  std::filesystem::create_directories(dir);
  const std::string plan = write_temp_file("secret_capture.yaml", "target: http://" + address + R"(
phases: [{ name: load, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { method: POST, url: /v1/login, json: { user: capt-secret-user }, capture: { token: { json: "$.token", secret: true } } }
      - http: { name: whoami, url: /v1/whoami, headers: { Authorization: "Bearer {{ token }}" }, expect: { contains: "Bearer tok-capt-" } }
      - http: { name: missing, url: "/missing?t={{ token }}" }
)");
  Process run({surge_binary(), "run", plan, "--workers", "1", "--log-requests", "3", "--log-requests-file",
               dir + "/failed.log", "--out", "json=" + dir + "/r.json"});
  EXPECT_EQ(run.wait(30), 0) << run.stderr_text();
  const std::string log = read_file(dir + "/failed.log");
  EXPECT_NE(log.find("> GET /missing?t=*** HTTP/1.1\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("tok-capt-secret-user"), std::string::npos) << log;
  nlohmann::json results = nlohmann::json::parse(read_file(dir + "/r.json"));
  uint64_t whoami_ok = 0;
  for (const auto& step : results["steps"]) {
    if (step["name"] == "whoami") whoami_ok = step["requests"]["ok"];
  }
  EXPECT_GT(whoami_ok, 0u) << "the requests carried the captured token";
}

// Not a capture source, or not a flag: plan errors with their position.
TEST(Redaction, ABadSecretFlagOnACaptureIsAPlanError) {
  const std::string plan = write_temp_file("secret_capture_bad.yaml", R"(target: http://127.0.0.1:9
phases: [{ name: load, duration: 1s, users: 1 }]
scenarios:
  - name: s
    steps:
      - http: { url: /, capture: { token: { json: "$.token", secret: maybe } } }
)");
  RunOutcome run = run_surge({plan});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("secret_capture_bad.yaml:6:"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("secret: expected true or false, found 'maybe'"), std::string::npos) << run.stderr_text;
}

TEST(Redaction, QuickModeHidesAnAuthorizationHeaderInTheRequestLog) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/missing", "-c", "1", "-n", "20", "-H",
                              "Authorization: Bearer QUICKSECRET", "--log-requests", "3"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.stderr_text.find("> Authorization: ***\n"), std::string::npos) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("--- surge: failed request: scenario 'default', step 'GET /missing', error "
                                 "status_4xx, status 404\n"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_EQ(run.stderr_text.find("QUICKSECRET"), std::string::npos);
  EXPECT_EQ(run.stdout_text.find("QUICKSECRET"), std::string::npos);
  EXPECT_EQ(run.results["requests"]["total"], 20);
}

TEST(SafeDefaults, PrometheusAnswers401WithoutItsBearerTokenAndBindsLoopbackForABarePort) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c", "1", "-d", "20s",
               "--prometheus", "0", "--prometheus-token", "scrape-token-1"});
  const std::string metrics = wait_for_line_after([&] { return run.stderr_text(); }, "Prometheus metrics on http://");
  ASSERT_EQ(metrics.rfind("127.0.0.1:", 0), 0u) << run.stderr_text();
  const int port = port_of(metrics.substr(0, metrics.find('/')));
  EXPECT_EQ(raw_get_status(port, "/metrics"), 401);
  EXPECT_EQ(raw_get_status(port, "/metrics", "Authorization: Bearer wrong-token\r\n"), 401);
  EXPECT_EQ(raw_get_status(port, "/metrics", "Authorization: Basic c2NyYXBlLXRva2VuLTE=\r\n"), 401);
  EXPECT_EQ(raw_get_status(port, "/metrics", "Authorization: Bearer scrape-token-1\r\n"), 200);
  EXPECT_EQ(raw_get_status(port, "/metrics", "authorization: bearer scrape-token-1\r\n"), 200);
  kill(run.pid(), SIGTERM);
  run.wait(15);
}

TEST(SafeDefaults, PrometheusTakesItsTokenFromTheEnvironment) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  Process run({"env", "SURGE_PROMETHEUS_TOKEN=env-token-2", surge_binary(), "run", "--url",
               "http://" + address + "/", "-c", "1", "-d", "20s", "--prometheus", "127.0.0.1:0"});
  const std::string metrics = wait_for_line_after([&] { return run.stderr_text(); }, "Prometheus metrics on http://");
  const int port = port_of(metrics.substr(0, metrics.find('/')));
  EXPECT_EQ(raw_get_status(port, "/metrics"), 401);
  EXPECT_EQ(raw_get_status(port, "/metrics", "Authorization: Bearer env-token-2\r\n"), 200);
  kill(run.pid(), SIGTERM);
  run.wait(15);
}

TEST(SafeDefaults, TheProxyControlApiAnswers401WithoutItsBearerTokenAndBindsLoopbackForABarePort) {
  Process proxy({surge_binary(), "proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9", "--control", "0",
                 "--control-token", "control-token-3"});
  const std::string control = wait_for_line_after([&] { return proxy.stdout_text(); }, "control on ");
  ASSERT_EQ(control.rfind("127.0.0.1:", 0), 0u) << proxy.stdout_text() << proxy.stderr_text();
  const int port = port_of(control);
  EXPECT_EQ(raw_get_status(port, "/faults"), 401);
  EXPECT_EQ(raw_get_status(port, "/faults", "Authorization: Bearer control-token-4\r\n"), 401);
  EXPECT_EQ(raw_get_status(port, "/faults", "Authorization: Bearer control-token-3\r\n"), 200);
}

TEST(SafeDefaults, ServeListensOnLoopbackUnlessAnAddressIsGiven) {
  Process server({surge_binary(), "serve", "--port", "0"});
  EXPECT_EQ(listen_address(server).rfind("127.0.0.1:", 0), 0u);
}

TEST(PlanFiles, AFeederOutsideThePlansFolderNeedsAllowOutsideFiles) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const std::string dir = temp_dir() + "/plan-files";
  std::filesystem::create_directories(dir + "/plans");
  write_temp_file("plan-files/names.csv", "name\nalice\n");
  const std::string plan = write_temp_file("plan-files/plans/plan.yaml", "target: http://" + address + R"(
feeders: [{ name: users, file: ../names.csv }]
phases: [{ name: load, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ http: { url: "/?u={{ users.name }}" } }] }]
)");
  RunOutcome refused = run_surge({plan});
  EXPECT_EQ(refused.exit_code, 2);
  const std::string real_dir = std::filesystem::canonical(dir).string();
  EXPECT_NE(refused.stderr_text.find(plan + ":2:32: '../names.csv' is outside the plan's folder " + real_dir +
                                     "/plans (it resolves to " + real_dir + "/names.csv); a plan reads files only "
                                     "from its own folder unless --allow-outside-files is given"),
            std::string::npos)
      << refused.stderr_text;
  RunOutcome allowed = run_surge({plan, "--allow-outside-files"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.stderr_text;
  EXPECT_GT(allowed.results["requests"]["ok"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace surge::e2e
