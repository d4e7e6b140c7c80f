// The typed views over the scanner (moved from proto/jsonrpc): raw views of every value type, the exact
// error for each kind of malformed text, the nesting bound, member and element walks.
#include "text/json_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace surge::text::json {
namespace {

std::string scan_error(std::string_view text) {
  auto value = scan_document(text);
  return value ? "no error" : value.error().message;
}

TEST(JsonScan, GivesTheRawTextOfTheDocumentWithoutTheSurroundingSpace) {
  auto value = scan_document(" \n{\"a\": [1, -2.5e3, true, false, null, \"x\\\"y\"]}\t ");
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(value->type, JsonType::kObject);
  EXPECT_EQ(value->raw, "{\"a\": [1, -2.5e3, true, false, null, \"x\\\"y\"]}");
}

TEST(JsonScan, NamesTheTypeOfEachScalar) {
  EXPECT_EQ(scan_document("\"s\"")->type, JsonType::kString);
  EXPECT_EQ(scan_document("-0.5E+2")->type, JsonType::kNumber);
  EXPECT_EQ(scan_document("true")->type, JsonType::kTrue);
  EXPECT_EQ(scan_document("false")->type, JsonType::kFalse);
  EXPECT_EQ(scan_document("null")->type, JsonType::kNull);
  EXPECT_EQ(scan_document("[]")->type, JsonType::kArray);
  EXPECT_EQ(scan_document("\"a\\u00e9b\"")->string_body(), "a\\u00e9b");
}

TEST(JsonScan, ScanValueStopsRightAfterTheValue) {
  std::string_view text = "[1] {\"b\":2}";
  size_t pos = 0;
  auto first = scan_value(text, pos);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->raw, "[1]");
  EXPECT_EQ(pos, 3u);
  auto second = scan_value(text, pos);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->raw, "{\"b\":2}");
  EXPECT_EQ(pos, text.size());
}

TEST(JsonScan, ReportsAMissingColonWithItsOffset) {
  EXPECT_EQ(scan_error("{\"a\" 1}"), "invalid JSON at byte 5: expected ':'");
}

TEST(JsonScan, ReportsAnObjectCutShort) {
  EXPECT_EQ(scan_error("{\"a\":1"), "invalid JSON at byte 6: unexpected end, expected ',' or '}'");
}

TEST(JsonScan, ReportsATrailingCommaInAnArray) {
  EXPECT_EQ(scan_error("[1,]"), "invalid JSON at byte 3: expected a value");
}

TEST(JsonScan, ReportsMissingCommaBetweenElements) {
  EXPECT_EQ(scan_error("[1 2]"), "invalid JSON at byte 3: expected ',' or ']'");
}

TEST(JsonScan, ReportsANonStringKey) {
  EXPECT_EQ(scan_error("{1:2}"), "invalid JSON at byte 1: expected a string key");
}

TEST(JsonScan, ReportsARawControlCharacterInAString) {
  EXPECT_EQ(scan_error("\"a\x01\""), "invalid JSON at byte 2: control character in a string");
}

TEST(JsonScan, ReportsAnUnknownEscape) {
  EXPECT_EQ(scan_error("\"\\x\""), "invalid JSON at byte 2: expected an escape");
}

TEST(JsonScan, ReportsAShortUnicodeEscape) {
  EXPECT_EQ(scan_error("\"\\u12G4\""), "invalid JSON at byte 5: expected 4 hex digits after \\u");
}

TEST(JsonScan, ReportsAnUnterminatedString) {
  EXPECT_EQ(scan_error("\"abc"), "invalid JSON at byte 4: unexpected end, expected '\"'");
}

TEST(JsonScan, ReportsNumbersThatBreakTheGrammar) {
  EXPECT_EQ(scan_error("-"), "invalid JSON at byte 1: unexpected end, expected a digit");
  EXPECT_EQ(scan_error("1."), "invalid JSON at byte 2: unexpected end, expected a digit");
  EXPECT_EQ(scan_error("1e+"), "invalid JSON at byte 3: unexpected end, expected a digit");
  EXPECT_EQ(scan_error("01"), "invalid JSON at byte 1: expected the end of the text");
}

TEST(JsonScan, ReportsMisspelledLiterals) {
  EXPECT_EQ(scan_error("tru"), "invalid JSON at byte 0: expected true");
  EXPECT_EQ(scan_error("[nul]"), "invalid JSON at byte 1: expected null");
}

TEST(JsonScan, ReportsEmptyText) {
  EXPECT_EQ(scan_error(""), "invalid JSON at byte 0: unexpected end, expected a value");
  EXPECT_EQ(scan_error("  "), "invalid JSON at byte 2: unexpected end, expected a value");
}

TEST(JsonScan, ReportsTextAfterTheValue) {
  EXPECT_EQ(scan_error("{} x"), "invalid JSON at byte 3: expected the end of the text");
}

TEST(JsonScan, AcceptsSixtyFourLevelsAndRejectsTheSixtyFifth) {
  std::string deepest = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(scan_document(deepest));
  std::string too_deep = std::string(65, '[') + std::string(65, ']');
  EXPECT_EQ(scan_error(too_deep), "invalid JSON at byte 64: nesting deeper than 64");
}

TEST(JsonScan, WalksMembersInOrderWithRawKeys) {
  auto object = scan_document(R"({ "a" : 1 , "b\"c":{"x":[2]}, "d":"e" })");
  ASSERT_TRUE(object);
  MemberIterator members(*object);
  std::vector<std::string> seen;
  std::string_view key;
  JsonValue value;
  while (members.next(key, value)) seen.push_back(std::string(key) + "=" + std::string(value.raw));
  EXPECT_EQ(seen, (std::vector<std::string>{"a=1", "b\\\"c={\"x\":[2]}", "d=\"e\""}));
}

TEST(JsonScan, WalksNothingInAnEmptyObjectOrANonObject) {
  std::string_view key;
  JsonValue value;
  MemberIterator empty(*scan_document("{ }"));
  EXPECT_FALSE(empty.next(key, value));
  MemberIterator array(*scan_document("[1]"));
  EXPECT_FALSE(array.next(key, value));
}

TEST(JsonScan, WalksArrayElements) {
  auto array = scan_document("[ 1, {\"a\":[]} ,\"s\" ]");
  ASSERT_TRUE(array);
  ElementIterator elements(*array);
  std::vector<std::string> seen;
  JsonValue value;
  while (elements.next(value)) seen.emplace_back(value.raw);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "{\"a\":[]}", "\"s\""}));
}

TEST(JsonScan, FindsTheFirstMemberWithAKey) {
  auto object = scan_document(R"({"a":1,"b":2,"a":3})");
  JsonValue value;
  ASSERT_TRUE(find_member(*object, "a", value));
  EXPECT_EQ(value.raw, "1");
  EXPECT_FALSE(find_member(*object, "c", value));
  EXPECT_FALSE(find_member(*scan_document("\"a\""), "a", value));
}

TEST(JsonScan, ReadsIntegersThatFitInInt64Only) {
  int64_t out = 0;
  EXPECT_TRUE(to_int64(*scan_document("-9223372036854775808"), out));
  EXPECT_EQ(out, INT64_MIN);
  EXPECT_TRUE(to_int64(*scan_document("42"), out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(to_int64(*scan_document("9223372036854775808"), out));
  EXPECT_FALSE(to_int64(*scan_document("1.0"), out));
  EXPECT_FALSE(to_int64(*scan_document("1e2"), out));
  EXPECT_FALSE(to_int64(*scan_document("\"1\""), out));
}

}  // namespace
}  // namespace surge::text::json
