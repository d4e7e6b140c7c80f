// json_to_text, json_equal and json_number: unescaping to UTF-8, equality by meaning, numbers from raw text.
#include "extract/json_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>

namespace surge::extract {
namespace {

std::string text_of(std::string_view raw) {
  std::string out;
  return json_to_text(raw, out) ? out : "(rejected)";
}

TEST(JsonToText, UnescapesStringsToUtf8) {
  EXPECT_EQ(text_of(R"("plain")"), "plain");
  EXPECT_EQ(text_of(R"("a\nb\t\"q\" \\ \/ \b\f\r")"), "a\nb\t\"q\" \\ / \b\f\r");
  EXPECT_EQ(text_of(R"("caf\u00e9 \u20AC \u0041")"), "caf\xC3\xA9 \xE2\x82\xAC A");
  EXPECT_EQ(text_of(R"("\ud83d\ude00!")"), "\xF0\x9F\x98\x80!");
  EXPECT_EQ(text_of(R"("\u0000")"), std::string(1, '\0'));
}

TEST(JsonToText, TurnsALoneSurrogateIntoTheReplacementCharacter) {
  EXPECT_EQ(text_of(R"("\udc00x")"), "\xEF\xBF\xBDx");
  EXPECT_EQ(text_of(R"("\ud83dx")"), "\xEF\xBF\xBDx");
  EXPECT_EQ(text_of(R"("\ud83d\u0041")"),
            "\xEF\xBF\xBD"
            "A");
}

TEST(JsonToText, GivesOtherValuesAsTheirRawText) {
  EXPECT_EQ(text_of("42"), "42");
  EXPECT_EQ(text_of(" -1.5e3 "), "-1.5e3");
  EXPECT_EQ(text_of("true"), "true");
  EXPECT_EQ(text_of(R"({"a": [1, "\n"]})"), R"({"a": [1, "\n"]})");
}

TEST(JsonToText, AppendsToWhatTheStringAlreadyHolds) {
  std::string out = "token=";
  EXPECT_TRUE(json_to_text(R"("abc")", out));
  EXPECT_EQ(out, "token=abc");
}

TEST(JsonToText, RejectsMalformedValuesAndAppendsNothing) {
  std::string out = "kept";
  EXPECT_FALSE(json_to_text(R"("abc)", out));
  EXPECT_FALSE(json_to_text("1 2", out));
  EXPECT_FALSE(json_to_text("", out));
  EXPECT_FALSE(json_to_text(R"("\x")", out));
  EXPECT_EQ(out, "kept");
}

TEST(JsonEqual, ComparesNumbersByDecimalValue) {
  EXPECT_TRUE(json_equal("3", "3.0"));
  EXPECT_TRUE(json_equal("3", "3e0"));
  EXPECT_TRUE(json_equal("3", "30e-1"));
  EXPECT_TRUE(json_equal("100", "1E+2"));
  EXPECT_TRUE(json_equal("0.1", "1e-1"));
  EXPECT_TRUE(json_equal("1.10", "1.1"));
  EXPECT_TRUE(json_equal("-0", "0"));
  EXPECT_TRUE(json_equal("0", "0.000e10"));
  EXPECT_FALSE(json_equal("3", "3.1"));
  EXPECT_FALSE(json_equal("-1", "1"));
  EXPECT_FALSE(json_equal("10", "1"));
  EXPECT_FALSE(json_equal("1e400", "1e401"));
  // Both round to the same double; as decimals they differ.
  EXPECT_FALSE(json_equal("12345678901234567890", "12345678901234567891"));
}

TEST(JsonEqual, ComparesStringsAfterUnescaping) {
  EXPECT_TRUE(json_equal(R"("caf\u00e9")", "\"caf\xC3\xA9\""));
  EXPECT_TRUE(json_equal(R"("\ud83d\ude00")", "\"\xF0\x9F\x98\x80\""));
  EXPECT_TRUE(json_equal(R"("a\/b")", R"("a/b")"));
  EXPECT_FALSE(json_equal(R"("ab")", R"("abc")"));
  EXPECT_FALSE(json_equal(R"("a\nb")", R"("a\\nb")"));
}

TEST(JsonEqual, ComparesObjectsRegardlessOfKeyOrderAndWhitespace) {
  EXPECT_TRUE(json_equal(R"({"a":1,"b":[1,2]})", " { \"b\" : [ 1 , 2.0 ] ,\n \"a\" : 1 } "));
  EXPECT_TRUE(json_equal(R"({"x":{"y":"z","w":null}})", R"({"x":{"w":null,"y":"z"}})"));
  EXPECT_TRUE(json_equal(R"({"caf\u00e9":1})", "{\"caf\xC3\xA9\":1}"));
  EXPECT_TRUE(json_equal("{}", "{ }"));
  EXPECT_FALSE(json_equal(R"({"a":1})", R"({"a":1,"b":2})"));
  EXPECT_FALSE(json_equal(R"({"a":1,"b":2})", R"({"a":1})"));
  EXPECT_FALSE(json_equal(R"({"a":1,"a":1})", R"({"a":1,"b":1})"));
  EXPECT_FALSE(json_equal(R"({"a":{"b":1}})", R"({"a":{"b":2}})"));
}

TEST(JsonEqual, CountsOnlyTheFirstOfDuplicateKeysAsFindDoes) {
  EXPECT_TRUE(json_equal(R"({"a":1,"b":2,"a":3})", R"({"a":1,"b":2,"a":3})"));
  EXPECT_TRUE(json_equal(R"({"a":1,"a":3})", R"({"a":1})"));
  EXPECT_FALSE(json_equal(R"({"a":3,"a":1})", R"({"a":1})"));
}

TEST(JsonEqual, ComparesArraysInOrder) {
  EXPECT_TRUE(json_equal("[1,[2,{\"a\":3}]]", "[ 1.0 , [ 2 , { \"a\" : 3e0 } ] ]"));
  EXPECT_TRUE(json_equal("[]", "[ ]"));
  EXPECT_FALSE(json_equal("[1,2]", "[2,1]"));
  EXPECT_FALSE(json_equal("[1,2]", "[1,2,3]"));
  EXPECT_FALSE(json_equal("[1,2,3]", "[1,2]"));
}

TEST(JsonEqual, NeverEqualsAcrossTypes) {
  EXPECT_TRUE(json_equal("true", "true"));
  EXPECT_TRUE(json_equal("null", " null"));
  EXPECT_FALSE(json_equal("true", "false"));
  EXPECT_FALSE(json_equal("1", "\"1\""));
  EXPECT_FALSE(json_equal("true", "\"true\""));
  EXPECT_FALSE(json_equal("null", "0"));
  EXPECT_FALSE(json_equal("[]", "{}"));
}

TEST(JsonEqual, TreatsMalformedTextAsEqualToNothing) {
  EXPECT_FALSE(json_equal(R"({"a":1)", R"({"a":1)"));
  EXPECT_FALSE(json_equal("01", "1"));
  EXPECT_FALSE(json_equal("nul", "nul"));
  EXPECT_FALSE(json_equal("", ""));
  EXPECT_FALSE(json_equal("1 1", "1 1"));
}

TEST(JsonNumber, ReadsJsonNumbers) {
  EXPECT_EQ(json_number("42"), 42.0);
  EXPECT_EQ(json_number(" -1.5e3 "), -1500.0);
  EXPECT_EQ(json_number("0.25"), 0.25);
  EXPECT_EQ(json_number("-0"), 0.0);
}

TEST(JsonNumber, SaturatesBeyondTheRangeOfADouble) {
  EXPECT_EQ(json_number("1e999"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(json_number("-1e999"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(json_number("1e-999"), 0.0);
}

TEST(JsonNumber, RejectsEverythingThatIsNotAJsonNumber) {
  for (std::string_view text : {"\"42\"", "abc", "", "01", "1.", "+1", "NaN", "inf", "0x10", "1 2", "true"}) {
    EXPECT_EQ(json_number(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace surge::extract
