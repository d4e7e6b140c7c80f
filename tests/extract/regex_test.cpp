// Regex: group 1 or the whole match, bytes that are not UTF-8, PCRE2's compile errors, move-only ownership.
#include "extract/regex.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

namespace surge::extract {
namespace {

Regex regex_of(std::string_view pattern) {
  auto regex = compile_regex(pattern);
  EXPECT_TRUE(regex.has_value()) << pattern;
  return std::move(regex).value();
}

std::string error_of(std::string_view pattern) {
  auto regex = compile_regex(pattern);
  return regex ? "(compiled)" : describe(regex.error());
}

TEST(Regex, CapturesGroupOne) {
  Regex regex = regex_of(R"(id=(\d+))");
  std::string_view group;
  EXPECT_TRUE(regex.has_group());
  EXPECT_TRUE(regex.search("a id=42 b id=7", &group));
  EXPECT_EQ(group, "42");
}

TEST(Regex, GivesTheWholeMatchWhenThePatternHasNoGroup) {
  Regex regex = regex_of(R"(\d+)");
  std::string_view group;
  EXPECT_FALSE(regex.has_group());
  EXPECT_TRUE(regex.search("abc 123 def", &group));
  EXPECT_EQ(group, "123");
}

TEST(Regex, GivesAnEmptyGroupWhenGroupOneTookNoPart) {
  Regex regex = regex_of("a(b)?c");
  std::string_view group = "unchanged";
  EXPECT_TRUE(regex.search("xacx", &group));
  EXPECT_EQ(group, "");
}

TEST(Regex, LeavesTheGroupAloneWithoutAMatch) {
  Regex regex = regex_of(R"(id=(\d+))");
  std::string_view group = "unchanged";
  EXPECT_FALSE(regex.search("no ids here", &group));
  EXPECT_EQ(group, "unchanged");
  EXPECT_TRUE(regex.search("id=1", nullptr));
}

TEST(Regex, MatchesAroundBytesThatAreNotUtf8) {
  Regex regex = regex_of(R"(id=(\d+))");
  std::string_view group;
  EXPECT_TRUE(regex.search("\xff\xfe\xc3 id=7 \x80", &group));
  EXPECT_EQ(group, "7");
}

TEST(Regex, TreatsThePatternAsUtf8) {
  Regex regex = regex_of("caf(.)");
  std::string_view group;
  EXPECT_TRUE(regex.search("caf\xC3\xA9!", &group));
  EXPECT_EQ(group, "\xC3\xA9");
}

TEST(Regex, SearchesAnEmptySubject) {
  EXPECT_TRUE(regex_of("^$").search(std::string_view(), nullptr));
  EXPECT_FALSE(regex_of("x").search("", nullptr));
}

TEST(Regex, ReportsPcre2sOffsetAndMessage) {
  EXPECT_EQ(error_of("a(b"), "at offset 3: bad regex: missing closing parenthesis");
  EXPECT_EQ(error_of("[z-a]"), "at offset 3: bad regex: range out of order in character class");
  EXPECT_EQ(error_of("x{2,1}"), "at offset 5: bad regex: numbers out of order in {} quantifier");
}

TEST(Regex, MovesOwnershipAndLeavesTheSourceInert) {
  Regex first = regex_of("b+");
  Regex second = std::move(first);
  std::string_view group;
  EXPECT_TRUE(second.search("abbbc", &group));
  EXPECT_EQ(group, "bbb");
  EXPECT_EQ(second.pattern(), "b+");
  EXPECT_FALSE(first.search("abbbc", &group));  // NOLINT(bugprone-use-after-move): moved-from is inert
  Regex third = regex_of("c");
  third = std::move(second);
  EXPECT_TRUE(third.search("b", nullptr));
  EXPECT_FALSE(third.search("c", nullptr));
}

}  // namespace
}  // namespace surge::extract
