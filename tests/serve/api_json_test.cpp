// The API's one JSON question: is the body one object, and which top-level member is found (the last of
// repeated ones). The grammar itself is text/'s, tested in tests/text.
#include "serve/api_json.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::serve {
namespace {

using text::json::JsonType;
using text::json::JsonValue;

JsonValue member_of(std::string_view text, std::string_view key) {
  JsonValue member;
  EXPECT_TRUE(read_api_object(text, key, &member)) << text;
  return member;
}

TEST(ApiJson, FindsATopLevelStringWithItsEscapesAsSent) {
  JsonValue user = member_of(R"( {"a": [1, {"user": "inner"}], "user" : "al\"ice\u00e9" } )", "user");
  EXPECT_EQ(user.type, JsonType::kString);
  EXPECT_EQ(user.string_body(), R"(al\"ice\u00e9)");
}

TEST(ApiJson, ReportsTheKindAndTextOfOtherValues) {
  const char* text = R"({"t":true,"f":false,"n":null,"x":-12.5e+3,"o":{"k":[]},"a":[1,"2"]})";
  EXPECT_EQ(member_of(text, "t").type, JsonType::kTrue);
  EXPECT_EQ(member_of(text, "f").type, JsonType::kFalse);
  EXPECT_EQ(member_of(text, "n").raw, "null");
  EXPECT_EQ(member_of(text, "x").raw, "-12.5e+3");
  EXPECT_EQ(member_of(text, "o").raw, R"({"k":[]})");
  EXPECT_EQ(member_of(text, "a").raw, R"([1,"2"])");
  EXPECT_EQ(member_of(text, "missing").raw, "");
}

TEST(ApiJson, TakesTheLastOfRepeatedMembers) {
  EXPECT_EQ(member_of(R"({"user":"a","user":"b"})", "user").raw, "\"b\"");
}

TEST(ApiJson, RejectsEverythingButOneObject) {
  for (std::string_view bad :
       {"", "  ", "[]", "\"user\"", "{", "{}}", "{} {}", R"({"a":1,})", R"({"a" 1})", R"({a:1})",
        R"({"a":01})", R"({"a":1.})", R"({"a":-})", R"({"a":tru})", R"({"a":"\x"})", R"({"a":"\u12g4"})",
        "{\"a\":\"\n\"}", R"({"a":[1,]})", R"({"a":"open})"}) {
    EXPECT_FALSE(read_api_object(bad, "a", nullptr)) << bad;
  }
  EXPECT_TRUE(read_api_object("{}", "a", nullptr));
}

TEST(ApiJson, RefusesNestingBeyondTheLimit) {
  auto nested = [](int depth) {
    std::string text = "{\"a\":";
    for (int i = 1; i < depth; ++i) text += "[";
    text += "1";
    for (int i = 1; i < depth; ++i) text += "]";
    return text + "}";
  };
  EXPECT_TRUE(read_api_object(nested(text::json::kMaxDepth), "a", nullptr));
  EXPECT_FALSE(read_api_object(nested(text::json::kMaxDepth + 1), "a", nullptr));
}

}  // namespace
}  // namespace surge::serve
