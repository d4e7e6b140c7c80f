// The signing and encoding built-ins as templates use them: exact outputs from known vectors, nesting,
// string literals and concat as arguments, escaping of a result for its place, folding of constant calls at
// compile time, the time built-ins, and every compile error with its message.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "templating/template.h"

namespace surge::templating {
namespace {

class FunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scope_.define("key");
    scope_.define("message");
    scope_.define("claims");
    variables_ = {"Jefe", "what do ya want for nothing?", R"({"sub":"7","iat":1700000000})"};
  }

  Template compiled(std::string_view text, Escape escape = Escape::kNone) {
    auto compiled = compile_template(text, scope_, escape);
    EXPECT_TRUE(compiled) << text << ": " << (compiled ? "" : compiled.error().message);
    return compiled ? std::move(compiled).value() : Template();
  }

  std::string render_text(std::string_view text, Escape escape = Escape::kNone) {
    std::string out;
    render(compiled(text, escape), {7, 42, variables_, &rng_, now_ms_}, out);
    return out;
  }

  std::string compile_error(std::string_view text) {
    auto compiled = compile_template(text, scope_);
    EXPECT_FALSE(compiled) << "compiled: " << text;
    if (compiled) return "<compiled>";
    EXPECT_EQ(compiled.error().offset, 0u) << text;
    return compiled.error().message;
  }

  Scope scope_;
  std::vector<std::string> variables_;
  int64_t now_ms_ = 1700000000999;  // 2023-11-14T22:13:20.999Z
  Rng rng_{1};
};

