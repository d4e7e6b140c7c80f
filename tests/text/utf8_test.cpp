// is_valid_utf8 (moved from proto/ws; plan/ uses the same check) against RFC 3629's edges: the first and last
// code point of each length, overlongs, surrogates, values past U+10FFFF and sequences cut short, on both
// sides of the 8-byte ASCII fast path.
#include "text/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::text {
namespace {

TEST(Utf8, AcceptsTheBoundariesOfEachSequenceLength) {
  for (const char* text : {"", "\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xef\xbf\xbf",
                           "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80"}) {
    EXPECT_TRUE(is_valid_utf8(text)) << testing::PrintToString(text);
  }
}

TEST(Utf8, RejectsOverlongsSurrogatesAndValuesPastTheLastCodePoint) {
  for (const char* text : {"\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xed\xa0\x80",
                           "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\x80"}) {
    EXPECT_FALSE(is_valid_utf8(text)) << testing::PrintToString(text);
  }
}

TEST(Utf8, RejectsASequenceCutShortAtTheEnd) {
  EXPECT_FALSE(is_valid_utf8("abc\xe2\x82"));
  EXPECT_TRUE(is_valid_utf8("abc\xe2\x82\xac"));
}

TEST(Utf8, FindsABadByteAfterALongAsciiRun) {
  std::string text(64, 'a');
  EXPECT_TRUE(is_valid_utf8(text));
  text[61] = '\xff';
  EXPECT_FALSE(is_valid_utf8(text));
  text[61] = '\xc3';
  text[62] = '\xa9';
  EXPECT_TRUE(is_valid_utf8(text));
}

// plan.cpp had its own per-position check beside ws's whole-text one; both now read one table.
TEST(Utf8SequenceLength, AgreesWithTheWholeTextCheckAtEachPosition) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xc3\xa9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x82\xac", 0), 3u);
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x98\x80", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("\xed\xa0\x80", 0), 0u);  // a surrogate
  EXPECT_EQ(utf8_sequence_length("\xe0\x80\xaf", 0), 0u);  // overlong
  EXPECT_EQ(utf8_sequence_length("\xe2\x82", 0), 0u);      // cut short
  EXPECT_EQ(utf8_sequence_length("\x80", 0), 0u);          // a continuation byte first
  EXPECT_EQ(utf8_sequence_length("a", 1), 0u);             // past the end
}

TEST(EncodeUtf8, WritesTheLastCodePointOfEachLength) {
  char out[4];
  EXPECT_EQ(std::string(out, encode_utf8(0x7F, out)), "\x7f");
  EXPECT_EQ(std::string(out, encode_utf8(0x7FF, out)), "\xdf\xbf");
  EXPECT_EQ(std::string(out, encode_utf8(0xFFFF, out)), "\xef\xbf\xbf");
  EXPECT_EQ(std::string(out, encode_utf8(0x10FFFF, out)), "\xf4\x8f\xbf\xbf");
}

}  // namespace
}  // namespace surge::text
