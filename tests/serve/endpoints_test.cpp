// Every endpoint of `surge serve` over real loopback sockets, byte for byte (the Date value aside).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "serve/response_writer.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

std::string pattern(size_t from, size_t size) {
  std::string out;
  for (size_t i = from; i < from + size; ++i) out += kPatternAlphabet[i % kPatternAlphabet.size()];
  return out;
}

std::string answer(const std::string& request) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(request);
  return without_date(take_length_response(client));
}

TEST(ServeEndpoints, PrintsTheListeningLineWithTheChosenPort) {
  ServerProcess server(options_on_free_port());
  EXPECT_EQ(server.listening_line(), "listening on 127.0.0.1:" + std::to_string(server.port()));
  EXPECT_NE(server.port(), 0);
}

TEST(ServeEndpoints, RootAnswersWithTheServiceName) {
  EXPECT_EQ(answer(get("/")),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
            "surge serve\n");
}

TEST(ServeEndpoints, JsonAnswersTheFixedDocument) {
  EXPECT_EQ(answer(get("/json")),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/json\r\nContent-Length: 45\r\n\r\n"
            R"({"ok":true,"service":"surge","items":[1,2,3]})");
}

TEST(ServeEndpoints, StatusAnswersThatStatusWithAnEmptyBody) {
  EXPECT_EQ(answer(get("/status/503")),
            "HTTP/1.1 503 Service Unavailable\r\nDate: <date>\r\nContent-Length: 0\r\n\r\n");
}

TEST(ServeEndpoints, NoContentStatusHasNoContentLength) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/status/204") + get("/"));
  EXPECT_EQ(without_date(client.take_head()), "HTTP/1.1 204 No Content\r\nDate: <date>\r\n\r\n");
  EXPECT_EQ(header(client.take_head(), "Content-Length"), "12") << "the next response follows at once";
}

TEST(ServeEndpoints, InterimStatusIsABadRequest) {
  EXPECT_EQ(
      answer(get("/status/101")),
      "HTTP/1.1 400 Bad Request\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
      "bad request\n");
}

TEST(ServeEndpoints, UnknownPathIsNotFound) {
  EXPECT_EQ(answer(get("/nowhere")),
            "HTTP/1.1 404 Not Found\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n"
            "not found\n");
}

TEST(ServeEndpoints, HealthSaysOk) {
  EXPECT_EQ(answer(get("/__surge/health")),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
}

TEST(ServeEndpoints, BytesSendsExactlyNPatternBytes) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/bytes/100000"));
  std::string head = client.take_head();
  EXPECT_EQ(without_date(head),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: 100000\r\n\r\n");
  EXPECT_EQ(client.take(100000), pattern(0, 100000));
}

TEST(ServeEndpoints, LargeBytesBodyArrivesWholeThroughPartialWrites) {
  constexpr size_t kSize = 64 * 1024 * 1024;  // far beyond the socket buffers: many short writes
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/bytes/" + std::to_string(kSize)));
  client.take_head();
  std::string body = client.take(kSize);
  EXPECT_EQ(body.substr(kSize - 100), pattern(kSize - 100, 100));
  EXPECT_EQ(body, pattern(0, kSize));
}

TEST(ServeEndpoints, ChunkedBytesUseSixteenKibChunksAnExtensionAndATrailer) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/bytes/40000?encoding=chunked"));
  EXPECT_EQ(without_date(client.take_head()),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
            "Transfer-Encoding: chunked\r\n\r\n");
  std::string framing;
  std::string body = take_chunked_body(client, &framing);
  EXPECT_EQ(body, pattern(0, 40000));
  // 40000 = 0x4000 + 0x4000 + 0x1c40; the data is shown as dots.
  EXPECT_EQ(framing, "4000;ext=1\r\n" + std::string(16384, '.') + "\r\n4000\r\n" + std::string(16384, '.') +
                         "\r\n1c40\r\n" + std::string(7232, '.') + "\r\n0\r\nX-Trailer: done\r\n\r\n");
}

TEST(ServeEndpoints, CloseDelimitedBytesEndWithTheConnection) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/bytes/50000?encoding=close"));
  EXPECT_EQ(without_date(client.take_head()),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
            "Connection: close\r\n\r\n");
  EXPECT_EQ(client.take_until_eof(), pattern(0, 50000));
}

