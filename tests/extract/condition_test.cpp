// Conditions and values against one response: every source, every operator, missing sources, precedence.
#include "extract/condition.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace surge::extract {
namespace {

const ResponseView kResponse{200,
                             "Content-Type: application/json\r\nX-Cache: HIT\r\nX-Time: 12.5\r\nX-Empty:\r\n",
                             R"({"ok":true,"n":null,"count":3,"name":"caf\u00e9 \"x\"","s":"10",)"
                             R"("user":{"id":"u-7","roles":["admin","dev"]}})"};

bool holds(std::string_view text, const ResponseView& response = kResponse) {
  auto condition = compile_condition(text);
  EXPECT_TRUE(condition.has_value()) << text << ": " << (condition ? "" : describe(condition.error()));
  return condition && condition->holds(response);
}

std::optional<double> value_of(std::string_view text, const ResponseView& response = kResponse) {
  auto value = compile_value(text);
  EXPECT_TRUE(value.has_value()) << text << ": " << (value ? "" : describe(value.error()));
  return value ? value->of(response) : std::nullopt;
}

TEST(Condition, ComparesTheStatusWithEveryOrderingOperator) {
  EXPECT_TRUE(holds("status == 200"));
  EXPECT_FALSE(holds("status == 201"));
  EXPECT_FALSE(holds("status != 200"));
  EXPECT_TRUE(holds("status != 201"));
  EXPECT_TRUE(holds("status < 300"));
  EXPECT_FALSE(holds("status < 200"));
  EXPECT_TRUE(holds("status <= 200"));
  EXPECT_FALSE(holds("status <= 199"));
  EXPECT_TRUE(holds("status > 199"));
  EXPECT_FALSE(holds("status > 200"));
  EXPECT_TRUE(holds("status >= 200"));
  EXPECT_FALSE(holds("status >= 201"));
  EXPECT_TRUE(holds("status == \"200\""));
}

TEST(Condition, ComparesHeadersAsTextOrAsNumbers) {
  EXPECT_TRUE(holds(R"(header("X-Cache") == "HIT")"));
  EXPECT_TRUE(holds(R"(header('x-cache') == 'HIT')"));
  EXPECT_FALSE(holds(R"(header("X-Cache") == "MISS")"));
  EXPECT_TRUE(holds(R"(header("X-Cache") != "MISS")"));
  EXPECT_TRUE(holds(R"(header("X-Time") > 12)"));
  EXPECT_TRUE(holds(R"(header("X-Time") == 12.5)"));
  EXPECT_TRUE(holds(R"(header("X-Time") == 1.25e1)"));
  EXPECT_FALSE(holds(R"(header("X-Time") < 12.5)"));
  EXPECT_TRUE(holds(R"(header("X-Time") <= 12.5)"));
  EXPECT_TRUE(holds(R"(header("X-Time") >= 12.5)"));
}

TEST(Condition, OrdersTextLexicographicallyAndNeverOrdersTextAgainstANumber) {
  EXPECT_TRUE(holds(R"(header("X-Cache") > "A")"));
  EXPECT_FALSE(holds(R"(header("X-Cache") < "A")"));
  EXPECT_FALSE(holds(R"(header("X-Cache") > 5)"));
  EXPECT_FALSE(holds(R"(header("X-Cache") <= 5)"));
}

TEST(Condition, MakesEveryComparisonWithAMissingSourceFalseExceptNotEqual) {
  EXPECT_FALSE(holds(R"(header("X-Missing") == "HIT")"));
  EXPECT_TRUE(holds(R"(header("X-Missing") != "HIT")"));
  EXPECT_FALSE(holds(R"(header("X-Missing") contains "")"));
  EXPECT_FALSE(holds(R"(json("$.missing") < 5)"));
  EXPECT_FALSE(holds(R"(json("$.missing") matches ".*")"));
}

TEST(Condition, ComparesJsonValuesByType) {
  EXPECT_TRUE(holds(R"(json("$.ok") == true)"));
  EXPECT_FALSE(holds(R"(json("$.ok") == false)"));
  EXPECT_TRUE(holds(R"(json("$.n") == null)"));
  EXPECT_TRUE(holds(R"(json("$.count") == 3.0)"));
  EXPECT_TRUE(holds(R"(json("$.count") >= 3)"));
  EXPECT_TRUE(holds(R"(json("$.user.roles[-1]") == "dev")"));
  EXPECT_TRUE(holds(R"(json("$.user.roles") contains "admin")"));
}

