// append_frame and append_close_frame: exact wire bytes for each length form, masking as RFC 6455 §5.3 and
// the §5.7 examples give it, and the refusals for control frames that cannot exist.
#include <gtest/gtest.h>

#include <string>

#include "proto/ws/frame.h"
#include "ws_test_helpers.h"

namespace surge::proto::ws {
namespace {

std::string written(Opcode opcode, std::string_view payload, bool fin = true,
                    std::optional<uint32_t> mask_key = std::nullopt) {
  std::string out;
  auto result = append_frame(out, opcode, payload, fin, mask_key);
  EXPECT_TRUE(result.has_value()) << result.error().message;
  return out;
}

TEST(FrameWriter, WritesTheRfcUnmaskedHelloExample) {
  EXPECT_EQ(written(Opcode::kText, "Hello"), bytes("81 05 48 65 6c 6c 6f"));
}

TEST(FrameWriter, MasksTheRfcHelloExampleWithTheKeyMostSignificantByteFirst) {
  EXPECT_EQ(written(Opcode::kText, "Hello", true, 0x37fa213d), bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
}

TEST(FrameWriter, WritesAnEmptyPayloadInTheOneByteLengthForm) {
  EXPECT_EQ(written(Opcode::kBinary, ""), bytes("82 00"));
}

TEST(FrameWriter, Writes125BytesInTheOneByteLengthForm) {
  const std::string payload(125, 'a');
  EXPECT_TRUE(same_bytes(written(Opcode::kText, payload), bytes("81 7d") + payload));
}

TEST(FrameWriter, Writes126BytesInTheTwoByteLengthForm) {
  const std::string payload(126, 'b');
  EXPECT_TRUE(same_bytes(written(Opcode::kBinary, payload), bytes("82 7e 00 7e") + payload));
}

TEST(FrameWriter, Writes65535BytesInTheTwoByteLengthForm) {
  const std::string payload(65535, 'c');
  EXPECT_TRUE(same_bytes(written(Opcode::kBinary, payload), bytes("82 7e ff ff") + payload));
}

TEST(FrameWriter, Writes65536BytesInTheEightByteLengthForm) {
  const std::string payload(65536, 'd');
  EXPECT_TRUE(
      same_bytes(written(Opcode::kBinary, payload), bytes("82 7f 00 00 00 00 00 01 00 00") + payload));
}

TEST(FrameWriter, MasksALongPayloadByteByByteWithTheRepeatingKey) {
  std::string payload(70000, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);
  const std::string frame = written(Opcode::kBinary, payload, true, 0x01020304);
  ASSERT_EQ(frame.substr(0, 14), bytes("82 ff 00 00 00 00 00 01 11 70 01 02 03 04"));
  ASSERT_EQ(frame.size(), 14 + payload.size());
  for (size_t i = 0; i < payload.size(); ++i) {
    ASSERT_EQ(static_cast<uint8_t>(frame[14 + i]), static_cast<uint8_t>(payload[i] ^ (1 + i % 4))) << i;
  }
}

TEST(FrameWriter, ClearsFinOnANonFinalFragment) {
  EXPECT_EQ(written(Opcode::kText, "Hel", false), bytes("01 03 48 65 6c"));
  EXPECT_EQ(written(Opcode::kContinuation, "lo", true), bytes("80 02 6c 6f"));
}

// wslay keeps a masking flag per context; unmasked frames after masked ones must stay unmasked.
TEST(FrameWriter, WritesAnUnmaskedFrameAfterAMaskedOne) {
  written(Opcode::kText, "Hello", true, 0x37fa213d);
  EXPECT_EQ(written(Opcode::kText, "Hello"), bytes("81 05 48 65 6c 6c 6f"));
}

TEST(FrameWriter, AppendsAfterWhatTheBufferHolds) {
  std::string out = "prefix";
  ASSERT_TRUE(append_frame(out, Opcode::kPing, "", true, std::nullopt).has_value());
  EXPECT_EQ(out, "prefix" + bytes("89 00"));
}

TEST(FrameWriter, RefusesAControlFrameOver125Bytes) {
  std::string out = "kept";
  auto result = append_frame(out, Opcode::kPing, std::string(126, 'x'), true, std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "a ping frame carries at most 125 bytes, got 126");
  EXPECT_EQ(out, "kept");
}

TEST(FrameWriter, RefusesAFragmentedControlFrame) {
  std::string out;
  auto result = append_frame(out, Opcode::kPong, "x", false, std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "a pong frame cannot be fragmented");
  EXPECT_EQ(out, "");
}

TEST(CloseFrameWriter, WritesTheCodeBigEndianThenTheReason) {
  std::string out;
  ASSERT_TRUE(append_close_frame(out, 1000, "bye", std::nullopt).has_value());
  EXPECT_EQ(out, bytes("88 05 03 e8 62 79 65"));
}

TEST(CloseFrameWriter, WritesAnEmptyPayloadForNoStatus) {
  std::string out;
  ASSERT_TRUE(append_close_frame(out, kCloseNoStatus, "", 0x11223344).has_value());
  EXPECT_EQ(out, bytes("88 80 11 22 33 44"));
}

TEST(CloseFrameWriter, RefusesACodeThatCannotBeSent) {
  std::string out;
  auto result = append_close_frame(out, 1006, "", std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "close code 1006 cannot be sent");
}

TEST(CloseFrameWriter, RefusesAReasonOver123Bytes) {
  std::string out;
  auto result = append_close_frame(out, 1000, std::string(124, 'r'), std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "a close reason has at most 123 bytes, got 124");
}

TEST(CloseFrameWriter, RefusesAReasonThatIsNotUtf8) {
  std::string out;
  auto result = append_close_frame(out, 1000, "\xff", std::nullopt);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, "a close reason must be valid UTF-8");
}

TEST(CloseCodes, AcceptExactlyTheSendableRanges) {
  for (uint16_t code : {1000, 1001, 1002, 1003, 1007, 1010, 1014, 3000, 4999})
    EXPECT_TRUE(is_valid_close_code(code)) << code;
  for (uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    EXPECT_FALSE(is_valid_close_code(code)) << code;
}

// What the writer makes, a server-side decoder reads back unchanged, whatever the length form.
TEST(FrameWriter, RoundTripsThroughTheDecoderForEveryLengthForm) {
  for (size_t size : {0, 1, 125, 126, 4095, 4096, 65535, 65536, 100000}) {
    std::string payload(size, '\0');
    for (size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
    const std::string wire = written(Opcode::kText, payload, true, 0xdeadbeef);
    Decoded decoded = decode_in_reads(wire, 1000, 0, {Role::kServer});
    ASSERT_EQ(decoded.error, FrameError::kNone) << size << " " << decoded.detail;
    ASSERT_EQ(decoded.events.size(), 1u) << size;
    EXPECT_EQ(decoded.events[0], "text:" + payload) << size;
  }
}

}  // namespace
}  // namespace surge::proto::ws
