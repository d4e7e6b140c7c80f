// is_valid_utf8 against RFC 3629's edges: the first and last code point of each length, overlongs,
// surrogates, values past U+10FFFF and sequences cut short, on both sides of the 8-byte ASCII fast path.
#include "proto/ws/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::proto::ws {
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

}  // namespace
}  // namespace surge::proto::ws
