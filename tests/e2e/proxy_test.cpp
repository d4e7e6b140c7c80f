// `surge run` through `surge proxy` to `surge serve`, all real processes on loopback: without a fault the
// counts equal the server's, and faults added over the control API mid-run show in results.json (a reset as
// reset/eof errors, a latency window in the latency figures).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "support.h"

namespace surge::e2e {
namespace {

struct ProxyAddresses {
  std::string listen;
  std::string control;
};

// Reads `surge proxy`'s first two lines: "listening on A", then "control on C".
ProxyAddresses proxy_addresses(Process& proxy) {
  const std::string listen_prefix = "listening on ", control_prefix = "control on ";
  const std::string text = proxy.first_lines(2);
  const size_t control_at = text.find(control_prefix);
  if (text.rfind(listen_prefix, 0) != 0 || control_at == std::string::npos) {
    throw std::runtime_error("surge proxy did not start: " + proxy.stdout_text() + proxy.stderr_text());
  }
  ProxyAddresses addresses;
  addresses.listen = text.substr(listen_prefix.size(), text.find('\n') - listen_prefix.size());
  const size_t start = control_at + control_prefix.size();
  addresses.control = text.substr(start, text.find('\n', start) - start);
  return addresses;
}

// POST a JSON body to http://address/path; returns the status code.
int http_post(const std::string& address, const std::string& path, const std::string& body) {
  const size_t colon = address.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to " + address);
  }
  const std::string request = "POST " + path + " HTTP/1.1\r\nHost: " + address +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("write");
  char response[4096];
  const ssize_t n = read(fd, response, sizeof response);
  close(fd);
  if (n < 12) throw std::runtime_error("no answer from " + address + path);
  return std::stoi(std::string(response + 9, 3));
}

struct Chain {
  Process server{{surge_binary(), "serve", "--port", "0"}};
  std::string server_address = listen_address(server);
  Process proxy{{surge_binary(), "proxy", "--listen", "127.0.0.1:0", "--upstream", server_address,
                 "--control", "127.0.0.1:0"}};
  ProxyAddresses proxy_at = proxy_addresses(proxy);
};

// `surge run` started in the background, so a test can act on the proxy while it runs.
std::vector<std::string> run_argv(const std::string& url, const std::string& duration,
                                  const std::string& json) {
  return {surge_binary(), "run",       "--url", url,       "-c",    "10",          "-d",
          duration,       "--workers", "1",     "--quiet", "--out", "json=" + json};
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream file(path);
  return nlohmann::json::parse(file);
}

TEST(ProxyRun, CountsThroughTheProxyEqualTheServers) {
  Chain chain;
  RunOutcome run =
      run_surge({"--url", "http://" + chain.proxy_at.listen + "/", "-c", "10", "-d", "2s", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const uint64_t total = run.results["requests"]["total"];
  EXPECT_GT(total, 1000u);
  EXPECT_EQ(total, serve_stats(chain.server_address)["requests_total"].get<uint64_t>());
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  const nlohmann::json proxy_stats = nlohmann::json::parse(http_get(chain.proxy_at.control, "/stats"));
  EXPECT_EQ(proxy_stats["connections_accepted"], 10) << "one per user";
  EXPECT_EQ(proxy_stats["bytes_upstream"].get<uint64_t>(), run.results["bytes"]["sent"].get<uint64_t>());
}

TEST(ProxyRun, AResetFaultMidRunShowsAsResetOrEofErrors) {
  Chain chain;
  const std::string json = temp_dir() + "/proxy-reset.json";
  Process run(run_argv("http://" + chain.proxy_at.listen + "/", "3s", json));
  wait_for_requests(chain.server_address, 100);  // the fault lands on a run under way
  ASSERT_EQ(http_post(chain.proxy_at.control, "/faults", R"({"kind":"reset"})"), 201);
  ASSERT_EQ(run.wait(), 0) << run.stderr_text();
  const nlohmann::json results = read_json(json);
  const nlohmann::json& by_error = results["requests"]["by_error"];
  const uint64_t lost = by_error.value("reset", uint64_t{0}) + by_error.value("eof", uint64_t{0});
  EXPECT_GE(lost, 1u) << by_error.dump();
  EXPECT_LE(lost, 10u) << "at most one request in flight on each of the 10 reset connections";
  EXPECT_EQ(results["requests"]["errors"].get<uint64_t>(), lost);
  // A lost request may or may not have reached the server before the reset.
  const uint64_t served = serve_stats(chain.server_address)["requests_total"];
  EXPECT_LE(results["requests"]["ok"].get<uint64_t>(), served);
  EXPECT_LE(served, results["requests"]["total"].get<uint64_t>());
  EXPECT_GT(results["connections"]["opened"].get<uint64_t>(), 10u) << "the users reconnected after the reset";
}

TEST(ProxyRun, ALatencyFaultAddedMidRunShowsInTheLatencyAndEndsOnTime) {
  Chain chain;
  const std::string json = temp_dir() + "/proxy-latency.json";
  Process run(run_argv("http://" + chain.proxy_at.listen + "/", "3s", json));
  wait_for_requests(chain.server_address, 100);  // the fault lands on a run under way
  ASSERT_EQ(http_post(chain.proxy_at.control, "/faults", R"({"kind":"latency","latency":"50ms","for":"1s"})"),
            201);
  ASSERT_EQ(run.wait(), 0) << run.stderr_text();
  const nlohmann::json results = read_json(json);
  const nlohmann::json& latency = results["latency_ms"];
  // Each request is delayed 50 ms on the way in and its response 50 ms on the way out.
  EXPECT_GE(latency["max"].get<double>(), 100.0);
  EXPECT_LT(latency["p50"].get<double>(), 50.0) << "most of the run had no fault";
  EXPECT_EQ(results["requests"]["errors"], 0);
  EXPECT_EQ(nlohmann::json::parse(http_get(chain.proxy_at.control, "/faults"))["faults"].size(), 0u);
}

}  // namespace
}  // namespace surge::e2e
