// The CodePal API of `surge serve` over real loopback sockets: exact bytes, bodies that arrive after the
// head, pipelining, and the X-Cache headers a client saw compared with the server's own counts.
#include <gtest/gtest.h>

#include <string>

#include "serve_support.h"

namespace surge::serve::testing {
namespace {

std::string post(const std::string& path, const std::string& body, const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

ServeOptions with_ratio(double ratio, int workers = 1) {
  ServeOptions options = options_on_free_port(workers);
  options.cache_hit_ratio = ratio;
  return options;
}

TEST(ServeApi, AnswersALoginWithTheTokenAndNoCacheHeader) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(post("/v1/login", R"({"user":"u42"})"));
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/json\r\nContent-Length: 32\r\n\r\n"
            R"({"token":"tok-u42","user":"u42"})");
}

TEST(ServeApi, EchoesTheCapturedTokenBackByteForByte) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(post("/v1/login", R"({"user":"ada"})"));
  nlohmann::json login = nlohmann::json::parse(body_of(take_length_response(client)));
  std::string token = login["token"];
  client.send(get("/v1/whoami", "Authorization: Bearer " + token + "\r\n"));
  EXPECT_EQ(body_of(take_length_response(client)), R"({"authorization":"Bearer tok-ada"})");
  client.send(get("/v1/whoami"));
  std::string refused = take_length_response(client);
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 401 Unauthorized\r\n")) << refused;
}

TEST(ServeApi, ReadsABodyThatArrivesAfterTheHead) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string body = R"({"user":"late"})";
  client.send("POST /v1/login HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(client.take_head(), "HTTP/1.1 100 Continue\r\n\r\n");  // the head was read on its own
  client.send(body.substr(0, 5));
  client.send(body.substr(5));
  EXPECT_EQ(body_of(take_length_response(client)), R"({"token":"tok-late","user":"late"})");
}

TEST(ServeApi, AnswersPipelinedRequestsInOrderWithAStreamedCompletion) {
  ServerProcess server(with_ratio(0.5));
  Client client(server.port());
  client.send(post("/v1/complete", R"({"stream":true})") + get("/v1/repos/r1/search?q=todo") +
              post("/v1/login", R"({"user":"p"})") + post("/v1/optimize", "{}"));
  std::string stream_head = without_date(client.take_head());
  EXPECT_EQ(
      stream_head,
      "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
      "X-Cache: HIT\r\n\r\n");
  EXPECT_EQ(take_chunked_body(client),
            "data: {\"delta\":\"    return\"}\n\ndata: {\"delta\":\" a + b;\"}\n\ndata: [DONE]\n\n");
  std::string search = take_length_response(client);
  EXPECT_EQ(header(search, "X-Cache"), "MISS");
  EXPECT_EQ(body_of(search), R"({"repo":"r1","query":"todo","matches":[{"path":"src/main.cpp","line":12},)"
                             R"({"path":"src/util.cpp","line":3}]})");
  EXPECT_EQ(body_of(take_length_response(client)), R"({"token":"tok-p","user":"p"})");
  EXPECT_EQ(header(take_length_response(client), "X-Cache"), "HIT");
}

TEST(ServeApi, RefusesAnApiBodyOverItsLimitAndCloses) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string body = "{\"user\":\"" + std::string(64 * 1024, 'x') + "\"}";
  client.send(post("/v1/login", body));
  std::string refused = without_date(take_length_response(client));
  EXPECT_EQ(
      refused,
      "HTTP/1.1 413 Content Too Large\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n"
      "Connection: close\r\n\r\nrequest refused\n");
}

// Sends n requests cycling over the content routes on one connection; returns the X-Cache HITs seen.
int hits_over(uint16_t port, int n) {
  const std::string requests[] = {post("/v1/complete", R"({"prompt":"x"})"),
                                  post("/v1/agents/handoff", "{}"),
                                  post("/v1/optimize", ""),
                                  get("/v1/repos/r1/files"),
                                  get("/v1/repos/r1/search?q=x"),
                                  post("/v1/repos/r1/index", "")};
  Client client(port);
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    client.send(requests[i % 6]);
    std::string cache = header(take_length_response(client), "X-Cache");
    if (cache != "HIT" && cache != "MISS")
      throw std::runtime_error("no X-Cache in response " + std::to_string(i));
    hits += cache == "HIT" ? 1 : 0;
  }
  return hits;
}

TEST(ServeApi, SendsExactlyTheRatioOfHitsAndCountsThem) {
  ServerProcess server(with_ratio(0.8));
  EXPECT_EQ(hits_over(server.port(), 10), 8);
  EXPECT_EQ(hits_over(server.port(), 990), 792);  // 800 of the first 1,000 in all
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["cache"], nlohmann::json::parse(R"({"hit":800,"miss":200})"));
  EXPECT_EQ(stats["by_path"]["/v1/complete"], 167);  // 1,000 requests over 6 routes, first 4 get 167
  EXPECT_EQ(stats["by_path"]["/v1/agents/handoff"], 167);
  EXPECT_EQ(stats["by_path"]["/v1/optimize"], 167);
  EXPECT_EQ(stats["by_path"]["/v1/repos"], 167 + 166 + 166);
  EXPECT_EQ(stats["requests_total"], 1000);
}

TEST(ServeApi, NeverHitsAtZeroAndAlwaysHitsAtOne) {
  ServerProcess never(with_ratio(0.0));
  EXPECT_EQ(hits_over(never.port(), 50), 0);
  EXPECT_EQ(stats_of(never.port())["cache"], nlohmann::json::parse(R"({"hit":0,"miss":50})"));
  ServerProcess always(with_ratio(1.0));
  EXPECT_EQ(hits_over(always.port(), 50), 50);
}

TEST(ServeApi, CountsWhatEveryWorkerSentAcrossWorkers) {
  ServerProcess server(with_ratio(0.8, 2));
  int hits = 0;
  for (int c = 0; c < 8; ++c) hits += hits_over(server.port(), 25);
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["cache"]["hit"], hits);
  EXPECT_EQ(stats["cache"]["miss"], 200 - hits);
  EXPECT_EQ(stats["workers"], 2);
}

TEST(ServeApi, ListsEveryApiKeyAndTheCacheBeforeAnyTraffic) {
  ServerProcess server(options_on_free_port());
  nlohmann::json stats = stats_of(server.port());
  for (const char* key :
       {"/v1/login", "/v1/whoami", "/v1/complete", "/v1/agents/handoff", "/v1/optimize", "/v1/repos"}) {
    EXPECT_EQ(stats["by_path"][key], 0) << key;
  }
  EXPECT_EQ(stats["cache"], nlohmann::json::parse(R"({"hit":0,"miss":0})"));
}

TEST(ServeApi, RefusesToRunWithARatioOutsideZeroToOne) {
  ServeOptions options = with_ratio(1.5);
  auto served = run_server(options);
  ASSERT_FALSE(served);
  EXPECT_EQ(served.error().message, "invalid cache hit ratio 1.500000: expected 0..1");
}

}  // namespace
}  // namespace surge::serve::testing
