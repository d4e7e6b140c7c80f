// JSON paths: what compile_json_path accepts, and the exact raw text find() returns from well-formed
// documents: nested members, array indexes from either end, keys needing brackets, escapes, whitespace.
#include "extract/json_path.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace surge::extract {
namespace {

std::optional<std::string> find_in(std::string_view path_text, std::string_view json) {
  auto path = compile_json_path(path_text);
  EXPECT_TRUE(path.has_value()) << path_text << ": " << (path ? "" : describe(path.error()));
  if (!path) return std::nullopt;
  std::optional<std::string_view> raw = find(*path, json);
  return raw ? std::optional<std::string>(*raw) : std::nullopt;
}

constexpr std::string_view kDoc =
    R"({"name":"surge","a":{"b":{"c":42}},"items":[{"id":1},{"id":2},{"id":3}],)"
    R"("key with space":"v1","k.dot":"v2","k[0]":"v3","esc":"he said \"hi\" \\ {not} [an] \"object\": [1",)"
    R"("after":"found","empty":{},"arr":[],"nested":[[1,2],[3,[4,5]]],"t":true,"n":null,"f":-1.5e3,)"
    R"("content-type":"json"})";

TEST(JsonPath, CompilesEachKindOfStep) {
  auto path = compile_json_path(R"($.a['b c']["d"][2][-1])");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->text(), R"($.a['b c']["d"][2][-1])");
  ASSERT_EQ(path->steps().size(), 5u);
  EXPECT_FALSE(path->steps()[0].is_index);
  EXPECT_EQ(path->steps()[0].name, "a");
  EXPECT_EQ(path->steps()[1].name, "b c");
  EXPECT_EQ(path->steps()[2].name, "d");
  EXPECT_TRUE(path->steps()[3].is_index);
  EXPECT_EQ(path->steps()[3].index, 2);
  EXPECT_EQ(path->steps()[4].index, -1);
}

TEST(JsonPath, AllowsSpacesInsideBracketsAndEscapesInQuotedNames) {
  auto path = compile_json_path(R"($[ 1 ][ 'it\'s' ]["caf\u00e9\n"]['\ud83d\ude00'])");
  ASSERT_TRUE(path.has_value());
  ASSERT_EQ(path->steps().size(), 4u);
  EXPECT_EQ(path->steps()[0].index, 1);
  EXPECT_EQ(path->steps()[1].name, "it's");
  EXPECT_EQ(path->steps()[2].name, "caf\xC3\xA9\n");
  EXPECT_EQ(path->steps()[3].name, "\xF0\x9F\x98\x80");
}

TEST(JsonPath, DollarAloneIsTheWholeDocumentWithoutSurroundingSpace) {
  EXPECT_EQ(find_in("$", " \n [1, 2] \t"), "[1, 2]");
  EXPECT_EQ(find_in("$", "\"x\""), "\"x\"");
}

TEST(JsonPath, FindsMembersAtEveryDepth) {
  EXPECT_EQ(find_in("$.name", kDoc), "\"surge\"");
  EXPECT_EQ(find_in("$.a", kDoc), R"({"b":{"c":42}})");
  EXPECT_EQ(find_in("$.a.b", kDoc), R"({"c":42})");
  EXPECT_EQ(find_in("$.a.b.c", kDoc), "42");
  EXPECT_EQ(find_in("$.t", kDoc), "true");
  EXPECT_EQ(find_in("$.n", kDoc), "null");
  EXPECT_EQ(find_in("$.f", kDoc), "-1.5e3");
  EXPECT_EQ(find_in("$.content-type", kDoc), "\"json\"");
}

TEST(JsonPath, FindsArrayElementsFromTheStartAndFromTheEnd) {
  EXPECT_EQ(find_in("$.items[0]", kDoc), R"({"id":1})");
  EXPECT_EQ(find_in("$.items[1].id", kDoc), "2");
  EXPECT_EQ(find_in("$.items[-1].id", kDoc), "3");
  EXPECT_EQ(find_in("$.items[-3].id", kDoc), "1");
  EXPECT_EQ(find_in("$.nested[1][1][0]", kDoc), "4");
  EXPECT_EQ(find_in("$.nested[-1][-1][-1]", kDoc), "5");
  EXPECT_EQ(find_in("$[1]", "[10,20,30]"), "20");
  EXPECT_EQ(find_in("$[-1]", "[10,20,30]"), "30");
}

