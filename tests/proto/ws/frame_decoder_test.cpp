// FrameDecoder: events for every frame kind, fragments joined, any split of the input, and each way a peer
// can break RFC 6455 §5, reported by kind and by its one-line detail.
#include "proto/ws/frame_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "proto/ws/frame.h"
#include "ws_test_helpers.h"

namespace surge::proto::ws {
namespace {

constexpr DecodeOptions kServer{Role::kServer};
const std::string kHeaderRuleBroken =
    "control frame fragmented or over 125 bytes, or a length not in its shortest form";

Decoded events(std::vector<std::string> list) { return {std::move(list), FrameError::kNone, ""}; }
Decoded failure(FrameError error, std::string detail, std::vector<std::string> before = {}) {
  return {std::move(before), error, std::move(detail)};
}

TEST(FrameDecoder, ReadsTheRfcUnmaskedHelloInAnySplit) {
  expect_every_split(bytes("81 05 48 65 6c 6c 6f"), events({"text:Hello"}));
}

TEST(FrameDecoder, UnmasksTheRfcMaskedHelloInAnySplit) {
  expect_every_split(bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), events({"text:Hello"}), kServer);
}

TEST(FrameDecoder, JoinsTheRfcFragmentedHello) {
  expect_every_split(bytes("01 03 48 65 6c 80 02 6c 6f"), events({"text:Hello"}));
}

TEST(FrameDecoder, DeliversAPingBetweenFragmentsBeforeTheMessage) {
  expect_every_split(bytes("01 03 48 65 6c 89 02 68 69 80 02 6c 6f"), events({"ping:hi", "text:Hello"}));
}

TEST(FrameDecoder, JoinsBinaryFragmentsIncludingAnEmptyOne) {
  expect_every_split(bytes("02 01 00 00 00 80 02 ff 01"),
                     events({std::string("binary:") + bytes("00 ff 01")}));
}

TEST(FrameDecoder, ReportsEveryMessageOfOneReadInOrder) {
  expect_every_split(bytes("81 01 61 82 00 8a 01 70 81 01 62"),
                     events({"text:a", "binary:", "pong:p", "text:b"}));
}

TEST(FrameDecoder, ReadsTheTwoByteLengthForm) {
  const std::string payload(126, 'x');
  expect_every_split(bytes("82 7e 00 7e") + payload, events({"binary:" + payload}));
}

TEST(FrameDecoder, ReadsTheEightByteLengthFormInPieces) {
  const std::string payload(65536, 'y');
  const std::string wire = bytes("82 7f 00 00 00 00 00 01 00 00") + payload;
  EXPECT_EQ(decode_in_reads(wire, 7, 3), events({"binary:" + payload}));
  EXPECT_EQ(decode_in_reads(wire, 1), events({"binary:" + payload}));
}

TEST(FrameDecoder, JoinsAOneMebibyteMessageOfManyFragments) {
  std::string wire, whole;
  for (int i = 0; i < 16; ++i) {
    const std::string part(65536, static_cast<char>('a' + i));
    whole += part;
    ASSERT_TRUE(
        append_frame(wire, i == 0 ? Opcode::kBinary : Opcode::kContinuation, part, i == 15, 0x0badf00d));
  }
  EXPECT_EQ(decode_in_reads(wire, 65536, 0, kServer), events({"binary:" + whole}));
}

TEST(FrameDecoder, ReportsACloseWithItsCodeAndReason) {
  expect_every_split(bytes("88 05 03 e8 62 79 65"), events({"close:1000:bye"}));
}

TEST(FrameDecoder, ReportsAnEmptyCloseAsNoStatus) {
  expect_every_split(bytes("88 00"), events({"close:1005:"}));
}

TEST(FrameDecoder, IgnoresBytesAfterTheClose) {
  FrameDecoder decoder(Role::kClient);
  RecordingHandler handler;
  EXPECT_EQ(decoder.feed(bytes("88 02 03 e8 81 01 61"), handler), FrameError::kNone);
  EXPECT_EQ(decoder.feed(bytes("81 01 62"), handler), FrameError::kNone);
  EXPECT_TRUE(decoder.is_closed());
  EXPECT_EQ(handler.events, std::vector<std::string>{"close:1000:"});
}

TEST(FrameDecoder, AcceptsAMultibyteCharacterSplitAcrossFragments) {
  expect_every_split(bytes("01 01 c3 80 01 a9"), events({"text:\xc3\xa9"}));
}

TEST(FrameDecoderErrors, RejectsReservedBits) {
  expect_every_split(bytes("c1 01 61"),
                     failure(FrameError::kProtocolError, "reserved bits set without a negotiated extension"));
}

TEST(FrameDecoderErrors, RejectsAReservedDataOpcode) {
  expect_every_split(bytes("83 00"), failure(FrameError::kProtocolError, "reserved opcode 0x3"));
}

TEST(FrameDecoderErrors, RejectsAReservedControlOpcode) {
  expect_every_split(bytes("8b 00"), failure(FrameError::kProtocolError, "reserved opcode 0xb"));
}

TEST(FrameDecoderErrors, RejectsAControlFrameOver125Bytes) {
  expect_every_split(bytes("89 7e 00 7e") + std::string(126, 'p'),
                     failure(FrameError::kProtocolError, kHeaderRuleBroken));
}

TEST(FrameDecoderErrors, RejectsAFragmentedControlFrame) {
  expect_every_split(bytes("09 01 61"), failure(FrameError::kProtocolError, kHeaderRuleBroken));
}

TEST(FrameDecoderErrors, RejectsALengthNotInItsShortestForm) {
  expect_every_split(bytes("82 7e 00 05 61 62 63 64 65"),
                     failure(FrameError::kProtocolError, kHeaderRuleBroken));
}

TEST(FrameDecoderErrors, RejectsAContinuationWithoutAMessage) {
  expect_every_split(
      bytes("81 01 61 80 01 62"),
      failure(FrameError::kProtocolError, "continuation frame without a message to continue", {"text:a"}));
}

TEST(FrameDecoderErrors, RejectsANewMessageInsideAFragmentedOne) {
  expect_every_split(bytes("01 01 61 82 01 62"),
                     failure(FrameError::kProtocolError, "new message inside a fragmented one"));
}

TEST(FrameDecoderErrors, RejectsACloseCodeThatMayNotBeSent) {
  expect_every_split(bytes("88 02 03 ed"),
                     failure(FrameError::kProtocolError, "close code not allowed in a close frame: 1005"));
}

TEST(FrameDecoderErrors, RejectsAOneByteClosePayload) {
  expect_every_split(bytes("88 01 03"),
                     failure(FrameError::kProtocolError, "close frame with a 1-byte payload"));
}

TEST(FrameDecoderErrors, RejectsACloseReasonThatIsNotUtf8) {
  expect_every_split(bytes("88 03 03 e8 ff"),
                     failure(FrameError::kProtocolError, "close reason is not valid UTF-8"));
}

TEST(FrameDecoderErrors, RejectsTextThatIsNotUtf8) {
  expect_every_split(bytes("81 02 c3 28"),
                     failure(FrameError::kProtocolError, "text message is not valid UTF-8"));
}

TEST(FrameDecoderErrors, RejectsASurrogateInFragmentedText) {
  expect_every_split(bytes("01 01 61 80 03 ed a0 80"),
                     failure(FrameError::kProtocolError, "text message is not valid UTF-8"));
}

TEST(FrameDecoderErrors, RejectsAMaskedFrameFromAServer) {
  expect_every_split(bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
                     failure(FrameError::kMaskMismatch, "masked frame from a server"));
}

TEST(FrameDecoderErrors, RejectsAnUnmaskedFrameFromAClient) {
  expect_every_split(bytes("81 05 48 65 6c 6c 6f"),
                     failure(FrameError::kMaskMismatch, "unmasked frame from a client"), kServer);
}

TEST(FrameDecoderErrors, RejectsAFrameOverTheMessageLimit) {
  DecodeOptions limit_10{Role::kClient, 10};
  expect_every_split(bytes("82 0b") + std::string(11, 'z'),
                     failure(FrameError::kMessageTooBig, "message over the limit of 10"), limit_10);
}

TEST(FrameDecoderErrors, RejectsFragmentsAddingUpOverTheMessageLimit) {
  DecodeOptions limit_10{Role::kClient, 10};
  EXPECT_EQ(decode_whole(bytes("82 0a") + std::string(10, 'z'), limit_10),
            events({"binary:" + std::string(10, 'z')}));
  expect_every_split(bytes("02 06 61 61 61 61 61 61 80 05 62 62 62 62 62"),
                     failure(FrameError::kMessageTooBig, "message over the limit of 10"), limit_10);
}

TEST(FrameDecoderErrors, AnnouncedHugeLengthFailsWithoutBuffering) {
  expect_every_split(bytes("82 7f 7f ff ff ff ff ff ff ff 00"),
                     failure(FrameError::kMessageTooBig, "message over the limit of 16777216"));
}

TEST(FrameDecoderErrors, StaysFailedAfterAnError) {
  FrameDecoder decoder(Role::kClient);
  RecordingHandler handler;
  EXPECT_EQ(decoder.feed(bytes("83 00"), handler), FrameError::kProtocolError);
  EXPECT_EQ(decoder.feed(bytes("81 01 61"), handler), FrameError::kProtocolError);
  EXPECT_EQ(decoder.error_detail(), "reserved opcode 0x3");
  EXPECT_TRUE(handler.events.empty());
}

TEST(FrameDecoder, ReadsAgainAfterReset) {
  FrameDecoder decoder(Role::kClient);
  RecordingHandler handler;
  ASSERT_EQ(decoder.feed(bytes("83 00 01 01"), handler), FrameError::kProtocolError);
  decoder.reset();
  EXPECT_EQ(decoder.feed(bytes("81 01 61"), handler), FrameError::kNone);
  EXPECT_EQ(decoder.error_detail(), "");
  EXPECT_EQ(handler.events, std::vector<std::string>{"text:a"});
}

TEST(FrameDecoder, KeepsItsPartialFrameWhenMoved) {
  FrameDecoder first(Role::kClient);
  RecordingHandler handler;
  ASSERT_EQ(first.feed(bytes("01 03 48 65"), handler), FrameError::kNone);
  FrameDecoder moved(std::move(first));
  EXPECT_EQ(moved.feed(bytes("6c 80 02 6c 6f"), handler), FrameError::kNone);
  EXPECT_EQ(handler.events, std::vector<std::string>{"text:Hello"});
}

}  // namespace
}  // namespace surge::proto::ws
