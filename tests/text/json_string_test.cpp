// JSON string bodies both ways. The escaper replaces three copies that disagreed on \b and \f (proto/jsonrpc
// and serve wrote \u0008 and \u000c, templating and plan the short forms): the short forms were kept, as
// RFC 8259 §7 lists them and nlohmann::json (results.json) writes them. The unescaper replaces two that
// disagreed on a \u without four hex digits (jsonrpc stopped decoding, extract kept a 'u'): 'u' was kept,
// so the rest of the text is not lost.
#include "text/json_string.h"

#include <gtest/gtest.h>

#include <string>

#include "text/utf8.h"

namespace surge::text::json {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_escaped(out, text);
  return out;
}

std::string unescaped(std::string_view body) {
  std::string out;
  append_unescaped(out, body);
  return out;
}

std::string decoded_byte_by_byte(std::string_view body) {
  std::string out;
  StringDecoder decoder(body);
  for (char byte; decoder.next(byte);) out += byte;
  return out;
}

TEST(JsonEscape, EscapesQuotesBackslashesAndEveryControlCharacter) {
  EXPECT_EQ(escaped(std::string_view("\"\\\b\f\n\r\t\x00\x07\x1f\x7f", 11)),
            "\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0007\\u001f\x7f");
}

TEST(JsonEscape, AppendsToWhatTheBufferHolds) {
  std::string out = "<";
  append_escaped(out, "a\"b\\c\nd\te\r\x01\x1f \xc3\xa9");
  EXPECT_EQ(out, "<a\\\"b\\\\c\\nd\\te\\r\\u0001\\u001f \xc3\xa9");
}

TEST(JsonEscape, PassesPlainTextAndUtf8Unchanged) {
  EXPECT_EQ(escaped("caf\xc3\xa9 / <ok>"), "caf\xc3\xa9 / <ok>");
  EXPECT_EQ(escaped(""), "");
}

TEST(JsonUnescape, ResolvesEveryEscapeAndJoinsSurrogatePairs) {
  EXPECT_EQ(unescaped(R"(a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00)"),
            "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(JsonUnescape, DecodesALoneSurrogateAsTheReplacementCharacter) {
  EXPECT_EQ(unescaped(R"(\ud800x\udc00)"), "\xEF\xBF\xBDx\xEF\xBF\xBD");
  EXPECT_EQ(unescaped(R"(\ud83d\u0041)"),
            "\xEF\xBF\xBD"
            "A");  // a high surrogate before a non-surrogate
}

TEST(JsonUnescape, KeepsTheRestOfABodyThatWasNotValidated) {
  EXPECT_EQ(unescaped(R"(a\u12x4b)"), "au12x4b");
  EXPECT_EQ(unescaped("ab\\"), "ab\\");
}

TEST(JsonUnescape, DecodesTheSameBytesAsTheByteAtATimeDecoder) {
  for (std::string_view body :
       {R"(plain)", R"(a\"b\\c\/d\b\f\n\r\t)", R"(\u00e9\ud83d\ude00\ud800x)", "ab\\", R"(\u12x4)"}) {
    EXPECT_EQ(decoded_byte_by_byte(body), unescaped(body)) << body;
  }
}

TEST(JsonUnescape, UndoesTheEscapeOfValidUtf8) {
  std::string text = "caf\xc3\xa9 \"q\" \\ \x01\x1f\b\f\n\r\t \xf0\x9f\x98\x80";
  ASSERT_TRUE(is_valid_utf8(text));
  EXPECT_EQ(unescaped(escaped(text)), text);
}

TEST(JsonDecodeEqual, ComparesDecodedBytesNotEscapes) {
  EXPECT_TRUE(decodes_to(R"(caf\u00e9)", "caf\xc3\xa9"));
  EXPECT_FALSE(decodes_to(R"(caf\u00e9)", "cafe"));
  EXPECT_FALSE(decodes_to(R"(a\n)", "a"));
  EXPECT_TRUE(decode_equal(R"(\u0041b)", R"(A\u0062)"));
  EXPECT_FALSE(decode_equal(R"(\u0041b)", R"(Ab\u0063)"));
}

}  // namespace
}  // namespace surge::text::json
