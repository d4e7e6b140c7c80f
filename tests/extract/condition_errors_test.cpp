// compile_condition and compile_value reject bad text with the byte offset of the problem, including
// problems inside a JSON path or regex literal, mapped to their offset in the whole condition.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "extract/condition.h"

namespace surge::extract {
namespace {

std::string error_of(std::string_view text) {
  auto condition = compile_condition(text);
  return condition ? "(compiled)" : describe(condition.error());
}

std::string value_error_of(std::string_view text) {
  auto value = compile_value(text);
  return value ? "(compiled)" : describe(value.error());
}

constexpr std::string_view kSources =
    "expected a source (status, header(...), json(...), body, regex(...)), found ";
constexpr std::string_view kOperators =
    "expected an operator (==, !=, <, <=, >, >=, contains, matches), '&&', '||' or the end, found ";

TEST(ConditionErrors, NameTheMissingLiteralAfterAnOperator) {
  EXPECT_EQ(error_of("status =="), "at offset 9: expected a literal after '==', found the end");
  EXPECT_EQ(error_of(R"(header("X-Cache") == )"),
            "at offset 21: expected a literal after '==', found the end");
  EXPECT_EQ(error_of("status contains"), "at offset 15: expected a literal after 'contains', found the end");
  EXPECT_EQ(error_of("status >= HIT"), "at offset 10: expected a literal after '>=', found 'HIT'");
  EXPECT_EQ(error_of("status == 1."), "at offset 10: malformed number after '=='");
}

TEST(ConditionErrors, NameUnknownSourcesAndOperators) {
  EXPECT_EQ(error_of(""),
            "at offset 0: empty condition; expected a source such as status or header(\"X-Cache\")");
  EXPECT_EQ(error_of("stats == 200"), "at offset 0: " + std::string(kSources) + "'stats'");
  EXPECT_EQ(error_of("status = 200"), "at offset 7: '=' is not an operator; use '=='");
  EXPECT_EQ(error_of("status 200"), "at offset 7: " + std::string(kOperators) + "'200'");
  EXPECT_EQ(error_of(R"(status containsx "a")"), "at offset 7: " + std::string(kOperators) + "'containsx'");
  EXPECT_EQ(error_of("!"), "at offset 1: " + std::string(kSources) + "the end");
}

TEST(ConditionErrors, NameUnbalancedParenthesesAndDanglingLogic) {
  EXPECT_EQ(error_of("status == 200 ||"), "at offset 16: " + std::string(kSources) + "the end");
  EXPECT_EQ(error_of("(status == 200"),
            "at offset 14: expected ')' to close the '(' at offset 0, found the end");
  EXPECT_EQ(error_of("status == 200)"), "at offset 13: expected '&&', '||' or the end, found ')'");
  EXPECT_EQ(error_of("status == 200 & body"), "at offset 14: expected '&&', '||' or the end, found '&'");
}

TEST(ConditionErrors, NameBadSourceArguments) {
  EXPECT_EQ(error_of("header(X-Cache)"), "at offset 7: expected a quoted argument in header(...), found 'X'");
  EXPECT_EQ(error_of(R"(header "X")"), "at offset 7: expected '(' after 'header'");
  EXPECT_EQ(error_of(R"(header("X")"), "at offset 10: expected ')' after the argument of header(...)");
  EXPECT_EQ(error_of(R"(header("X) == 1)"), "at offset 7: unterminated string; expected a closing \"");
  EXPECT_EQ(error_of(R"(header("") == 1)"), "at offset 7: empty header name");
  EXPECT_EQ(error_of(R"(status == 'HIT)"), "at offset 10: unterminated string; expected a closing '");
}

TEST(ConditionErrors, PointIntoTheJsonPathOrRegexInsideTheCondition) {
  EXPECT_EQ(
      error_of(R"(json("$.a..b") == 1)"),
      "at offset 10: bad JSON path: expected a name after '.'; recursive descent '..' is not supported");
  EXPECT_EQ(error_of(R"(json("a") == 1)"),
            "at offset 6: bad JSON path: a JSON path starts with '$', found 'a'");
  EXPECT_EQ(error_of(R"(body matches "a(b")"), "at offset 17: bad regex: missing closing parenthesis");
  EXPECT_EQ(error_of(R"(regex("(") == 1)"), "at offset 8: bad regex: missing closing parenthesis");
  EXPECT_EQ(error_of("body matches 5"), "at offset 13: expected a quoted regex after 'matches'");
}

TEST(ConditionErrors, RefuseNestingBeyondTheLimit) {
  std::string deep = std::string(70, '(') + "status" + std::string(70, ')');
  EXPECT_EQ(error_of(deep), "at offset 64: nested too deeply");
  std::string nots = std::string(70, '!') + "status";
  EXPECT_EQ(error_of(nots), "at offset 64: nested too deeply");
}

TEST(ConditionErrors, RefuseMoreThan256Comparisons) {
  std::string chain = "status";
  for (int i = 1; i < 256; ++i) chain += "||status";
  EXPECT_EQ(error_of(chain), "(compiled)");
  EXPECT_EQ(error_of(chain + "||status"),
            "at offset " + std::to_string(chain.size() + 2) + ": too many comparisons; at most 256");
}

TEST(ValueErrors, AcceptOnlyASingleSource) {
  EXPECT_EQ(value_error_of(""),
            "at offset 0: empty value; expected a source such as json(\"$.usage.tokens\")");
  EXPECT_EQ(value_error_of(R"(json("$.a") + 1)"),
            "at offset 12: a value is a single source; expected the end, found '+'");
  EXPECT_EQ(value_error_of(R"(header("X") == 1)"),
            "at offset 12: a value is a single source; expected the end, found '='");
  EXPECT_EQ(value_error_of("tokens"), "at offset 0: " + std::string(kSources) + "'tokens'");
  EXPECT_EQ(value_error_of(R"(json("$.a["))"), "at offset 9: bad JSON path: unterminated '['");
}

}  // namespace
}  // namespace surge::extract
