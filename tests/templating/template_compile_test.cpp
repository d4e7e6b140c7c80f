// compile_template: what makes a template static, and every compile error with its message and offset.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "templating/template.h"

namespace surge::templating {
namespace {

TemplateError compile_error(std::string_view text, const Scope& scope = Scope()) {
  auto compiled = compile_template(text, scope);
  EXPECT_FALSE(compiled) << "compiled: " << text;
  return compiled ? TemplateError{} : compiled.error();
}

void expect_error(std::string_view text, size_t offset, std::string_view message,
                  const Scope& scope = Scope()) {
  TemplateError error = compile_error(text, scope);
  EXPECT_EQ(error.message, message) << text;
  EXPECT_EQ(error.offset, offset) << text;
}

TEST(CompileTemplate, TextWithoutHolesIsStatic) {
  auto compiled = compile_template("GET /users", Scope());
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->is_static());
  EXPECT_EQ(compiled->static_text(), "GET /users");
  EXPECT_EQ(compiled->size_hint(), 10u);
}

TEST(CompileTemplate, StringLiteralsAndEnvValuesKeepATemplateStatic) {
  ASSERT_EQ(setenv("SURGE_TEMPLATE_TEST_STATIC", "s3cr3t", 1), 0);
  auto compiled = compile_template("{{ '{{' }}a{{ env.SURGE_TEMPLATE_TEST_STATIC }}", Scope());
  ASSERT_TRUE(compiled);
  EXPECT_TRUE(compiled->is_static());
  EXPECT_EQ(compiled->static_text(), "{{as3cr3t");
}

TEST(CompileTemplate, AValueHoleMakesATemplateDynamicWithNoStaticText) {
  auto compiled = compile_template("/users/{{ vu.id }}", Scope());
  ASSERT_TRUE(compiled);
  EXPECT_FALSE(compiled->is_static());
  EXPECT_EQ(compiled->static_text(), "");
}

TEST(CompileTemplate, SizeHintCountsTextAndTheLongestValueOfEachPiece) {
  Scope scope;
  scope.define("token");
  auto compiled =
      compile_template("ab{{ uuid }}{{ random.string(5) }}{{ random.int(-100, 7) }}{{ token }}", scope);
  ASSERT_TRUE(compiled);
  EXPECT_EQ(compiled->size_hint(), 2u + 36 + 5 + 4);  // "-100" is the widest draw; variables count 0
}

TEST(CompileTemplate, ReportsAnUnclosedHoleAtItsOpening) {
  expect_error("abc {{ vu.id", 4, "unterminated '{{': expected '}}' to close it");
}

TEST(CompileTemplate, ReportsTheOffsetOfTheSecondHole) {
  expect_error("{{ vu.id }} and {{ nope }}", 16,
               "unknown variable 'nope': no captures or feeder columns are defined");
}

TEST(CompileTemplate, RejectsAnEmptyExpression) {
  expect_error("x{{  }}", 1, "empty expression: expected a name between '{{' and '}}'");
}

TEST(CompileTemplate, RejectsAnUnterminatedStringLiteral) {
  expect_error("{{ 'abc }}", 0, "unterminated string literal: expected a closing '");
}

TEST(CompileTemplate, RejectsTextAfterAStringLiteral) {
  expect_error("{{ 'a' b }}", 0, "unexpected 'b' after the string literal");
}

TEST(CompileTemplate, RejectsACharacterThatStartsNoName) {
  expect_error("{{ +1 }}", 0, "unexpected character '+' in expression '+1'");
}

TEST(CompileTemplate, RejectsTextAfterAName) {
  expect_error("{{ vu.id x }}", 0, "unexpected 'x' after 'vu.id'");
}

TEST(CompileTemplate, RejectsAnUnclosedParenthesis) {
  expect_error("{{ random.int(1, 2 }}", 0, "unclosed '(' in 'random.int(1, 2': expected ')'");
}

TEST(CompileTemplate, RejectsTextAfterACall) {
  expect_error("{{ random.int(1, 2) x }}", 0, "unexpected 'x' after 'random.int(1, 2)'");
}

TEST(CompileTemplate, RejectsRandomIntWithoutTwoIntegers) {
  for (std::string_view text :
       {"{{ random.int }}", "{{ random.int(1) }}", "{{ random.int(a, b) }}", "{{ random.int(1, 2, 3) }}",
        "{{ random.int(1.5, 2) }}", "{{ random.int(1,) }}"}) {
    expect_error(text, 0, "random.int expects two integers: random.int(A, B)");
  }
}

TEST(CompileTemplate, RejectsRandomIntWithBoundsInTheWrongOrder) {
  expect_error("{{ random.int(10, 1) }}", 0,
               "random.int(10, 1): expected the first bound to be at most the second");
}

TEST(CompileTemplate, RejectsRandomStringOfBadLength) {
  for (std::string_view text : {"{{ random.string }}", "{{ random.string(0) }}", "{{ random.string(65537) }}",
                                "{{ random.string(-1) }}", "{{ random.string(1, 2) }}"}) {
    expect_error(text, 0, "random.string expects a length from 1 to 65536: random.string(N)");
  }
}

TEST(CompileTemplate, RejectsAnUnknownRandomFunction) {
  expect_error("{{ random.float }}", 0,
               "unknown function 'random.float': expected random.int(A, B), random.word or random.string(N)");
}

TEST(CompileTemplate, RejectsArgumentsToANameThatTakesNone) {
  expect_error("{{ uuid(4) }}", 0, "'uuid' takes no arguments");
  expect_error("{{ random.word(2) }}", 0, "'random.word' takes no arguments");
}

TEST(CompileTemplate, RejectsAnUnknownFunction) {
  expect_error("{{ upper(1) }}", 0,
               "unknown function 'upper': expected random.int(A, B), random.string(N), sha256, sha256_b64, "
               "hmac_sha256, hmac_sha256_b64, base64, base64url, urlencode, jwt_hs256 or concat");
}

TEST(CompileTemplate, RejectsAnUnsetEnvironmentVariable) {
  ASSERT_EQ(unsetenv("SURGE_TEMPLATE_TEST_UNSET"), 0);
  expect_error("Bearer {{ env.SURGE_TEMPLATE_TEST_UNSET }}", 7,
               "environment variable 'SURGE_TEMPLATE_TEST_UNSET' is not set");
}

TEST(CompileTemplate, RejectsEnvWithoutAName) {
  expect_error("{{ env. }}", 0, "env. expects a variable name: env.NAME");
}

TEST(CompileTemplate, RejectsAnUnknownVariableListingTheDefinedOnes) {
  Scope scope;
  scope.define("token");
  scope.define("users.email");
  expect_error("Bearer {{ tokn }}", 7, "unknown variable 'tokn': defined are token, users.email", scope);
}

TEST(Scope, GivesSlotsInDefinitionOrderAndKeepsASlotForARedefinedName) {
  Scope scope;
  EXPECT_EQ(scope.define("token"), 0u);
  EXPECT_EQ(scope.define("users.email"), 1u);
  EXPECT_EQ(scope.define("token"), 0u);
  EXPECT_EQ(scope.find("users.email"), 1u);
  EXPECT_EQ(scope.find("users"), std::nullopt);
  EXPECT_EQ(scope.names(), (std::vector<std::string>{"token", "users.email"}));
}

TEST(IsBuiltinName, CoversTheNamesTemplatesResolveThemselves) {
  for (std::string_view name :
       {"vu.id", "iteration", "uuid", "now_ms", "now_s", "now_iso", "random.x", "env.HOME"}) {
    EXPECT_TRUE(is_builtin_name(name)) << name;
  }
  for (std::string_view name : {"vu", "token", "users.email", "environment"}) {
    EXPECT_FALSE(is_builtin_name(name)) << name;
  }
}

}  // namespace
}  // namespace surge::templating
