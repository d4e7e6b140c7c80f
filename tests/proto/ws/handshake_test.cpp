// The opening handshake: RFC 6455's sample key, the request we write, and every check of the server's
// answer (client side) and of an upgrade request (server side), with their messages.
#include "proto/ws/handshake.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace surge::proto::ws {
namespace {

constexpr std::string_view kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3
constexpr std::string_view kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

std::string response_head(std::string_view fields) {
  return "HTTP/1.1 101 Switching Protocols\r\n" + std::string(fields) + "\r\n";
}

const std::string kGoodFields =
    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + std::string(kSampleAccept) +
    "\r\n";

std::string check_error(int status, std::string_view head, std::vector<std::string> offered = {}) {
  auto result = check_upgrade_response(status, head, kSampleKey, offered);
  return result ? "accepted '" + *result + "'" : result.error().message;
}

TEST(Handshake, ComputesTheRfcSampleAcceptKey) { EXPECT_EQ(compute_accept_key(kSampleKey), kSampleAccept); }

TEST(Handshake, MakesAClientKeyFromSixteenBigEndianBytes) {
  // "the sample nonce" is the 16 bytes behind RFC 6455's sample key.
  EXPECT_EQ(make_client_key(0x7468652073616d70, 0x6c65206e6f6e6365), kSampleKey);
  EXPECT_EQ(make_client_key(0, 0), "AAAAAAAAAAAAAAAAAAAAAA==");
}

TEST(Handshake, WritesTheUpgradeRequest) {
  std::string out;
  std::vector<std::string> protocols = {"chat", "superchat"};
  append_upgrade_request(out, "example.com:8080", "/ws/room/main?x=1", "Authorization: Bearer t\r\n",
                         protocols, kSampleKey);
  EXPECT_EQ(
      out,
      "GET /ws/room/main?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: chat, superchat\r\nAuthorization: Bearer t\r\n\r\n");
}

TEST(Handshake, WritesNoProtocolFieldWithoutSubprotocols) {
  std::string out;
  append_upgrade_request(out, "h", "/ws", "", {}, kSampleKey);
  EXPECT_EQ(out.find("Sec-WebSocket-Protocol"), std::string::npos);
  EXPECT_TRUE(out.ends_with("Sec-WebSocket-Version: 13\r\n\r\n"));
}

TEST(UpgradeResponseCheck, AcceptsTheRfcSampleAnswer) {
  EXPECT_EQ(check_error(101, response_head(kGoodFields)), "accepted ''");
}

TEST(UpgradeResponseCheck, AcceptsFieldsInAnyCaseAndWithoutTheStatusLine) {
  EXPECT_EQ(
      check_error(101, "upgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\nsec-websocket-accept: " +
                           std::string(kSampleAccept) + "\r\n\r\n"),
      "accepted ''");
}

TEST(UpgradeResponseCheck, RejectsAnotherStatus) {
  EXPECT_EQ(check_error(200, response_head(kGoodFields)), "expected status 101, found 200");
}

TEST(UpgradeResponseCheck, RejectsAMissingUpgrade) {
  EXPECT_EQ(check_error(101, response_head("Connection: Upgrade\r\n")),
            "expected Upgrade: websocket, found none");
}

TEST(UpgradeResponseCheck, RejectsAnotherUpgrade) {
  EXPECT_EQ(check_error(101, response_head("Upgrade: h2c\r\nConnection: Upgrade\r\n")),
            "expected Upgrade: websocket, found \"h2c\"");
}

TEST(UpgradeResponseCheck, RejectsAConnectionWithoutUpgrade) {
  EXPECT_EQ(check_error(101, response_head("Upgrade: websocket\r\nConnection: close\r\n")),
            "expected Connection: upgrade, found \"close\"");
}

TEST(UpgradeResponseCheck, RejectsAWrongAccept) {
  EXPECT_EQ(check_error(101, response_head(
                                 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n")),
            "expected Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, found \"x\"");
}

TEST(UpgradeResponseCheck, RejectsAMissingAccept) {
  EXPECT_EQ(check_error(101, response_head("Upgrade: websocket\r\nConnection: Upgrade\r\n")),
            "expected Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, found none");
}

TEST(UpgradeResponseCheck, ReturnsTheOfferedSubprotocolTheServerChose) {
  EXPECT_EQ(check_error(101, response_head(kGoodFields + "Sec-WebSocket-Protocol: superchat\r\n"),
                        {"chat", "superchat"}),
            "accepted 'superchat'");
}

TEST(UpgradeResponseCheck, RejectsASubprotocolThatWasNotOffered) {
  EXPECT_EQ(check_error(101, response_head(kGoodFields + "Sec-WebSocket-Protocol: mcp\r\n"), {"chat"}),
            "server chose subprotocol \"mcp\", which was not offered");
}

TEST(UpgradeResponseCheck, RejectsAnExtensionWeDidNotOffer) {
  EXPECT_EQ(check_error(101, response_head(kGoodFields + "Sec-WebSocket-Extensions: permessage-deflate\r\n")),
            "server chose extensions \"permessage-deflate\", none offered");
}

const std::string kRequest =
    "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n\r\n";

std::string request_error(std::string_view method, std::string request) {
  auto result = check_upgrade_request(method, request);
  return result ? "key " + std::string(result->key) + " protocol " + std::string(result->first_subprotocol)
                : result.error().message;
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  return text.replace(text.find(from), from.size(), to);
}

TEST(UpgradeRequestCheck, RecognisesAnUpgradeByItsUpgradeField) {
  EXPECT_TRUE(is_upgrade_request(kRequest));
  EXPECT_FALSE(is_upgrade_request("GET /ws HTTP/1.1\r\nHost: h\r\n\r\n"));
  EXPECT_FALSE(is_upgrade_request("GET /ws HTTP/1.1\r\nUpgrade: h2c\r\n\r\n"));
}

TEST(UpgradeRequestCheck, ReturnsTheKeyAndTheFirstSubprotocol) {
  EXPECT_EQ(request_error("GET", kRequest), "key dGhlIHNhbXBsZSBub25jZQ== protocol chat");
}

TEST(UpgradeRequestCheck, RejectsAnotherMethod) {
  EXPECT_EQ(request_error("POST", kRequest), "a WebSocket upgrade must be a GET, not \"POST\"");
}

TEST(UpgradeRequestCheck, RejectsAConnectionWithoutUpgrade) {
  EXPECT_EQ(request_error("GET", replaced(kRequest, "keep-alive, Upgrade", "keep-alive")),
            "expected Connection: upgrade, found \"keep-alive\"");
}

TEST(UpgradeRequestCheck, RejectsAnotherVersion) {
  EXPECT_EQ(request_error("GET", replaced(kRequest, "Version: 13", "Version: 8")),
            "expected Sec-WebSocket-Version: 13, found \"8\"");
}

TEST(UpgradeRequestCheck, RejectsAKeyThatIsNotSixteenBytes) {
  EXPECT_EQ(request_error("GET", replaced(kRequest, "dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZR==")),
            "expected a Sec-WebSocket-Key of 16 base64 bytes, found \"dGhlIHNhbXBsZSBub25jZR==\"");
  EXPECT_EQ(request_error("GET", replaced(kRequest, "dGhlIHNhbXBsZSBub25jZQ==", "abc")),
            "expected a Sec-WebSocket-Key of 16 base64 bytes, found \"abc\"");
}

TEST(UpgradeRequestCheck, WritesTheSwitchingProtocolsAnswer) {
  std::string out;
  append_upgrade_response(out, kSampleKey, "chat");
  EXPECT_EQ(out,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n");
}

TEST(UpgradeRequestCheck, OurAnswerPassesOurClientCheck) {
  std::string out;
  append_upgrade_response(out, kSampleKey, "");
  EXPECT_EQ(check_error(101, out), "accepted ''");
}

}  // namespace
}  // namespace surge::proto::ws