TEST_F(FunctionsTest, HmacSha256OfVariablesIsTheRfc4231DigestInLowerCaseHex) {
  EXPECT_EQ(render_text("{{ hmac_sha256(key, message) }}"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(FunctionsTest, B64FormsWriteTheDigestInPaddedBase64) {
  EXPECT_EQ(render_text("{{ hmac_sha256_b64(key, message) }}"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  EXPECT_EQ(render_text("{{ sha256_b64(concat('a', 'b', 'c')) }}"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_F(FunctionsTest, Sha256OfAVariable) {
  variables_[1] = "abc";
  EXPECT_EQ(render_text("{{ sha256(message) }}"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(FunctionsTest, NestedCallsPassResultsInward) {
  // base64 of the hex text, not of the digest bytes: each function takes the text its argument renders.
  EXPECT_EQ(render_text("{{ base64(sha256(message)) }}"),
            "YjM4MWU3ZmVjNjUzZmMzYWI5YjE3ODI3MjM2NmI4YWM4N2ZlZDhkMzFjYjI1ZWQxZDBlMWYzMzE4NjQ0Yzg5Yw==");
  EXPECT_EQ(render_text("{{ base64url(concat(base64(key), '?', urlencode(message))) }}"),
            "U21WbVpRPT0_d2hhdCUyMGRvJTIweWElMjB3YW50JTIwZm9yJTIwbm90aGluZyUzRg");
}

TEST_F(FunctionsTest, ConcatJoinsLiteralsVariablesAndBuiltInsAndSignsThem) {
  variables_[0] = "k";
  EXPECT_EQ(render_text("{{ concat('GET', '\n', \"/x\", '\n', now_s, '\n', 'body') }}"),
            "GET\n/x\n1700000000\nbody");
  EXPECT_EQ(render_text("{{ hmac_sha256_b64(key, concat('GET', '\n/x\n', now_s, '\n', 'body')) }}"),
            "8AiPHzn70UH3fNRQs7/kB1jXA8n5yhJj64dpabZ44N8=");
}

TEST_F(FunctionsTest, JwtHs256IsHeaderPayloadAndSignatureInBase64Url) {
  variables_[0] = "secret";
  EXPECT_EQ(render_text("{{ jwt_hs256(claims, key) }}"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3IiwiaWF0IjoxNzAwMDAwMDAwfQ."
            "sUoOZTWmyYdLMD8NhcVTDmTvu-PkFNYjJgL42sIDl6M");
  EXPECT_EQ(
      render_text("Bearer {{ jwt_hs256(concat('{\"sub\":\"', vu.id, '\",\"iat\":', now_s, '}'), key) }}"),
      "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3IiwiaWF0IjoxNzAwMDAwMDAwfQ."
      "sUoOZTWmyYdLMD8NhcVTDmTvu-PkFNYjJgL42sIDl6M");
}

TEST_F(FunctionsTest, UrlencodePercentEncodesAllButUnreservedBytes) {
  EXPECT_EQ(render_text("{{ urlencode(message) }}"), "what%20do%20ya%20want%20for%20nothing%3F");
}

TEST_F(FunctionsTest, NowSIsWholeSecondsAndNowIsoTheSameSecondInUtc) {
  EXPECT_EQ(render_text("{{ now_s }} {{ now_iso }} {{ now_ms }}"),
            "1700000000 2023-11-14T22:13:20Z 1700000000999");
  now_ms_ = 951782400000;  // a leap day in a year divisible by 400
  EXPECT_EQ(render_text("{{ now_iso }}"), "2000-02-29T00:00:00Z");
  now_ms_ = 0;
  EXPECT_EQ(render_text("{{ now_iso }}|{{ now_s }}"), "1970-01-01T00:00:00Z|0");
  now_ms_ = -1;  // rounds down, before 1970
  EXPECT_EQ(render_text("{{ now_iso }}|{{ now_s }}"), "1969-12-31T23:59:59Z|-1");
}

TEST_F(FunctionsTest, AResultIsEscapedForItsPlaceButArgumentsAreNot) {
  variables_[0] = "a\"b";
  // The base64 text "YSJi" needs no escaping; the argument a"b was hashed as is, not as a\"b.
  EXPECT_EQ(render_text("{{ base64(key) }}", Escape::kJson), "YSJi");
  EXPECT_EQ(render_text("{{ concat(key, '/') }}", Escape::kJson), "a\\\"b/");
  EXPECT_EQ(render_text("{{ sha256_b64(concat('a', 'b', 'c')) }}", Escape::kUrl),
            "ungWv48Bz%2BpBQUDeXa4iI7ADYaOWF3qctBD%2FYfIAFa0%3D");
}

TEST_F(FunctionsTest, CallsOfConstantsAreComputedAtCompileTimeAndKeepATemplateStatic) {
  ASSERT_EQ(setenv("SURGE_TEMPLATE_TEST_SECRET", "Jefe", 1), 0);
  Template folded = compiled(
      "X-Sig: {{ base64(hmac_sha256(env.SURGE_TEMPLATE_TEST_SECRET, 'what do ya want for nothing?')) }}");
  EXPECT_TRUE(folded.is_static());
  EXPECT_EQ(
      folded.static_text(),
      "X-Sig: NWJkY2MxNDZiZjYwNzU0ZTZhMDQyNDI2MDg5NTc1Yzc1YTAwM2YwODlkMjczOTgzOWRlYzU4Yjk2NGVjMzg0Mw==");
  EXPECT_FALSE(compiled("{{ sha256(concat('a', now_s)) }}").is_static());
}

TEST_F(FunctionsTest, AHoleClosesAfterBracesInsideStringLiterals) {
  EXPECT_EQ(render_text("{{ concat('{{', '}}', \"}}\") }}!"), "{{}}}}!");
}

TEST_F(FunctionsTest, SizeHintCountsEachFunctionsLongestOutput) {
  EXPECT_EQ(compiled("{{ hmac_sha256(key, message) }}").size_hint(), 64u);
  EXPECT_EQ(compiled("{{ sha256_b64(key) }}").size_hint(), 44u);
  EXPECT_EQ(compiled("{{ base64(concat('abc', now_s)) }}").size_hint(), 32u);  // (3 + 20) bytes → 32
}

TEST_F(FunctionsTest, DeepNestingRendersTheSameEveryTime) {
  const Template nested = compiled("{{ base64(concat(sha256(concat(key, base64url(message))), now_s)) }}");
  std::string first;
  std::string again;
  render(nested, {7, 42, variables_, &rng_, now_ms_}, first);
  for (int i = 0; i < 3; ++i) {
    again.clear();
    render(nested, {7, 42, variables_, &rng_, now_ms_}, again);
    EXPECT_EQ(again, first);
  }
}

TEST_F(FunctionsTest, RejectsAWrongArgumentCount) {
  EXPECT_EQ(compile_error("{{ sha256() }}"), "sha256 expects one argument: sha256(x)");
  EXPECT_EQ(compile_error("{{ hmac_sha256(key) }}"),
            "hmac_sha256 expects two arguments: hmac_sha256(key, x)");
  EXPECT_EQ(compile_error("{{ base64(key, message) }}"), "base64 expects one argument: base64(x)");
  EXPECT_EQ(compile_error("{{ jwt_hs256(claims) }}"),
            "jwt_hs256 expects two arguments: jwt_hs256(claims_json, key)");
  EXPECT_EQ(compile_error("{{ concat() }}"), "concat expects 1 to 32 arguments: concat(a, b, ...)");
}

TEST_F(FunctionsTest, RejectsATypoInANestedCall) {
  EXPECT_EQ(
      compile_error("{{ base64(hmac_sha265(key, message)) }}"),
      "unknown function 'hmac_sha265': expected random.int(A, B), random.string(N), sha256, sha256_b64, "
      "hmac_sha256, hmac_sha256_b64, base64, base64url, urlencode, jwt_hs256 or concat");
  EXPECT_EQ(compile_error("{{ sha256(kye) }}"), "unknown variable 'kye': defined are key, message, claims");
}

TEST_F(FunctionsTest, RejectsBrokenArgumentLists) {
  EXPECT_EQ(compile_error("{{ sha256(key }}"), "unclosed '(' in 'sha256(key': expected ')'");
  EXPECT_EQ(compile_error("{{ concat(key message) }}"),
            "unexpected 'm' in the arguments of concat: expected ',' or ')'");
  EXPECT_EQ(compile_error("{{ concat(key, ) }}"), "empty argument in 'concat(key, )'");
  EXPECT_EQ(compile_error("{{ sha256('abc) }}"), "unterminated string literal: expected a closing '");
  EXPECT_EQ(compile_error("{{ sha256(key) x }}"), "unexpected 'x' after 'sha256(key)'");
}

TEST_F(FunctionsTest, RejectsAFunctionNameWithoutItsArguments) {
  EXPECT_EQ(compile_error("{{ sha256 }}"), "'sha256' is a function: expected sha256(...)");
  EXPECT_EQ(compile_error("{{ now_s() }}"), "'now_s' takes no arguments");
}

}  // namespace
}  // namespace surge::templating
