// find() on broken JSON: every malformation before the value ends gives nullopt, a document cut at any byte
// gives either nothing or the full document's answer, and mutated bytes never lead outside the input.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "extract/json_path.h"
#include "extract/json_value.h"

namespace surge::extract {
namespace {

JsonPath path_of(std::string_view text) {
  auto path = compile_json_path(text);
  EXPECT_TRUE(path.has_value()) << text;
  return path ? *path : JsonPath();
}

std::optional<std::string_view> find_in(std::string_view path_text, std::string_view json) {
  return find(path_of(path_text), json);
}

TEST(JsonMalformed, ReturnsNothingForBrokenPunctuation) {
  EXPECT_EQ(find_in("$.b", R"({"a":1,})"), std::nullopt);  // trailing comma before the key is reached
  EXPECT_EQ(find_in("$.a", R"({"a" 1})"), std::nullopt);   // missing colon
  EXPECT_EQ(find_in("$.b", R"({"a":[1 2],"b":3})"), std::nullopt);
  EXPECT_EQ(find_in("$.b", R"({"a":1 "b":3})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({'a':1})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({a:1})"), std::nullopt);
  EXPECT_EQ(find_in("$[1]", "[1,,2]"), std::nullopt);
  EXPECT_EQ(find_in("$[-1]", "[1,2"), std::nullopt);
}

TEST(JsonMalformed, ReturnsNothingForBrokenValues) {
  EXPECT_EQ(find_in("$.a", R"({"a":tru})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":nul})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":01})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":1.})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":-})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":1e})"), std::nullopt);
  EXPECT_EQ(find_in("$.a", R"({"a":+1})"), std::nullopt);
  EXPECT_EQ(find_in("$.b", R"({"a":"x\q","b":1})"), std::nullopt);             // unknown escape
  EXPECT_EQ(find_in("$.b", R"({"a":"\u12G4","b":1})"), std::nullopt);          // bad hex
  EXPECT_EQ(find_in("$.b", "{\"a\":\"line\nbreak\",\"b\":1}"), std::nullopt);  // raw control character
}

TEST(JsonMalformed, ReturnsNothingForEmptyOrBlankText) {
  EXPECT_EQ(find_in("$", ""), std::nullopt);
  EXPECT_EQ(find_in("$", " \r\n\t"), std::nullopt);
  EXPECT_EQ(find_in("$.a", ""), std::nullopt);
}

TEST(JsonMalformed, RefusesNestingBeyondTheDepthLimitWithoutExhaustingTheStack) {
  std::string deep(200000, '[');
  EXPECT_EQ(find_in("$", deep), std::nullopt);
  EXPECT_EQ(find_in("$[0][0][0]", deep), std::nullopt);
  std::string deep_objects;
  for (int i = 0; i < 50000; ++i) deep_objects += "{\"a\":";
  EXPECT_EQ(find_in("$.b", deep_objects + "1" + std::string(50000, '}')), std::nullopt);
  EXPECT_FALSE(json_equal(deep, deep));
}

TEST(JsonMalformed, AcceptsNestingUpToTheDepthLimit) {
  std::string nested = std::string(200, '[') + "7" + std::string(200, ']');
  std::string path = "$";
  for (int i = 0; i < 200; ++i) path += "[0]";
  EXPECT_EQ(find_in(path, nested), "7");
  EXPECT_EQ(find_in("$", nested), nested);
}

constexpr std::string_view kSample =
    R"({"id":"a\"b","items":[{"n":1},{"n":23,"tags":["x","y"]}],"ok":true,"total":1234,"z":null})";

// Every prefix of the sample: nothing, or exactly what the whole document gives once the value and the byte
// after it (',' or the closing bracket) are inside the prefix.
TEST(JsonMalformed, GivesNothingOrTheFullAnswerForEveryTruncation) {
  struct Case {
    std::string_view path;
    std::string_view value;
    size_t needed;  // bytes of the document that must be present for the value to be found
  };
  const Case cases[] = {
      {"$.id", R"("a\"b")", kSample.find(",\"items\"") + 1},
      {"$.items[1].n", "23", kSample.find(",\"tags\"") + 1},
      // -1 counts the elements first, so the whole items array must be there.
      {"$.items[-1].tags[1]", "\"y\"", kSample.find("}],\"ok\"") + 2},
      {"$.total", "1234", kSample.find(",\"z\"") + 1},
      {"$.z", "null", kSample.size()},
      {"$", kSample, kSample.size()},
  };
  for (const Case& c : cases) {
    ASSERT_EQ(find_in(c.path, kSample), c.value) << c.path;
    JsonPath path = path_of(c.path);
    for (size_t length = 0; length <= kSample.size(); ++length) {
      std::optional<std::string_view> got = find(path, kSample.substr(0, length));
      if (length >= c.needed) {
        EXPECT_EQ(got, c.value) << c.path << " at length " << length;
      } else {
        EXPECT_EQ(got, std::nullopt) << c.path << " at length " << length;
      }
    }
  }
}

TEST(JsonMalformed, NeverPointsOutsideTheInputWhenBytesAreMutated) {
  const char kBytes[] = "{}[]\",:\\u0aE-.9 tfnx\x01\xff";
  const std::string_view paths[] = {"$", "$.id", "$.items[1].n", "$.items[-1].tags[-1]", "$.ok", "$.z"};
  uint32_t state = 12345;
  auto next = [&state] { return state = state * 1103515245u + 12345u; };
  size_t found = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string doc(kSample);
    for (int edits = 1 + next() % 3; edits > 0; --edits) {
      doc[next() % doc.size()] = kBytes[(next() >> 8) % (sizeof kBytes - 1)];
    }
    for (std::string_view path : paths) {
      std::optional<std::string_view> got = find(path_of(path), doc);
      if (!got) continue;
      ++found;
      ASSERT_GE(got->data(), doc.data());
      ASSERT_LE(got->data() + got->size(), doc.data() + doc.size());
      std::string text;
      EXPECT_TRUE(json_to_text(*got, text)) << doc;
      EXPECT_TRUE(json_equal(*got, *got)) << doc;
    }
  }
  EXPECT_GT(found, 0u);  // the mutations leave many documents readable, so the checks above did run
}

}  // namespace
}  // namespace surge::extract
