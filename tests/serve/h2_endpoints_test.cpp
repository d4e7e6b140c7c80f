// `surge serve` over h2c by prior knowledge, on the port it serves HTTP/1.1 on, checked with the reference
// HTTP/2 clients of nghttp2-client and curl (scripts/install-deps.sh installs them): the same bodies as over
// HTTP/1.1, the SETTINGS it advertises, flow control, the stream of /v1/complete as one DATA frame per
// event, /mcp, and h2load's request count against the server's own.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "reference_clients.h"
#include "serve/h2_connection.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

std::string url(uint16_t port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

// curl's -i output over h2c: the status line and header fields, then the body, with the date replaced.
std::string curl_h2(uint16_t port, const std::string& path, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {"curl", "-sS", "-i", "--http2-prior-knowledge"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url(port, path));
  Ran ran = run(argv);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  static const std::regex kDate(
      "\r\ndate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");
  return std::regex_replace(ran.out, kDate, "\r\ndate: <date>\r\n", std::regex_constants::format_first_only);
}

// The body curl received over h2c (trailers are not printed without -i).
std::string curl_h2_body(uint16_t port, const std::string& path, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {"curl", "-sS", "--http2-prior-knowledge"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url(port, path));
  Ran ran = run(argv);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  return ran.out;
}

std::string body_after_head(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

// The body of GET `path` over HTTP/1.1 on a new connection (Content-Length, chunked or close-delimited).
std::string http11_body(uint16_t port, const std::string& path) {
  Client client(port);
  client.send(get(path));
  std::string head = client.take_head();
  if (header(head, "Transfer-Encoding") == "chunked") return take_chunked_body(client);
  if (header(head, "Content-Length").empty()) return client.take_until_eof();
  return client.take(std::stoul(header(head, "Content-Length")));
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  std::string path = test_support::test_temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(ServeH2Preface, TellsThePrefaceAPartOfItAndAnHttp11RequestApart) {
  EXPECT_EQ(match_h2_preface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00"), H2Preface::kComplete);
  EXPECT_EQ(match_h2_preface("PRI * HTTP/2.0\r\n\r\n"), H2Preface::kPartial);
  EXPECT_EQ(match_h2_preface("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n"), H2Preface::kAbsent);
  EXPECT_EQ(match_h2_preface("GET / HTTP/1.1\r\n\r\n"), H2Preface::kAbsent);
}

TEST(ServeH2, AnswersCurlOverH2cWithTheHeadersOfHttp11LessTheConnectionFields) {
  ServerProcess server(options_on_free_port());
  EXPECT_EQ(curl_h2(server.port(), "/json"),
            "HTTP/2 200 \r\ndate: <date>\r\ncontent-type: application/json\r\ncontent-length: 45\r\n\r\n"
            R"({"ok":true,"service":"surge","items":[1,2,3]})");
  // The chunked framing of HTTP/1.1 becomes DATA frames; its trailer a trailing HEADERS frame.
  EXPECT_EQ(curl_h2(server.port(), "/bytes/70?encoding=chunked"),
            "HTTP/2 200 \r\ndate: <date>\r\ncontent-type: application/octet-stream\r\n\r\n"
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\nabcdefx-trailer: done\r\n");
  EXPECT_EQ(curl_h2(server.port(), "/status/204"), "HTTP/2 204 \r\ndate: <date>\r\n\r\n");
  EXPECT_EQ(curl_h2(server.port(), "/json", {"-I"}),
            "HTTP/2 200 \r\ndate: <date>\r\ncontent-type: application/json\r\ncontent-length: 45\r\n\r\n");
}

TEST(ServeH2, SendsTheSameBodiesAsOverHttp11) {
  ServerProcess server(options_on_free_port());
  for (std::string path : {"/", "/json", "/delay/3", "/bytes/1000000", "/bytes/100000?encoding=chunked",
                           "/bytes/70000?encoding=close", "/nowhere", "/status/418", "/v1/repos/7/files"}) {
    SCOPED_TRACE(path);
    std::string h2 = curl_h2_body(server.port(), path);
    EXPECT_EQ(h2.size(), http11_body(server.port(), path).size());
    EXPECT_EQ(h2, http11_body(server.port(), path));
  }
}

TEST(ServeH2, AdvertisesAHundredConcurrentStreamsToNghttp) {
  ServerProcess server(options_on_free_port());
  Ran ran = run({"nghttp", "-v", url(server.port(), "/")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.out.find("recv SETTINGS frame <length=6, flags=0x00, stream_id=0>\n          (niv=1)\n"
                         "          [SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]"),
            std::string::npos)
      << ran.out;
}

TEST(ServeH2, KeepsToTheClientsOneKilobyteStreamWindow) {
  ServerProcess server(options_on_free_port());
  // -w 10: the stream window is 2^10 - 1 bytes, so 300,000 bytes take hundreds of WINDOW_UPDATEs.
  Ran ran = run({"nghttp", "-v", "-w", "10", url(server.port(), "/bytes/300000")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  std::regex data_frame("recv DATA frame <length=(\\d+), flags=0x0[01], stream_id=13>");
  uint64_t bytes = 0, frames = 0, largest = 0;
  for (std::sregex_iterator it(ran.out.begin(), ran.out.end(), data_frame), end; it != end; ++it) {
    uint64_t length = std::stoull((*it)[1]);
    bytes += length;
    largest = std::max(largest, length);
    ++frames;
  }
  EXPECT_EQ(bytes, 300000u);
  EXPECT_LE(largest, 1023u);
  EXPECT_GE(frames, 300000u / 1023);
  Ran body = run({"nghttp", "-w", "10", url(server.port(), "/bytes/300000")});
  ASSERT_EQ(body.exit_code, 0) << body.err;
  EXPECT_EQ(body.out, http11_body(server.port(), "/bytes/300000"));
}

TEST(ServeH2, StreamsACompletionAsOneDataFramePerEvent) {
  ServerProcess server(options_on_free_port());
  std::string body = write_temp("stream.json", R"({"stream":true})");
  Ran ran = run({"nghttp", "-v", "-d", body, "-H", "content-type: application/json",
                 url(server.port(), "/v1/complete")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  std::regex data_frame("recv DATA frame <length=(\\d+), flags=(0x0[01]), stream_id=13>");
  std::vector<std::string> frames;
  for (std::sregex_iterator it(ran.out.begin(), ran.out.end(), data_frame), end; it != end; ++it)
    frames.push_back((*it)[1].str() + "/" + (*it)[2].str());
  // "data: {\"delta\":\"    return\"}\n\n", "data: {\"delta\":\" a + b;\"}\n\n", "data: [DONE]\n\n", and the
  // end of the stream in the trailer's HEADERS frame, as HTTP/1.1's last chunk carries the trailer.
  EXPECT_EQ(frames, (std::vector<std::string>{"30/0x00", "27/0x00", "14/0x00"})) << ran.out;
  EXPECT_NE(ran.out.find("recv (stream_id=13) content-type: text/event-stream"), std::string::npos);
  EXPECT_NE(ran.out.find("recv (stream_id=13) x-trailer: done"), std::string::npos);
}

TEST(ServeH2, EchoesABodyWithItsTypeAndTheBytesOfTheRequest) {
  ServerProcess server(options_on_free_port());
  std::string body(100000, 'e');
  std::string file = write_temp("echo.bin", body);
  Ran ran = run({"nghttp", "-v", "-d", file, "-H", "content-type: text/x-test", url(server.port(), "/echo")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  std::smatch headers;
  ASSERT_TRUE(std::regex_search(ran.out, headers, std::regex("send HEADERS frame <length=(\\d+)")));
  uint64_t expected = std::stoull(headers[1]) + body.size();  // the HPACK block and the DATA payload
  EXPECT_NE(ran.out.find("recv (stream_id=13) x-request-bytes: " + std::to_string(expected) + "\n"),
            std::string::npos)
      << ran.out;
  EXPECT_NE(ran.out.find("recv (stream_id=13) content-type: text/x-test\n"), std::string::npos);
  EXPECT_EQ(curl_h2_body(server.port(), "/echo", {"--data-binary", "@" + file}), body);
}

TEST(ServeH2, AnswersMcpInitializeAndAToolCallInItsSession) {
  ServerProcess server(options_on_free_port());
  const std::vector<std::string> mcp = {"-H", "content-type: application/json", "-H",
                                        "accept: application/json, text/event-stream"};
  std::vector<std::string> args = mcp;
  args.insert(args.end(), {"--data-binary",
                           R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":)"
                           R"("2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"});
  std::string initialized = curl_h2(server.port(), "/mcp", args);
  std::smatch session;
  ASSERT_TRUE(std::regex_search(initialized, session, std::regex("\r\nmcp-session-id: (\\w{24})\r\n")))
      << initialized;
  EXPECT_EQ(body_after_head(initialized),
            R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{},)"
            R"("resources":{},"prompts":{}},"serverInfo":{"name":"surge serve","version":"0.1.0"}}})");
  args = mcp;
  args.insert(args.end(), {"-H", "mcp-session-id: " + session[1].str(), "--data-binary",
                           R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo",)"
                           R"("arguments":{"message":"over h2"}}})"});
  EXPECT_EQ(body_after_head(curl_h2(server.port(), "/mcp", args)),
            R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Echo: over h2"}]}})");
}

TEST(ServeH2, AnswersAWebSocketEndpoint426AsOverHttp11) {
  ServerProcess server(options_on_free_port());
  std::string response = curl_h2(server.port(), "/ws");
  EXPECT_TRUE(response.starts_with("HTTP/2 426 \r\n")) << response;
  EXPECT_EQ(response.find("upgrade:"), std::string::npos) << response;
}

TEST(ServeH2, CountsEveryRequestOfH2loadUnderH2AndTheOthersUnderHttp11) {
  ServerProcess server(options_on_free_port());
  Ran ran = run({"h2load", "-n", "2000", "-c", "4", "-m", "10", url(server.port(), "/json")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(
      ran.out.find("requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored"),
      std::string::npos)
      << ran.out;
  for (int i = 0; i < 3; ++i) http11_body(server.port(), "/json");
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["by_protocol"], nlohmann::json({{"h2", 2000}, {"http/1.1", 3}}));
  EXPECT_EQ(stats["requests_total"], 2003);
  EXPECT_EQ(stats["h2"], nlohmann::json({{"connections", 4},
                                         {"open", 0},
                                         {"streams", 2000},
                                         {"responses", 2000},
                                         {"rst_sent", 0},
                                         {"goaway_sent", 0},
                                         {"settings_sent", 4},
                                         {"no_status_sent", 0}}));
  EXPECT_EQ(stats["connections"]["accepted"], 4 + 3 + 1);
}

}  // namespace
}  // namespace surge::serve::testing
