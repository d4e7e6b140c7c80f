// The hex helpers that replace the copies in extract, proto/jsonrpc, serve and proto/http.
#include "text/hex.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::text {
namespace {

TEST(Hex, ReadsDigitsOfEitherCase) {
  EXPECT_EQ(hex_digit_value('0'), 0);
  EXPECT_EQ(hex_digit_value('9'), 9);
  EXPECT_EQ(hex_digit_value('a'), 10);
  EXPECT_EQ(hex_digit_value('F'), 15);
  EXPECT_EQ(hex_digit_value('g'), -1);
  EXPECT_EQ(hex_digit_value('/'), -1);
}

TEST(Hex, ReadsFourDigitsOnlyWhenAllAreThere) {
  EXPECT_EQ(read_hex4("x00e9", 1), 0xe9);
  EXPECT_EQ(read_hex4("DbFf", 0), 0xDBFF);
  EXPECT_EQ(read_hex4("12g4", 0), -1);
  EXPECT_EQ(read_hex4("123", 0), -1);
  EXPECT_EQ(read_hex4("1234", 1), -1);
  EXPECT_EQ(read_hex4("1234", 5), -1);
}

TEST(Hex, AppendsTheLowDigitsInLowerCase) {
  std::string out = "id-";
  append_hex(out, 0xABCDEF0123456789ull, 16);
  append_hex(out, 0x2A, 4);
  EXPECT_EQ(out, "id-abcdef0123456789002a");
}

TEST(Hex, ParsesOneToSixteenDigits) {
  uint64_t value = 0;
  EXPECT_TRUE(parse_hex("ffFF0001", value));
  EXPECT_EQ(value, 0xFFFF0001u);
  EXPECT_TRUE(parse_hex("ffffffffffffffff", value));
  EXPECT_EQ(value, UINT64_MAX);
  EXPECT_FALSE(parse_hex("", value));
  EXPECT_FALSE(parse_hex("1ffffffffffffffff", value));
  EXPECT_FALSE(parse_hex("12 3", value));
}

}  // namespace
}  // namespace surge::text