TEST(Condition, ComparesJsonStringsAfterUnescapingThem) {
  EXPECT_TRUE(holds("json(\"$.name\") == 'caf\xC3\xA9 \"x\"'"));
  EXPECT_TRUE(holds("json(\"$.name\") contains '\xC3\xA9 \"'"));
  EXPECT_FALSE(holds(R"(json("$.name") contains "\u00e9")"));
}

TEST(Condition, TreatsAJsonStringHoldingDigitsAsText) {
  EXPECT_TRUE(holds(R"(json("$.s") == "10")"));
  EXPECT_TRUE(holds(R"(json("$.s") == 10)"));  // equal as text: "10"
  EXPECT_FALSE(holds(R"(json("$.s") > 9)"));   // but not a number to order
}

TEST(Condition, SearchesTheBodyWithContainsMatchesAndRegex) {
  EXPECT_TRUE(holds(R"(body contains "admin")"));
  EXPECT_FALSE(holds(R"(body contains "root")"));
  EXPECT_TRUE(holds(R"~(body matches '"id":"u-(\d+)"')~"));
  EXPECT_FALSE(holds(R"(body matches '^\[')"));
  EXPECT_TRUE(holds(R"(header("Content-Type") matches "^application/(json|xml)$")"));
  EXPECT_TRUE(holds(R"~(regex("u-(\d+)") == 7)~"));
  EXPECT_TRUE(holds(R"~(regex("\"roles\":\[\"(\w+)") == "admin")~"));
}

TEST(Condition, TreatsABareSourceAsExists) {
  EXPECT_TRUE(holds("status"));
  EXPECT_TRUE(holds(R"(header("X-Cache"))"));
  EXPECT_TRUE(holds(R"(header("X-Empty"))"));
  EXPECT_FALSE(holds(R"(header("X-Nope"))"));
  EXPECT_TRUE(holds(R"(json("$.user.id"))"));
  EXPECT_TRUE(holds(R"(json("$.n"))"));
  EXPECT_FALSE(holds(R"(json("$.user.nope"))"));
  EXPECT_TRUE(holds(R"(regex("admin"))"));
  EXPECT_FALSE(holds(R"(regex("root"))"));
  EXPECT_TRUE(holds("body"));
  EXPECT_FALSE(holds("body", ResponseView{204, "", ""}));
}

TEST(Condition, BindsAndTighterThanOr) {
  // (true || (false && false)) is true; ((true || false) && false) would be false.
  EXPECT_TRUE(holds(R"(status == 200 || status == 500 && header("X-Cache") == "MISS")"));
  EXPECT_FALSE(holds(R"((status == 200 || status == 500) && header("X-Cache") == "MISS")"));
}

TEST(Condition, AppliesNotToTheWholeComparisonOrGroupAfterIt) {
  EXPECT_TRUE(holds("!status == 500"));
  EXPECT_FALSE(holds("!(status == 200 || body)"));
  EXPECT_TRUE(holds(R"(!!header("X-Cache"))"));
  EXPECT_TRUE(holds(R"(status == 200 && !header("X-Nope"))"));
}

TEST(Condition, NeedsNoSpacesAndAcceptsAnyWhitespace) {
  EXPECT_TRUE(holds(R"(status==200&&header('X-Cache')=='HIT')"));
  EXPECT_TRUE(holds(" \tstatus\n==\r\n200 "));
}

TEST(Condition, KeepsItsTextForMessages) {
  auto condition = compile_condition(R"(header("X-Cache") == "HIT")");
  ASSERT_TRUE(condition.has_value());
  EXPECT_EQ(condition->text(), R"(header("X-Cache") == "HIT")");
}

TEST(Value, ReadsNumbersFromEachSource) {
  EXPECT_EQ(value_of(R"(json("$.count"))"), 3.0);
  EXPECT_EQ(value_of(R"(header("X-Time"))"), 12.5);
  EXPECT_EQ(value_of("status"), 200.0);
  EXPECT_EQ(value_of(R"~(regex("u-(\d+)"))~"), 7.0);
  EXPECT_EQ(value_of("body", ResponseView{200, "", "  42\n"}), 42.0);
}

TEST(Value, IsAbsentWhenTheSourceIsMissingOrNotANumber) {
  EXPECT_EQ(value_of(R"(json("$.missing"))"), std::nullopt);
  EXPECT_EQ(value_of(R"(json("$.s"))"), std::nullopt);
  EXPECT_EQ(value_of(R"(json("$.ok"))"), std::nullopt);
  EXPECT_EQ(value_of(R"(header("X-Cache"))"), std::nullopt);
  EXPECT_EQ(value_of("body"), std::nullopt);
}

}  // namespace
}  // namespace surge::extract