TEST(JsonPath, FindsKeysContainingSpacesDotsAndBrackets) {
  EXPECT_EQ(find_in("$['key with space']", kDoc), "\"v1\"");
  EXPECT_EQ(find_in("$[\"k.dot\"]", kDoc), "\"v2\"");
  EXPECT_EQ(find_in("$['k[0]']", kDoc), "\"v3\"");
}

TEST(JsonPath, ReturnsAStringWithItsQuotesAndEscapesUntouched) {
  EXPECT_EQ(find_in("$.esc", kDoc), R"("he said \"hi\" \\ {not} [an] \"object\": [1")");
}

TEST(JsonPath, SkipsStringsHoldingQuotesBracketsAndColonsToReachLaterKeys) {
  EXPECT_EQ(find_in("$.after", kDoc), "\"found\"");
  EXPECT_EQ(find_in("$.t", R"({"x":["]}",{"y":"}]"}],"t":1})"), "1");
}

TEST(JsonPath, MatchesKeysWrittenWithEscapesInTheDocument) {
  const std::string_view doc = R"({"caf\u00e9":1,"a\"b":2,"\ud83d\ude00":3,"tab\t":4})";
  EXPECT_EQ(find_in("$['café']", doc), "1");
  EXPECT_EQ(find_in(R"($['caf\u00e9'])", doc), "1");
  EXPECT_EQ(find_in(R"($['a"b'])", doc), "2");
  EXPECT_EQ(find_in("$['\xF0\x9F\x98\x80']", doc), "3");
  EXPECT_EQ(find_in(R"($["tab\t"])", doc), "4");
}

TEST(JsonPath, ToleratesWhitespaceEverywhereBetweenTokens) {
  const std::string_view doc = " \n{ \"a\" :\t[ 1 ,\r\n { \"b\" : \"x\" } ] , \"c\" : 2 } ";
  EXPECT_EQ(find_in("$.a[1].b", doc), "\"x\"");
  EXPECT_EQ(find_in("$.a[1]", doc), "{ \"b\" : \"x\" }");
  EXPECT_EQ(find_in("$.a[-1]", doc), "{ \"b\" : \"x\" }");
  EXPECT_EQ(find_in("$.a[0]", doc), "1");
  EXPECT_EQ(find_in("$.c", doc), "2");
}

TEST(JsonPath, TakesTheFirstOfDuplicateKeys) { EXPECT_EQ(find_in("$.a", R"({"a":1,"a":2})"), "1"); }

TEST(JsonPath, ReturnsNothingForMissingKeysAndIndexesOutOfRange) {
  EXPECT_EQ(find_in("$.missing", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.a.b.d", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.items[3]", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.items[-4]", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.empty.x", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.arr[0]", kDoc), std::nullopt);
  EXPECT_EQ(find_in("$.arr[-1]", kDoc), std::nullopt);
}

TEST(JsonPath, ReturnsNothingWhenAStepMeetsTheWrongKindOfValue) {
  EXPECT_EQ(find_in("$.name.x", kDoc), std::nullopt);    // into a string
  EXPECT_EQ(find_in("$.name[0]", kDoc), std::nullopt);   // index into a string
  EXPECT_EQ(find_in("$.items.id", kDoc), std::nullopt);  // name into an array
  EXPECT_EQ(find_in("$.a[0]", kDoc), std::nullopt);      // index into an object
  EXPECT_EQ(find_in("$.a.b.c.d", kDoc), std::nullopt);   // into a number
  EXPECT_EQ(find_in("$.n.x", kDoc), std::nullopt);       // into null
  EXPECT_EQ(find_in("$[0]", "42"), std::nullopt);
}

}  // namespace
}  // namespace surge::extract
