// The skips under every JSON reader (checks and captures, JSON-RPC, the API of surge serve), and the cases
// where the three scanners they replace disagreed: extract allowed 257 levels of nesting, proto/jsonrpc and
// serve 64. One bound now, kMaxDepth = 64, and each caller may pass its own: extract passes 256
// (extract::kResponseLevels), the others keep 64.
#include "text/json_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::text::json {
namespace {

std::string nested_arrays(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

std::string failure_of(std::string_view text, int levels = kMaxDepth) {
  Failure failure;
  if (skip_value(text, 0, levels, &failure) != kBad) return "no failure";
  return describe(failure, text, levels);
}

TEST(JsonSkip, StopsJustPastEachKindOfValue) {
  std::string_view text = R"({"a":[1,-2.5e3,true,false,null,"x\"y"]} tail)";
  EXPECT_EQ(skip_value(text, 0), text.find(" tail"));
  EXPECT_EQ(skip_value("\"a\\u00e9\"x", 0), 9u);
  EXPECT_EQ(skip_value("-0.5E+2,", 0), 7u);
  EXPECT_EQ(skip_value("null]", 0), 4u);
  EXPECT_EQ(skip_number("12ab", 0), 2u);
  EXPECT_EQ(skip_space(" \t\r\nx", 0), 4u);
}

TEST(JsonSkip, AcceptsExactlyTheNestingItIsGiven) {
  EXPECT_EQ(skip_value(nested_arrays(64), 0), 128u);
  EXPECT_EQ(skip_value(nested_arrays(65), 0), kBad);
  EXPECT_EQ(skip_value(nested_arrays(3), 0, 3), 6u);
  EXPECT_EQ(skip_value(nested_arrays(3), 0, 2), kBad);
  EXPECT_EQ(skip_value("1", 0, 0), 1u);  // a scalar opens no level
  EXPECT_EQ(skip_value("[]", 0, 0), kBad);
}

TEST(JsonSkip, ReadsLevelsPastTheCeilingAsTheCeiling) {
  EXPECT_EQ(skip_value(nested_arrays(kLevelsCeiling), 0, kLevelsCeiling + 1), 2u * kLevelsCeiling);
  EXPECT_EQ(failure_of(nested_arrays(kLevelsCeiling + 1), kLevelsCeiling + 5),
            "invalid JSON at byte 1024: nesting deeper than 1024");
}

TEST(JsonSkip, SurvivesNestingFarPastAnyBoundWithoutRecursing) {
  std::string deep(200000, '[');
  EXPECT_EQ(failure_of(deep), "invalid JSON at byte 64: nesting deeper than 64");
  EXPECT_EQ(skip_value(deep, 0, 1 << 30), kBad);
}

TEST(JsonSkip, NamesTheBoundItWasGivenWhenTooDeep) {
  EXPECT_EQ(failure_of(nested_arrays(4), 3), "invalid JSON at byte 3: nesting deeper than 3");
}

TEST(JsonSkip, SaysWhereAndWhatWasExpected) {
  EXPECT_EQ(failure_of(R"({"a" 1})"), "invalid JSON at byte 5: expected ':'");
  EXPECT_EQ(failure_of(R"({"a":1)"), "invalid JSON at byte 6: unexpected end, expected ',' or '}'");
  EXPECT_EQ(failure_of("[1,]"), "invalid JSON at byte 3: expected a value");
  EXPECT_EQ(failure_of("\"\\u12G4\""), "invalid JSON at byte 5: expected 4 hex digits after \\u");
  EXPECT_EQ(failure_of("x"), "invalid JSON at byte 0: expected a value");
  EXPECT_EQ(failure_of("[fals]"), "invalid JSON at byte 1: expected false");
}

// The serve scanner's list of bodies that are not one object, each refused by the one scanner.
TEST(JsonSkip, RefusesWhatBreaksTheGrammar) {
  for (std::string_view bad :
       {"", "{", "{}}", R"({"a":1,})", R"({"a" 1})", R"({a:1})", R"({"a":01})", R"({"a":1.})", R"({"a":-})",
        R"({"a":tru})", R"({"a":"\x"})", R"({"a":"\u12g4"})", "{\"a\":\"\n\"}", R"({"a":[1,]})",
        R"({"a":"open})", "[1 2]", "1e", "\"a\\"}) {
    EXPECT_EQ(skip_value(bad, 0), bad == "{}}" ? 2u : kBad) << bad;
  }
}

TEST(JsonSkip, PassesBytesAbove0x7FInStringsUnchecked) { EXPECT_EQ(skip_value("\"\xff\xfe\"", 0), 4u); }

TEST(ContainerWalker, GivesKeysAndValuesAndSkipsEachValueOnce) {
  std::string_view text = R"({ "a" : 1 , "b\"c":{"x":[2]}, "d":"e" })";
  ContainerWalker walker(text, 0);
  std::string seen;
  while (walker.next()) seen += std::string(walker.key()) + "=" + std::string(walker.value()) + ";";
  EXPECT_FALSE(walker.failed());
  EXPECT_EQ(seen, R"(a=1;b\"c={"x":[2]};d="e";)");
  EXPECT_EQ(walker.end(), text.size());
}

TEST(ContainerWalker, FailsOnAValueDeeperThanItsLevelsAllow) {
  std::string_view text = "[[[1]]]";
  ContainerWalker shallow(text, 0, 2);
  EXPECT_TRUE(shallow.next());
  EXPECT_EQ(shallow.value(), "");
  EXPECT_FALSE(shallow.next());
  EXPECT_TRUE(shallow.failed());
  ContainerWalker enough(text, 0, 3);
  EXPECT_TRUE(enough.next());
  EXPECT_EQ(enough.value(), "[[1]]");
  EXPECT_FALSE(enough.next());
  EXPECT_FALSE(enough.failed());
  EXPECT_TRUE(ContainerWalker(text, 0, 0).failed());
}

TEST(ContainerWalker, FailsOnBrokenPunctuationBetweenValues) {
  ContainerWalker walker("[1 2]", 0);
  EXPECT_TRUE(walker.next());
  EXPECT_FALSE(walker.next());
  EXPECT_TRUE(walker.failed());
}

}  // namespace
}  // namespace surge::text::json
