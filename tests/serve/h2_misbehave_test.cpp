// The HTTP/2 modes of `surge serve --misbehave`, each observed by a reference client (nghttp, h2load, curl)
// and counted by the server's own stats: both sides must agree on what happened.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "reference_clients.h"
#include "serve_support.h"

namespace surge::serve::testing {
namespace {

ServeOptions misbehaving(Misbehaviour mode) {
  ServeOptions options = options_on_free_port();
  options.misbehave = mode;
  return options;
}

std::string url(uint16_t port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

TEST(ServeH2Misbehave, NamesTheHttp2Modes) {
  EXPECT_EQ(parse_misbehaviour("h2-goaway"), Misbehaviour::kH2Goaway);
  EXPECT_EQ(parse_misbehaviour("h2-rst-stream"), Misbehaviour::kH2RstStream);
  EXPECT_EQ(parse_misbehaviour("h2-window-1"), Misbehaviour::kH2Window1);
  EXPECT_EQ(parse_misbehaviour("h2-settings-flood"), Misbehaviour::kH2SettingsFlood);
  EXPECT_EQ(parse_misbehaviour("h2-no-status"), Misbehaviour::kH2NoStatus);
}

TEST(ServeH2Misbehave, SendsGoawayAfterTenStreamsAndAnswersThoseTen) {
  ServerProcess server(misbehaving(Misbehaviour::kH2Goaway));
  // One request at a time on one connection: the first 10 are answered, GOAWAY ends the connection, and
  // h2load (which does not reconnect) fails the other 20.
  Ran ran = run({"h2load", "-n", "30", "-c", "1", "-m", "1", url(server.port(), "/json")});
  EXPECT_NE(ran.out.find("requests: 30 total, 10 started, 10 done, 10 succeeded, 20 failed, 20 errored"),
            std::string::npos)
      << ran.out;
  std::vector<std::string> argv = {"nghttp", "-v"};
  for (int i = 1; i <= 12; ++i) argv.push_back(url(server.port(), "/json?" + std::to_string(i)));
  Ran nghttp = run(argv);
  // nghttp's request streams are 13, 15, ...: the tenth is 31.
  EXPECT_NE(nghttp.out.find("recv GOAWAY frame <length=8, flags=0x00, stream_id=0>\n"
                            "          (last_stream_id=31, error_code=NO_ERROR(0x00)"),
            std::string::npos)
      << nghttp.out;
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["h2"]["goaway_sent"], 2);
  EXPECT_EQ(stats["by_protocol"]["h2"], 10 + 10);
}

TEST(ServeH2Misbehave, ResetsEveryFifthStreamAndCountsOnlyTheOthers) {
  ServerProcess server(misbehaving(Misbehaviour::kH2RstStream));
  Ran ran = run({"h2load", "-n", "100", "-c", "1", "-m", "10", url(server.port(), "/json")});
  EXPECT_NE(ran.out.find("requests: 100 total, 100 started, 100 done, 80 succeeded, 20 failed, 20 errored"),
            std::string::npos)
      << ran.out;
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["h2"]["rst_sent"], 20);
  EXPECT_EQ(stats["h2"]["streams"], 100);
  EXPECT_EQ(stats["by_protocol"]["h2"], 80);
}

TEST(ServeH2Misbehave, AdvertisesAOneByteWindowAndStillReadsTheWholeBody) {
  ServerProcess server(misbehaving(Misbehaviour::kH2Window1));
  std::string body(66000, 'a');
  std::string file = test_support::test_temp_dir() + "/window-1.bin";
  std::ofstream(file, std::ios::binary) << body;
  Ran ran = run({"nghttp", "-v", "-d", file, url(server.port(), "/echo")});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.out.find("[SETTINGS_INITIAL_WINDOW_SIZE(0x04):1]"), std::string::npos) << ran.out;
  // How many bytes then go one at a time depends on when the client's SETTINGS ACK reaches the server
  // (libnghttp2 applies its own SETTINGS once acknowledged), so only the advertisement is exact here.
  Ran echoed = run(
      {"curl", "-sS", "--http2-prior-knowledge", "--data-binary", "@" + file, url(server.port(), "/echo")});
  EXPECT_EQ(echoed.out.size(), body.size());
  EXPECT_TRUE(echoed.out == body);  // not printed: 66,000 bytes
}

TEST(ServeH2Misbehave, FloodsSettingsUntilTheClientGivesUp) {
  ServerProcess server(misbehaving(Misbehaviour::kH2SettingsFlood));
  Ran ran = run({"nghttp", url(server.port(), "/")});
  EXPECT_NE(ran.err.find("Flooding was detected in this HTTP/2 session, and it must be closed"),
            std::string::npos)
      << ran.err;
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["h2"]["settings_sent"], 1 + 10000);
  EXPECT_EQ(stats["h2"]["connections"], 1);
}

TEST(ServeH2Misbehave, SendsHeadersWithoutStatusThatClientsRejectAsMalformed) {
  ServerProcess server(misbehaving(Misbehaviour::kH2NoStatus));
  Ran nghttp = run({"nghttp", "-v", url(server.port(), "/json")});
  EXPECT_NE(nghttp.out.find("send RST_STREAM frame <length=4, flags=0x00, stream_id=13>\n"
                            "          (error_code=PROTOCOL_ERROR(0x01))"),
            std::string::npos)
      << nghttp.out;
  Ran curl = run({"curl", "-sS", "--http2-prior-knowledge", url(server.port(), "/json")});
  EXPECT_EQ(curl.exit_code, 92);
  EXPECT_NE(curl.err.find("PROTOCOL_ERROR"), std::string::npos) << curl.err;
  nlohmann::json stats = stats_of(server.port());
  EXPECT_EQ(stats["h2"]["no_status_sent"], 2);
}

TEST(ServeH2Misbehave, LeavesHttp11Alone) {
  ServerProcess server(misbehaving(Misbehaviour::kH2NoStatus));
  Client client(server.port());
  client.send(get("/json"));
  EXPECT_EQ(without_date(take_length_response(client)),
            "HTTP/1.1 200 OK\r\nDate: <date>\r\nContent-Type: application/json\r\nContent-Length: 45\r\n\r\n"
            R"({"ok":true,"service":"surge","items":[1,2,3]})");
}

}  // namespace
}  // namespace surge::serve::testing
