// The control API over real HTTP on loopback: add, list and remove faults, read the stats, and the exact
// answers to bad requests. The fault added over HTTP must act on the relay like one added in C++.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "proxy_harness.h"

namespace surge::proxy::testing {
namespace {

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// One request over a fresh connection; the server answers and closes, so the answer ends at end of stream.
HttpAnswer http(const net::SocketAddress& address, const std::string& method, const std::string& path,
                const std::string& body = "") {
  const int fd = connect_to(address);
  EXPECT_GE(fd, 0);
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: control\r\n";
  if (!body.empty()) request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  send_all(fd, request + "\r\n" + body);
  std::string response;
  read_to_end(fd, &response);
  close(fd);
  HttpAnswer answer;
  if (response.size() > 12) answer.status = std::stoi(response.substr(9, 3));
  const size_t head_end = response.find("\r\n\r\n");
  if (head_end != std::string::npos) answer.body = response.substr(head_end + 4);
  return answer;
}

TEST(ControlApi, AddsListsAndRemovesAFault) {
  ProxyHarness harness({}, true);
  const net::SocketAddress control = harness.control_address();
  HttpAnswer added = http(control, "POST", "/faults", R"({"kind":"latency","latency":"100ms","jitter":"10ms"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.body,
            R"({"id":1,"kind":"latency","fraction":1.0,"direction":"both","for":"0","latency":"100ms",)"
            R"("jitter":"10ms","connections_affected":0})"
            "\n");
  HttpAnswer listed = http(control, "GET", "/faults");
  EXPECT_EQ(listed.status, 200);
  const nlohmann::json faults = nlohmann::json::parse(listed.body)["faults"];
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0]["id"], 1);
  EXPECT_EQ(faults[0]["latency"], "100ms");
  EXPECT_EQ(http(control, "DELETE", "/faults/1").status, 204);
  EXPECT_EQ(http(control, "GET", "/faults").body, "{\"faults\":[]}\n");
  HttpAnswer again = http(control, "DELETE", "/faults/1");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.body, "{\"error\":\"no active fault 1 (removed, expired, or never added)\"}\n");
}

TEST(ControlApi, AFaultAddedOverHttpActsOnTheRelay) {
  ProxyHarness harness({}, true);
  auto [client, server] = harness.open_pair();
  HttpAnswer added = http(harness.control_address(), "POST", "/faults", R"({"kind":"reset"})");
  EXPECT_EQ(added.status, 201);
  EXPECT_EQ(nlohmann::json::parse(added.body)["connections_affected"], 1) << "the reset took one connection";
  EXPECT_EQ(read_to_end(client), ECONNRESET);
  close(client);
  close(server);
}

TEST(ControlApi, ReportsStats) {
  ProxyHarness harness({}, true);
  auto [client, server] = harness.open_pair();
  send_all(client, "12345");
  EXPECT_EQ(read_exactly(server, 5), "12345");
  send_all(server, "abc");
  EXPECT_EQ(read_exactly(client, 3), "abc");
  HttpAnswer stats = http(harness.control_address(), "GET", "/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_EQ(stats.body,
            R"({"connections_accepted":1,"connections_active":1,"connections_closed_by_fault":0,)"
            R"("connections_reset_by_fault":0,"upstream_connect_failures":0,"bytes_upstream":5,)"
            R"("bytes_downstream":3,"reads_paused":0,"faults_added":0,"faults_applied":0,"listening":true})"
            "\n");
  close(client);
  close(server);
}

TEST(ControlApi, AnswersABadFaultWith400AndTheReason) {
  ProxyHarness harness({}, true);
  HttpAnswer bad_json = http(harness.control_address(), "POST", "/faults", "{kind: latency}");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(nlohmann::json::parse(bad_json.body)["error"],
            "invalid JSON: [json.exception.parse_error.101] parse error at line 1, column 2: syntax error while "
            "parsing object key - invalid literal; last read: '{k'; expected string literal");
  HttpAnswer unknown = http(harness.control_address(), "POST", "/faults", R"({"kind":"explode"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(nlohmann::json::parse(unknown.body)["error"],
            "unknown fault kind \"explode\": expected one of latency, bandwidth, partition, reset, close_new, "
            "refuse, slow_close");
  EXPECT_EQ(harness.faults().size(), 0u);
}

TEST(ControlApi, AnswersUnknownPathsAndWrongMethods) {
  ProxyHarness harness({}, true);
  HttpAnswer missing = http(harness.control_address(), "GET", "/toxics");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.body)["error"],
            "not found: /toxics; the control API has /faults, /faults/{id} and /stats");
  HttpAnswer wrong = http(harness.control_address(), "PUT", "/faults");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(nlohmann::json::parse(wrong.body)["error"], "/faults answers GET and POST");
  EXPECT_EQ(http(harness.control_address(), "DELETE", "/faults/abc").status, 404);
}

}  // namespace
}  // namespace surge::proxy::testing
