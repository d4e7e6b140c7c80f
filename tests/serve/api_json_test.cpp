// The API's JSON scanner: what is one object, which member is found, and how request bytes are escaped.
#include "serve/api_json.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::serve {
namespace {

JsonMember member_of(std::string_view text, std::string_view key) {
  JsonMember member;
  EXPECT_TRUE(scan_json_object(text, key, &member)) << text;
  return member;
}

TEST(ApiJson, FindsATopLevelStringWithItsEscapesAsSent) {
  JsonMember user = member_of(R"( {"a": [1, {"user": "inner"}], "user" : "al\"ice\u00e9" } )", "user");
  EXPECT_EQ(user.kind, JsonKind::kString);
  EXPECT_EQ(user.raw, R"(al\"ice\u00e9)");
}

TEST(ApiJson, ReportsTheKindAndTextOfOtherValues) {
  const char* text = R"({"t":true,"f":false,"n":null,"x":-12.5e+3,"o":{"k":[]},"a":[1,"2"]})";
  EXPECT_EQ(member_of(text, "t").kind, JsonKind::kTrue);
  EXPECT_EQ(member_of(text, "f").kind, JsonKind::kFalse);
  EXPECT_EQ(member_of(text, "n").kind, JsonKind::kNull);
  EXPECT_EQ(member_of(text, "x").raw, "-12.5e+3");
  EXPECT_EQ(member_of(text, "o").raw, R"({"k":[]})");
  EXPECT_EQ(member_of(text, "a").raw, R"([1,"2"])");
  EXPECT_EQ(member_of(text, "missing").kind, JsonKind::kMissing);
}

TEST(ApiJson, TakesTheLastOfRepeatedMembers) {
  EXPECT_EQ(member_of(R"({"user":"a","user":"b"})", "user").raw, "b");
}

TEST(ApiJson, RejectsEverythingButOneObject) {
  for (std::string_view bad :
       {"", "  ", "[]", "\"user\"", "{", "{}}", "{} {}", R"({"a":1,})", R"({"a" 1})", R"({a:1})",
        R"({"a":01})", R"({"a":1.})", R"({"a":-})", R"({"a":tru})", R"({"a":"\x"})", R"({"a":"\u12g4"})",
        "{\"a\":\"\n\"}", R"({"a":[1,]})", R"({"a":"open})"}) {
    EXPECT_FALSE(scan_json_object(bad, "a", nullptr)) << bad;
  }
  EXPECT_TRUE(scan_json_object("{}", "a", nullptr));
}

TEST(ApiJson, RefusesNestingBeyondTheLimit) {
  auto nested = [](int depth) {
    std::string text = "{\"a\":";
    for (int i = 1; i < depth; ++i) text += "[";
    text += "1";
    for (int i = 1; i < depth; ++i) text += "]";
    return text + "}";
  };
  EXPECT_TRUE(scan_json_object(nested(kMaxJsonDepth), "a", nullptr));
  EXPECT_FALSE(scan_json_object(nested(kMaxJsonDepth + 1), "a", nullptr));
}

TEST(ApiJson, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out = "<";
  append_json_escaped(out, std::string_view("a\"b\\c\n\r\t\x01\x1f\x7f\xc3\xa9", 13));
  EXPECT_EQ(out, "<a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f\x7f\xc3\xa9");
}

}  // namespace
}  // namespace surge::serve
