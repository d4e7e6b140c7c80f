// /mcp of `surge serve` over real loopback sockets: exact response heads, a body split across reads, a
// sleep that holds its own connection and no other, sessions that live in one worker, and the stats.
#include <gtest/gtest.h>

#include <string>

#include "serve_support.h"

namespace surge::serve::testing {
namespace {

std::string post_mcp(const std::string& body, const std::string& session = "") {
  std::string session_line = session.empty() ? "" : "Mcp-Session-Id: " + session + "\r\n";
  return "POST /mcp HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
         "Accept: application/json, text/event-stream\r\n" +
         session_line + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

const std::string kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},)"
    R"("clientInfo":{"name":"t","version":"1"}}})";

// Initializes on `client` and returns the session id.
std::string initialize(Client& client) {
  client.send(post_mcp(kInitialize));
  std::string response = take_length_response(client);
  std::string session = header(response, "Mcp-Session-Id");
  EXPECT_EQ(session.size(), 24u) << response;
  return session;
}

ServeOptions sse_options() {
  ServeOptions options = options_on_free_port();
  options.mcp_sse = true;
  return options;
}

TEST(ServeMcp, AnswersInitializeWithTheSessionHeaderAndJson) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(post_mcp(kInitialize));
  std::string response = take_length_response(client);
  std::string session = header(response, "Mcp-Session-Id");
  EXPECT_EQ(
      without_date(response),
      "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/json\r\nContent-Length: 176\r\n"
      "Mcp-Session-Id: " +
          session +
          "\r\n\r\n"
          R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{},)"
          R"("resources":{},"prompts":{}},"serverInfo":{"name":"surge serve","version":"0.1.0"}}})");
}

TEST(ServeMcp, AnswersANotificationWith202AndNoBody) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string session = initialize(client);
  client.send(post_mcp(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session));
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 202 Accepted\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n");
}

TEST(ServeMcp, ReadsABodySplitAcrossReadsAndAnswersAsAnEventStream) {
  ServerProcess server(sse_options());
  Client client(server.port());
  client.send(post_mcp(kInitialize));
  std::string opened = take_length_response(client);
  EXPECT_EQ(header(opened, "Content-Type"), "text/event-stream");
  std::string call = post_mcp(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"split"}}})",
      header(opened, "Mcp-Session-Id"));
  client.send(call.substr(0, call.size() - 20));
  client.send(call.substr(call.size() - 20));
  EXPECT_EQ(body_of(take_length_response(client)),
            "event: message\ndata: "
            R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Echo: split"}]}})"
            "\n\n");
}

TEST(ServeMcp, SleepHoldsItsOwnConnectionOnly) {
  ServerProcess server(options_on_free_port());
  Client sleeper(server.port());
  Client other(server.port());
  std::string session = initialize(sleeper);
  sleeper.send(post_mcp(
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sleep","arguments":{"ms":1500}}})",
      session));
  // The worker is not blocked: another connection is answered while the sleep is still pending.
  other.send(post_mcp(R"({"jsonrpc":"2.0","id":3,"method":"ping"})", session));
  EXPECT_EQ(body_of(take_length_response(other)), R"({"jsonrpc":"2.0","id":3,"result":{}})");
  pollfd pending{sleeper.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&pending, 1, 0), 0) << "the sleep answered before the ping";
  EXPECT_EQ(body_of(take_length_response(sleeper)),
            R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Slept 1500 ms"}]}})");
}

TEST(ServeMcp, EndsASessionOnDeleteAndThenAnswers404) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string session = initialize(client);
  client.send("DELETE /mcp HTTP/1.1\r\nHost: t\r\nMcp-Session-Id: " + session + "\r\n\r\n");
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n");
  client.send(post_mcp(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", session));
  EXPECT_TRUE(take_length_response(client).starts_with("HTTP/1.1 404 Not Found\r\n"));
}

TEST(ServeMcp, RefusesGetWith405AndTheAllowedMethods) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/mcp"));
  EXPECT_EQ(
      without_date(take_length_response(client)),
      "HTTP/1.1 405 Method Not Allowed\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n"
      "Allow: POST, DELETE\r\n\r\nmethod not allowed\n");
}

TEST(ServeMcp, RefusesABodyOverOneMebibyteWith413) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(post_mcp(std::string(1024 * 1024 + 1, ' ')));
  EXPECT_TRUE(take_length_response(client).starts_with("HTTP/1.1 413 Content Too Large\r\n"));
}

TEST(ServeMcp, CountsSessionsCallsAndThePathInTheStats) {
  ServerProcess server(options_on_free_port());
  {
    Client client(server.port());
    std::string session = initialize(client);
    client.send(post_mcp(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", session));
    client.send(post_mcp(
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"a"}}})",
        session));
    client.send(
        post_mcp(R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"zzz"}})", session));
    client.send(post_mcp(R"({"jsonrpc":"2.0","id":4,"method":"ping"})"));
    client.send(post_mcp(R"({"jsonrpc":"2.0","id":5,"method":"ping"})", std::string(24, '0')));
    client.send("DELETE /mcp HTTP/1.1\r\nHost: t\r\nMcp-Session-Id: " + session + "\r\n\r\n");
    for (int i = 0; i < 6; ++i) take_length_response(client);
  }
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["by_path"]["/mcp"], 7);
  EXPECT_EQ(stats["by_status"]["200"], 4);
  EXPECT_EQ(stats["by_status"]["202"], 1);
  EXPECT_EQ(stats["by_status"]["400"], 1);
  EXPECT_EQ(stats["by_status"]["404"], 1);
  EXPECT_EQ(stats["mcp"]["sessions"],
            nlohmann::json::parse(R"({"opened":1,"closed":1,"evicted":0,"expired":0,"open":0,"unknown":1,"missing":1,"websocket":0})"));
  EXPECT_EQ(stats["mcp"]["by_method"],
            nlohmann::json::parse(
                R"({"initialize":1,"notifications/initialized":1,"ping":0,"tools/list":0,)"
                R"("tools/call":2,"resources/list":0,"resources/read":0,"prompts/list":0,"other":0})"));
  EXPECT_EQ(stats["mcp"]["by_tool"],
            nlohmann::json::parse(R"({"echo":1,"sleep":0,"complete":0,"unknown":1})"));
}

// Sessions live in the worker that opened them: with two workers, a connection accepted by the other one
// gets 404 for the session, and the stats count it as unknown.
TEST(ServeMcp, KnowsASessionOnlyInTheWorkerThatOpenedIt) {
  ServerProcess server(options_on_free_port(2));
  Client opener(server.port());
  std::string session = initialize(opener);
  int found = 0, unknown = 0;
  for (int i = 0; i < 40 && (found == 0 || unknown == 0); ++i) {
    Client client(server.port());
    client.send(post_mcp(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", session));
    std::string response = take_length_response(client);
    (response.starts_with("HTTP/1.1 200 ") ? found : unknown) += 1;
  }
  EXPECT_GT(found, 0);
  ASSERT_GT(unknown, 0) << "40 connections all landed on one worker";
  EXPECT_EQ(stats_of(server.port())["mcp"]["sessions"]["unknown"], unknown);
}

}  // namespace
}  // namespace surge::serve::testing
