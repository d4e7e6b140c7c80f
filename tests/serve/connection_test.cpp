// Connection behaviour of `surge serve`: keep-alive, pipelining order, closing rules (Connection: close,
// HTTP/1.0, close-delimited bodies, malformed requests), over real loopback sockets.
#include <gtest/gtest.h>

#include "serve_support.h"

namespace surge::serve::testing {
namespace {

std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

TEST(ServeConnection, AnswersPipelinedRequestsInRequestOrderEvenWhenAnEarlierOneIsDelayed) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/delay/50") + get("/") + get("/delay/10"));
  EXPECT_EQ(body_of(take_length_response(client)), "delayed 50ms\n");
  EXPECT_EQ(body_of(take_length_response(client)), "surge serve\n");
  EXPECT_EQ(body_of(take_length_response(client)), "delayed 10ms\n");
}

TEST(ServeConnection, AnswersMorePipelinedRequestsThanItsQueueHolds) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string requests;
  for (int i = 0; i < 100; ++i) requests += get("/status/" + std::to_string(200 + i));
  client.send(requests);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(client.take_head().substr(0, 12), "HTTP/1.1 " + std::to_string(200 + i));
  }
}

TEST(ServeConnection, KeepsTheConnectionForManyRequests) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  for (int i = 0; i < 50; ++i) {
    client.send(get("/json"));
    EXPECT_EQ(header(take_length_response(client), "Content-Length"), "45");
  }
}

TEST(ServeConnection, ClosesAfterAResponseToConnectionClose) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/", "Connection: close\r\n") + get("/json"));
  std::string response = take_length_response(client);
  EXPECT_EQ(header(response, "Connection"), "close");
  EXPECT_EQ(body_of(response), "surge serve\n");
  EXPECT_TRUE(client.is_closed_by_peer()) << "the pipelined /json after it is not answered";
}

TEST(ServeConnection, ClosesAfterAnHttp10RequestWithoutKeepAlive) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
            "Connection: close\r\n\r\nsurge serve\n");
  EXPECT_TRUE(client.is_closed_by_peer());
}

TEST(ServeConnection, KeepsAnHttp10ConnectionThatAsksForKeepAlive) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(header(take_length_response(client), "Connection"), "keep-alive");
  client.send("GET /json HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(header(take_length_response(client), "Content-Length"), "45");
}

TEST(ServeConnection, SendsHttp10ClientsCloseDelimitedBytesInsteadOfChunks) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("GET /bytes/20000?encoding=chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  std::string head = client.take_head();
  EXPECT_EQ(header(head, "Transfer-Encoding"), "");
  EXPECT_EQ(header(head, "Connection"), "close");
  EXPECT_EQ(client.take_until_eof().size(), 20000u);
}

TEST(ServeConnection, AnswersAMalformedRequestWith400AndCloses) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("GET / HTTP/1.1\r\nBad Header\r\n\r\n");
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 400 Bad Request\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
            "Connection: close\r\n\r\nbad request\n");
  EXPECT_TRUE(client.is_closed_by_peer());
}

TEST(ServeConnection, AnswersTheGoodRequestsBeforeAMalformedOne) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send(get("/delay/20") + "NOT HTTP\r\n\r\n");
  EXPECT_EQ(body_of(take_length_response(client)), "delayed 20ms\n");
  EXPECT_EQ(header(take_length_response(client), "Connection"), "close");
  EXPECT_TRUE(client.is_closed_by_peer());
}

TEST(ServeConnection, AnswersABadChunkedBodyWith400AndCloses) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  client.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  EXPECT_EQ(take_length_response(client).substr(0, 24), "HTTP/1.1 400 Bad Request");
  EXPECT_TRUE(client.is_closed_by_peer());
}

TEST(ServeConnection, DiscardsRequestBodiesOutsideEcho) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  std::string body(100000, 'x');
  client.send("POST /json HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + body + get("/"));
  EXPECT_EQ(header(take_length_response(client), "Content-Length"), "45");
  EXPECT_EQ(body_of(take_length_response(client)), "surge serve\n");
}

TEST(ServeConnection, AnswersARequestWhoseHeadArrivesByteByByte) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());
  for (char c : get("/json")) client.send(std::string(1, c));
  EXPECT_EQ(header(take_length_response(client), "Content-Length"), "45");
}

TEST(ServeConnection, StopsWithExitCodeZeroOnSigterm) {
  ServerProcess server(options_on_free_port());
  Client client(server.port());  // an open connection does not hold the server up
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace surge::serve::testing
