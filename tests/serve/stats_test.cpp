// /__surge/stats against what the test itself sent and received, in one process and across two workers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "serve_support.h"

namespace surge::serve::testing {
namespace {

uint64_t sum(const nlohmann::json& array) {
  uint64_t total = 0;
  for (const auto& n : array) total += n.get<uint64_t>();
  return total;
}

TEST(ServeStats, CountsExactlyWhatWasAnsweredByPathStatusAndBodyBytes) {
  ServerProcess server(options_on_free_port());
  {
    Client client(server.port());
    client.send(get("/") + get("/") + get("/status/503") + get("/status/204") + get("/bytes/1000") +
                get("/bytes/3000?encoding=chunked") + get("/json") + get("/nope") + get("/__surge/health") +
                "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + get("/delay/1"));
    for (int i = 0; i < 3; ++i) take_length_response(client);
    client.take_head();  // 204: no body, no length
    take_length_response(client);
    client.take_head();
    take_chunked_body(client);
    for (int i = 0; i < 5; ++i) take_length_response(client);
  }
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["requests_total"], 10);
  EXPECT_EQ(stats["requests_received"], 10);
  EXPECT_EQ(
      stats["by_path"],
      nlohmann::json::parse(R"({"/":2,"/delay":1,"/status":2,"/bytes":2,"/echo":1,"/json":1,"/v1/login":0,)"
                            R"("/v1/whoami":0,"/v1/complete":0,"/v1/agents/handoff":0,"/v1/optimize":0,)"
                            R"("/v1/repos":0,"/mcp":0,"/ws":0,"/rpc":0,"other":1})"));
  EXPECT_EQ(stats["by_status"], nlohmann::json::parse(R"({"200":7,"204":1,"404":1,"503":1})"));
  // 12 + 12 + 0 + 0 + 1000 + 3000 + 45 + 10 + 5 + 12: bodies only, chunk framing excluded
  EXPECT_EQ(stats["body_bytes_sent"], 4096);
  EXPECT_EQ(sum(stats["per_second"]), 10u);
  EXPECT_EQ(stats["workers"], 1);
  EXPECT_EQ(stats["connections"]["accepted"], 2);
  EXPECT_GE(stats["uptime_s"].get<double>(), 0.0);
}

// A test that must act while requests are in flight (Ctrl-C during a 20 s answer) waits on requests_received.
TEST(ServeStats, CountsARequestAsReceivedBeforeItIsAnswered) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/") + get("/delay/300"));
  take_length_response(client);  // the first is answered, so the second has been read: it waits on its delay
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["requests_received"], 2);
  EXPECT_EQ(stats["requests_total"], 1);
  take_length_response(client);
  stats = stats_of(server.port());
  EXPECT_EQ(stats["requests_received"], 2);
  EXPECT_EQ(stats["requests_total"], 2);
}

TEST(ServeStats, CountsRequestsRefusedAsMalformedUnderOther) {
  ServerProcess server(options_on_free_port());
  {
    Client client(server.port());
    client.send("BROKEN\r\n\r\n");
    take_length_response(client);
  }
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["requests_total"], 1);
  EXPECT_EQ(stats["requests_received"], 0) << "refused before it was routed";
  EXPECT_EQ(stats["by_path"]["other"], 1);
  EXPECT_EQ(stats["by_status"], nlohmann::json::parse(R"({"400":1})"));
}

TEST(ServeStats, TracksTheConnectionsOpenNowAndTheMostAtOnce) {
  ServerProcess server(options_on_free_port());
  {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 5; ++i) {
      clients.push_back(std::make_unique<Client>(server.port()));
      clients.back()->send(get("/"));  // answered means accepted and counted
      take_length_response(*clients.back());
    }
    nlohmann::json stats = stats_of(server.port());
    EXPECT_EQ(stats["connections"], nlohmann::json::parse(R"({"open":6,"max":6,"accepted":6})"));
  }
  // The server sees the five closes in its own time: ask until it has (each probe is one connection).
  nlohmann::json stats;
  for (int i = 0; i < 1000; ++i) {
    stats = stats_of(server.port());
    if (stats["connections"]["open"] == 1) break;
  }
  EXPECT_EQ(stats["connections"]["open"], 1);
  EXPECT_EQ(stats["connections"]["max"], 6);
}

TEST(ServeStats, PerSecondRunsUpToTheCurrentSecond) {
  ServerProcess server(options_on_free_port());
  nlohmann::json stats = stats_of(server.port());
  auto seconds = static_cast<size_t>(stats["uptime_s"].get<double>()) + 1;
  EXPECT_EQ(stats["per_second"], nlohmann::json(std::vector<uint64_t>(seconds, 0)));
  EXPECT_EQ(stats["requests_total"], 0) << "the stats request itself is not counted";
}

TEST(ServeStats, TwoWorkersAddUpToEveryRequestAnswered) {
  ServerProcess server(options_on_free_port(2));
  for (int i = 0; i < 200; ++i) {
    Client client(server.port());
    client.send(get("/"));
    take_length_response(client);
  }
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["workers"], 2);
  EXPECT_EQ(stats["requests_total"], 200);
  EXPECT_EQ(stats["by_path"]["/"], 200);
  EXPECT_EQ(stats["body_bytes_sent"], 2400);
  EXPECT_EQ(stats["connections"]["accepted"], 201);
  EXPECT_EQ(sum(stats["per_second"]), 200u);
  EXPECT_EQ(server.stop(), 0) << "the parent forwards SIGTERM and both workers exit cleanly";
}

TEST(ServeStats, BothWorkersAcceptConnections) {
  ServerProcess server(options_on_free_port(2));
  // Each connection stays open, so a worker that never accepted would leave its clients unanswered.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 64; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    clients.back()->send(get("/"));
  }
  for (auto& client : clients) EXPECT_EQ(header(take_length_response(*client), "Content-Length"), "12");
  EXPECT_EQ(stats_of(server.port())["connections"]["open"], 65);
}

}  // namespace
}  // namespace surge::serve::testing