TEST(ServeEndpoints, EchoReturnsTheBodyWithItsContentTypeAndTheRequestSize) {
  std::string request =
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/x-note\r\nContent-Length: 5\r\n\r\n";
  EXPECT_EQ(answer(request + "hello"),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/x-note\r\nContent-Length: 5\r\n"
            "X-Request-Bytes: " +
                std::to_string(request.size() + 5) + "\r\n\r\nhello");
}

TEST(ServeEndpoints, EchoWithoutContentTypeSaysOctetStream) {
  EXPECT_EQ(
      answer("PUT /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"),
      "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\nContent-Length: 3\r\n"
      "X-Request-Bytes: 44\r\n\r\nabc");
}

TEST(ServeEndpoints, EchoReturnsAChunkedRequestBodySentInPieces) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string head = "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string framed = "5;x=y\r\nhello\r\n7\r\n, world\r\n0\r\nX-End: 1\r\n\r\n";
  client.send(head + framed.substr(0, 9));
  client.send(framed.substr(9, 12));
  client.send(framed.substr(21));
  std::string response = take_length_response(client);
  EXPECT_EQ(response.substr(response.size() - 12), "hello, world");
  EXPECT_EQ(header(response, "Content-Length"), "12");
  EXPECT_EQ(header(response, "X-Request-Bytes"), std::to_string(head.size() + framed.size()));
}

TEST(ServeEndpoints, EchoReturnsALargeBodyWhole) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string body = pattern(7, 3'000'000);
  client.send("POST /echo HTTP/1.1\r\nContent-Length: 3000000\r\n\r\n" + body);
  std::string head = client.take_head();
  EXPECT_EQ(header(head, "Content-Length"), "3000000");
  EXPECT_EQ(client.take(3'000'000), body);
}

TEST(ServeEndpoints, EchoRefusesABodyOverItsLimitWithoutReadingIt) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n");
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 413 Content Too Large\r\nDate: <date>\r\nContent-Type: text/plain\r\n"
            "Content-Length: 16\r\nConnection: close\r\n\r\nrequest refused\n");
  EXPECT_TRUE(client.is_closed_by_peer());
}

TEST(ServeEndpoints, ExpectContinueGetsContinueBeforeTheBodyIsSent) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(client.take_head(), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send("body");
  std::string response = take_length_response(client);
  EXPECT_EQ(response.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_EQ(response.substr(response.size() - 4), "body");
}

// Each of five tries takes at least the delay; the fastest takes less than 10 ms more (one try is enough
// for the upper bound, so a test machine busy elsewhere does not fail it).
void expect_delay(Client& client, const std::string& path, std::chrono::milliseconds delay) {
  auto fastest = std::chrono::steady_clock::duration::max();
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    client.send(get(path));
    take_length_response(client);
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, delay);
    fastest = std::min(fastest, elapsed);
  }
  EXPECT_LT(fastest, delay + std::chrono::milliseconds(10));
}

TEST(ServeEndpoints, DelayAnswersWithItsBody) {
  EXPECT_EQ(answer(get("/delay/30")),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
            "delayed 30ms\n");
}

TEST(ServeEndpoints, DelayOfThirtyMillisecondsTakesThirtyToFortyMilliseconds) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  expect_delay(client, "/delay/30", std::chrono::milliseconds(30));
}

TEST(ServeEndpoints, BaseDelayIsAddedToEveryRequest) {
  ServeOptions options = options_on_free_port();
  options.delay = std::chrono::milliseconds(20);
  ServerProcess server(options);
  Client client(server.port());
  expect_delay(client, "/delay/10", std::chrono::milliseconds(30));
}

TEST(ServeEndpoints, HeadGetsTheHeadersOfGetWithoutTheBody) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("HEAD /bytes/1000 HTTP/1.1\r\n\r\n" + get("/"));
  EXPECT_EQ(without_date(client.take_head()),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/octet-stream\r\n"
            "Content-Length: 1000\r\n\r\n");
  EXPECT_EQ(take_length_response(client).substr(0, 15), "HTTP/1.1 200 OK") << "no body bytes in between";
}

}  // namespace
}  // namespace surge::serve::testing
