// The hostile modes' names and bytes, checked against surge's own readers: each answer must break exactly the
// rule its mode names (the response parser and the WebSocket frame decoder say which).
#include "serve/misbehave.h"

#include <gtest/gtest.h>

#include <string>

#include "proto/http/response_parser.h"
#include "proto/ws/frame_decoder.h"

namespace surge::serve {
namespace {

using proto::http::ParseError;
using proto::http::ResponseParser;

// What the response parser makes of a mode's whole answer (filler included, generated).
ResponseParser parse_answer(Misbehaviour mode) {
  HostileAnswer answer = hostile_answer(mode, 7);
  std::string wire = answer.prefix;
  for (uint64_t at = 0; at < answer.filler_bytes;) {
    std::string_view run = filler_bytes(answer.filler, at, answer.filler_bytes - at);
    wire.append(run);
    at += run.size();
  }
  wire.append(answer.suffix);
  ResponseParser parser(uint32_t{4} << 20, uint32_t{4} << 20);  // limits out of the way: framing only
  parser.start(false);
  parser.feed(wire.data(), wire.size());
  return parser;
}

class NoFrames final : public proto::ws::FrameHandler {
 public:
  void on_message(proto::ws::Opcode, std::string_view) override { ADD_FAILURE() << "a message"; }
  void on_ping(std::string_view) override { ADD_FAILURE() << "a ping"; }
  void on_pong(std::string_view) override { ADD_FAILURE() << "a pong"; }
  void on_close(uint16_t, std::string_view) override { ADD_FAILURE() << "a close"; }
};

proto::ws::FrameError client_reads(Misbehaviour mode) {
  proto::ws::FrameDecoder decoder(proto::ws::Role::kClient);
  NoFrames handler;
  return decoder.feed(hostile_frame(mode), handler);
}

TEST(Misbehave, NamesEveryModeAndParsesItsNameBack) {
  for (size_t i = 1; i < static_cast<size_t>(Misbehaviour::kCount); ++i) {
    auto mode = static_cast<Misbehaviour>(i);
    EXPECT_EQ(parse_misbehaviour(to_string(mode)), mode) << to_string(mode);
  }
  EXPECT_EQ(parse_misbehaviour("polite"), std::nullopt);
  EXPECT_EQ(
      misbehaviour_names(),
      "garbage, drip, huge-header, long-header-line, no-colon, cl-and-chunked, negative-length, "
      "overflow-length, chunk-overflow, huge-body, early-response, reset-mid-body, never-read, ws-masked, "
      "ws-oversized-control, ws-fragmented-control, h2-goaway, h2-rst-stream, h2-window-1, "
      "h2-settings-flood, h2-no-status");
}

TEST(Misbehave, EachMalformedAnswerBreaksTheRuleItsModeNames) {
  EXPECT_EQ(parse_answer(Misbehaviour::kGarbage).error(), ParseError::kBadStatusLine);
  EXPECT_EQ(parse_answer(Misbehaviour::kNoColon).error(), ParseError::kBadHeader);
  EXPECT_EQ(parse_answer(Misbehaviour::kNegativeLength).error(), ParseError::kBadContentLength);
  EXPECT_EQ(parse_answer(Misbehaviour::kOverflowLength).error(), ParseError::kBadContentLength);
  EXPECT_EQ(parse_answer(Misbehaviour::kChunkOverflow).error(), ParseError::kChunkTooLarge);
}

TEST(Misbehave, HugeHeadsAreWellFormedExceptForTheirSize) {
  ResponseParser header = parse_answer(Misbehaviour::kHugeHeader);
  EXPECT_EQ(header.status(), ResponseParser::Status::kComplete);
  EXPECT_EQ(header.wire_bytes(), 17u + (1u << 20) + 21u);  // status line, 1,024 lines of 1 KiB, the last one
  EXPECT_EQ(parse_answer(Misbehaviour::kLongHeaderLine).status(), ResponseParser::Status::kComplete);
  ResponseParser strict;  // the defaults: 64 KiB heads, 16 KiB lines
  HostileAnswer answer = hostile_answer(Misbehaviour::kHugeHeader, 0);
  std::string head = answer.prefix + std::string(filler_bytes(answer.filler, 0, 65536));
  strict.feed(head.data(), head.size());
  EXPECT_EQ(strict.error(), ParseError::kHeaderTooLarge);
}

TEST(Misbehave, ContentLengthWithChunkedIsReadAsChunked) {
  ResponseParser parser = parse_answer(Misbehaviour::kClAndChunked);
  EXPECT_EQ(parser.status(), ResponseParser::Status::kComplete);
  EXPECT_EQ(parser.body_bytes(), 2u);
  EXPECT_FALSE(parser.keep_alive());
}

TEST(Misbehave, ResetMidBodyAnnouncesTwiceWhatItSends) {
  HostileAnswer answer = hostile_answer(Misbehaviour::kResetMidBody, 0);
  EXPECT_EQ(answer.prefix, "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n");
  EXPECT_EQ(answer.filler_bytes, 2048u);
  EXPECT_EQ(answer.end, HostileAnswer::End::kReset);
}

TEST(Misbehave, GarbageDiffersPerSeedAndNeverStartsLikeAStatusLine) {
  std::string a = hostile_answer(Misbehaviour::kGarbage, 1).prefix;
  std::string b = hostile_answer(Misbehaviour::kGarbage, 2).prefix;
  EXPECT_EQ(a.size(), 512u);
  EXPECT_NE(a, b);
  EXPECT_NE(a[0], 'H');
}

TEST(Misbehave, EachBrokenFrameIsRejectedByAClient) {
  EXPECT_EQ(client_reads(Misbehaviour::kWsMasked), proto::ws::FrameError::kMaskMismatch);
  EXPECT_EQ(client_reads(Misbehaviour::kWsOversizedControl), proto::ws::FrameError::kProtocolError);
  EXPECT_EQ(client_reads(Misbehaviour::kWsFragmentedControl), proto::ws::FrameError::kProtocolError);
}

}  // namespace
}  // namespace surge::serve
