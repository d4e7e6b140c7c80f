// The CodePal API of the real `surge serve` binary (the target of examples/codepal.yaml): a token that comes
// back byte for byte, the X-Cache headers a client saw against the server's own counts, quick mode's count
// of an API route against the server's, and the --cache-hit-ratio flag.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <stdexcept>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

struct Response {
  int status = 0;
  std::string head, body;
  std::string header(const std::string& name) const {
    size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    size_t start = at + name.size() + 4;
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// One keep-alive loopback connection, one request at a time; responses must carry Content-Length.
class ApiClient {
 public:
  explicit ApiClient(const std::string& address) {
    size_t colon = address.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("cannot connect to " + address);
  }
  ~ApiClient() { close(fd_); }

  // The body goes with POST only (with its Content-Length); other methods send none.
  Response send(const std::string& method, const std::string& path, const std::string& body = "",
                const std::string& headers = "") {
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: codepal\r\n" + headers;
    if (method == "POST") {
      request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\n\r\n" + body;
    } else {
      request += "\r\n";
    }
    if (write(fd_, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
      throw std::runtime_error("short write");
    Response response;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) fill();
    response.head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    response.status = std::stoi(response.head.substr(9, 3));
    size_t length = std::stoul(response.header("Content-Length"));
    while (buffer_.size() < length) fill();
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

 private:
  void fill() {
    char chunk[16384];
    ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n <= 0) throw std::runtime_error("connection closed or timed out");
    buffer_.append(chunk, static_cast<size_t>(n));
  }

  int fd_ = -1;
  std::string buffer_;
};

TEST(CodepalApi, SendsTheLoggedInTokenBackByteForByte) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  ApiClient client(address);
  Response login = client.send("POST", "/v1/login", R"({"user":"u7"})");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(login.body, R"({"token":"tok-u7","user":"u7"})");
  std::string token = nlohmann::json::parse(login.body)["token"];
  Response whoami = client.send("GET", "/v1/whoami", "", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(whoami.status, 200);
  EXPECT_EQ(whoami.body, R"({"authorization":"Bearer tok-u7"})");
  EXPECT_EQ(client.send("GET", "/v1/whoami").status, 401);
  EXPECT_EQ(client.send("POST", "/v1/login", "{}").status, 400);
}

TEST(CodepalApi, CountsTheCacheHeadersTheClientSawAndEveryRoute) {
  Process server({surge_binary(), "serve", "--port", "0", "--cache-hit-ratio", "0.3"});
  std::string address = listen_address(server);
  ApiClient client(address);
  const std::pair<const char*, const char*> content[] = {{"POST", "/v1/complete"},
                                                         {"POST", "/v1/agents/handoff"},
                                                         {"POST", "/v1/optimize"},
                                                         {"GET", "/v1/repos/core/files"},
                                                         {"GET", "/v1/repos/core/search?q=main"},
                                                         {"POST", "/v1/repos/core/index"}};
  std::map<std::string, int> seen;
  for (int i = 0; i < 600; ++i) {
    Response response = client.send(content[i % 6].first, content[i % 6].second, "{}");
    ASSERT_EQ(response.status, 200) << content[i % 6].second;
    ++seen[response.header("X-Cache")];
  }
  client.send("POST", "/v1/login", R"({"user":"a"})");
  client.send("GET", "/v1/whoami", "", "Authorization: x\r\n");
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(seen["HIT"], 180);  // floor(600 · 0.3 + 1/2)
  EXPECT_EQ(seen["MISS"], 420);
  EXPECT_EQ(stats["cache"]["hit"], seen["HIT"]);
  EXPECT_EQ(stats["cache"]["miss"], seen["MISS"]);
  EXPECT_EQ(stats["by_path"]["/v1/complete"], 100);
  EXPECT_EQ(stats["by_path"]["/v1/agents/handoff"], 100);
  EXPECT_EQ(stats["by_path"]["/v1/optimize"], 100);
  EXPECT_EQ(stats["by_path"]["/v1/repos"], 300);
  EXPECT_EQ(stats["by_path"]["/v1/login"], 1);
  EXPECT_EQ(stats["by_path"]["/v1/whoami"], 1);
  EXPECT_EQ(stats["requests_total"], 602);
}

TEST(CodepalApi, QuickModeCountsWhatTheServerAnsweredOnAnApiRoute) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge(
      {"--url", "http://" + address + "/v1/repos/r1/search?q=x", "-c", "4", "-n", "1001", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(run.results["requests"]["total"], 1001);
  EXPECT_EQ(run.results["requests"]["by_status"]["200"], 1001);
  EXPECT_EQ(stats["by_path"]["/v1/repos"], 1001);
  // One server worker: one sequence over all four connections, floor(1001 · 0.8 + 1/2) hits.
  EXPECT_EQ(stats["cache"], nlohmann::json::parse(R"({"hit":801,"miss":200})"));
}

TEST(CodepalApi, RefusesACacheHitRatioOutsideZeroToOne) {
  for (const char* ratio : {"1.5", "-0.1", "most"}) {
    Process server({surge_binary(), "serve", "--port", "0", "--cache-hit-ratio", ratio});
    EXPECT_EQ(server.wait(10), 2) << ratio;
    EXPECT_NE(server.stderr_text().find("--cache-hit-ratio: Value " + std::string(ratio) +
                                        " not in range 0.000000 to 1.000000"),
              std::string::npos)
        << server.stderr_text();
  }
}

}  // namespace
}  // namespace surge::e2e
